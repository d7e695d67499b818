"""Comparisons over the same elapsed span, and bases with short data coverage (both
backends). Every expected figure is summed here from the readings like_city.py inserts."""

from __future__ import annotations

from datetime import date

import pytest
from like_city import KGCE_PER_KWH, TODAY, build, in_span, values_a, values_b

from nenghao.analytics import comparison
from nenghao.analytics.items import Filters
from nenghao.analytics.periods import Period
from nenghao.store.scope import Scope


@pytest.fixture
def ids(engine):
    return build(engine)


def tce(kwh: float) -> float:
    return kwh * KGCE_PER_KWH / 1000.0


def _compare(engine, period: str, by: str = "city", **filters):
    with engine.connect() as conn:
        return comparison.compare(
            conn, Scope.all(), Period.parse(period), by, Filters(**filters), today=TODAY
        )


def test_month_in_progress_against_the_same_days(engine, ids):
    answer = _compare(engine, "2026-12", enterprise_id=ids["a"])
    a = values_a()
    now = in_span(a, date(2026, 12, 1), date(2026, 12, 4))  # 4 x 1 200 = 4 800 kWh
    last_year = in_span(a, date(2025, 12, 1), date(2025, 12, 4))  # 4 x 1 000 = 4 000 kWh
    last_month = in_span(a, date(2026, 11, 1), date(2026, 11, 4))  # 4 x 1 100 = 4 400 kWh
    assert (now, last_year, last_month) == (4800.0, 4000.0, 4400.0)
    assert answer["partial"] is True
    assert answer["compared"] == {
        "period": "2026-12-01..2026-12-04",
        "start": "2026-12-01",
        "end": "2026-12-04",
        "days": 4,
    }
    assert answer["year_on_year_period"] == "2025-12-01..2025-12-04"
    assert answer["period_on_period_period"] == "2026-11-01..2026-11-04"
    assert comparison.partial_label(answer) == "截至 12月4日"
    [row] = answer["rows"]
    eq = row["equivalent_tce"]
    assert eq["current"] == pytest.approx(tce(now))  # 0.58992 tce; 5 Dec left out
    assert eq["year_on_year"]["previous"] == pytest.approx(tce(last_year))
    assert eq["year_on_year"]["rate"] == pytest.approx(now / last_year - 1)  # +20 %
    assert eq["period_on_period"]["rate"] == pytest.approx(now / last_month - 1)  # +9.09 %
    assert eq["year_on_year"]["reason"] is None


@pytest.mark.parametrize("period", ["2026", "2026-01..2026-12"])
def test_year_to_date_against_the_same_days(engine, ids, period):
    answer = _compare(engine, period, enterprise_id=ids["a"])
    a = values_a()
    now = in_span(a, date(2026, 1, 1), date(2026, 12, 4))  # 334 x 1 100 + 4 x 1 200
    base = in_span(a, date(2025, 1, 1), date(2025, 12, 4))  # 337 x 1 000 (1 July missing)
    assert (now, base) == (372200.0, 337000.0)
    assert answer["compared"]["end"] == "2026-12-04"
    assert answer["year_on_year_span"]["start"] == "2025-01-01"
    assert answer["year_on_year_span"]["end"] == "2025-12-04"
    eq = answer["rows"][0]["equivalent_tce"]
    assert eq["year_on_year"]["rate"] == pytest.approx(now / base - 1)  # +10.45 %
    # One day short of 338: valued at the mean per covered day over both spans, it is far
    # below 1 % of the base, so the rate stands; the coverage says what is missing.
    per_day = (base + now) / (337 + 338)
    assert eq["year_on_year"]["base_coverage"] == pytest.approx(1 - per_day / (base + per_day))


def test_a_base_with_27_days_of_data_gives_no_rate(engine, ids):
    answer = _compare(engine, "2025", by="enterprise")
    assert answer["partial"] is False
    rows = {row["key"]: row["equivalent_tce"] for row in answer["rows"]}
    b = rows[ids["b"]]
    current = in_span(values_b(), date(2025, 1, 1), date(2025, 12, 31))  # 365 000 kWh
    base = in_span(values_b(), date(2024, 1, 1), date(2024, 12, 31))  # 27 000 kWh
    assert b["current"] == pytest.approx(tce(current))
    assert b["year_on_year"]["previous"] == pytest.approx(tce(base))
    assert b["year_on_year"]["rate"] is None  # not the +1 251.85 % the raw sums give
    assert b["year_on_year"]["reason"] == "base_incomplete"
    # 339 of 366 base days missing, at 1 000 kWh a covered day
    assert b["year_on_year"]["base_coverage"] == pytest.approx(1 - 339000 / (base + 339000))
    a = rows[ids["a"]]["year_on_year"]  # nothing at all in 2024
    assert (a["rate"], a["reason"], a["base_coverage"]) == (None, "base_incomplete", 0.0)
    city = _compare(engine, "2025")["rows"][0]["equivalent_tce"]["year_on_year"]
    assert (city["rate"], city["reason"]) == (None, "base_incomplete")


def test_a_period_without_a_complete_day(engine, ids):
    answer = _compare(engine, "2026-12-05")
    assert (answer["compared"], answer["rows"], answer["partial"]) == (None, [], False)


def test_an_empty_base_without_current_data_is_no_base(engine, ids):
    yoy = _compare(engine, "2024-06", enterprise_id=ids["a"])["rows"][0]["equivalent_tce"]
    assert (yoy["current"], yoy["year_on_year"]["rate"]) == (0.0, None)
    assert yoy["year_on_year"]["reason"] == "no_base"  # nothing in either span
