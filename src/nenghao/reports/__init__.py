"""Reports: the monthly city workbook (XLSX) and the enterprise annual energy-utilisation
report (能源利用状况报告, PDF with an embedded Chinese font)."""
