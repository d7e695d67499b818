"""Query services over the stored readings: totals by enterprise, division, industry, period."""
