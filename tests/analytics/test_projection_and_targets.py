"""Year-end projection, warning levels and target progress, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest
from worked_city import AS_OF, B_MONTH_EQUIVALENT, build

from nenghao.analytics.periods import Period
from nenghao.analytics.projection import project_year_end, warning_level
from nenghao.analytics.targets import Thresholds, progress
from nenghao.standards.calendar import CalendarError
from nenghao.store import targets
from nenghao.store.common import OutsideScopeError
from nenghao.store.scope import Scope


def test_periods():
    assert Period.parse("2025").grain == "year"
    march = Period.parse("2025-03")
    assert (march.start, march.end, march.grain) == (date(2025, 3, 1), date(2025, 4, 1), "month")
    assert march.previous().label == "2025-02"
    assert march.previous_year().label == "2024-03"
    assert Period.parse("2024-02-29").previous_year().start == date(2023, 2, 28)
    span = Period.parse("2024-12-15..2025-01-15")
    assert span.grain == "day"
    assert [p.days for p in span.years()] == [17, 15]
    assert Period.parse("2025-01..2025-03").days == 90
    for bad in ("2025-13", "25", "2025-03..2025-01", "soon"):
        with pytest.raises(CalendarError):
            Period.parse(bad)


def test_seasonal_projection_worked_example():
    # by 31 March last year 2 331.51 of 9 326.04 tce (25 %) had been used
    p = project_year_end(2463.803, 90, 365, 2331.51, 9326.04, last_year_complete=True)
    assert p.method == "seasonal_profile"
    assert p.share == pytest.approx(0.25)
    assert p.value == pytest.approx(2463.803 / 0.25)  # 9 855.212 tce
    assert "seasonal" in p.explanation


def test_linear_fallback_and_actual():
    p = project_year_end(100.0, 73, 365, 0.0, 0.0, last_year_complete=False)
    assert p.method == "linear_run_rate"
    assert p.value == pytest.approx(500.0)
    assert "incomplete" in p.explanation
    assert p.reason == "last_year_incomplete"
    small = project_year_end(100.0, 73, 365, 10.0, 1000.0, True)  # share 0.01 < 0.05
    assert small.method == "linear_run_rate"
    assert small.reason == "share_too_small"
    assert project_year_end(800.0, 365, 365).method == "actual"


def test_warning_levels():
    assert warning_level(9500, 10000, 0.95, 1.0) == "green"  # ratio 0.95 is not above
    assert warning_level(9757.48, 10000, 0.95, 1.0) == "yellow"
    assert warning_level(10000.01, 10000, 0.95, 1.0) == "red"
    assert warning_level(9000, 10000, 0.85, 0.9) == "yellow"


@pytest.fixture
def city(engine):
    return build(engine)


def test_city_target_progress_worked_example(engine, city):
    with engine.begin() as conn:
        target, created = targets.put(
            conn,
            Scope.all(),
            2025,
            "city",
            "210300",
            {"total_energy_tce": 10000.0, "total_co2_t": 1000.0, "renewable_base_kwh": 0.0},
            city="210300",
            actor="test",
        )
    assert created
    with engine.connect() as conn:
        answer = progress(conn, target, AS_OF, Thresholds(0.95, 1.0))
    a_q1 = (1.1e6 + 1.2e6 + 1.3e6) * 0.1229 / 1000 + 3 * 71.43 + 34.12 + 12.143 + 12.29
    gross = a_q1 + 3 * B_MONTH_EQUIVALENT  # 2 463.803 tce
    ytd = answer["year_to_date"]
    assert answer["days_elapsed"] == 90
    assert ytd["gross_tce"] == pytest.approx(gross)
    assert ytd["raw_material_tce"] == pytest.approx(12.143)
    # renewable 100 000 kWh above a base of 0: 12.29 tce deducted from the total
    assert ytd["renewable_above_base_tce"] == pytest.approx(12.29)
    assert ytd["assessed_tce"] == pytest.approx(gross - 12.143 - 12.29)
    # last year complete; Jan-Mar 2024 = 3 x (194.33 + 582.84) = 2 331.51 of 9 326.04 = 25 %
    projection = answer["projection"]["gross_tce"]
    assert projection["method"] == "seasonal_profile"
    assert projection["share"] == pytest.approx(0.25)
    assert projection["value"] == pytest.approx(gross / 0.25)
    # no raw material or renewables last year: linear run-rate x 365 / 90
    raw = 12.143 * 365 / 90
    renewable = 100000 * 365 / 90 * 0.1229 / 1000
    assert answer["projection"]["raw_material_tce"]["method"] == "linear_run_rate"
    energy = answer["indicators"]["total_energy_tce"]
    assert energy["projected"] == pytest.approx(gross / 0.25 - raw - renewable)  # 9 756.12
    assert energy["ratio"] == pytest.approx(energy["projected"] / 10000.0)
    assert energy["level"] == "yellow"  # 0.95 < 0.9756 <= 1.0
    assert answer["indicators"]["total_co2_t"]["level"] == "red"
    assert answer["indicators"]["energy_intensity"]["level"] is None  # no target set
    assert answer["level"] == "red"
    assert answer["deductions"]["renewable_base_source"].startswith("set on the target")
    assert answer["deductions"]["renewable_base_origin"] == "target"
    assert answer["deductions"]["renewable_base_year"] == 2020


def test_target_visibility_and_write_scope(engine, city):
    ids, _ = city
    with engine.begin() as conn:
        for level, subject in (
            ("city", "210300"),
            ("division", "210302"),
            ("enterprise", str(ids["a"])),
            ("enterprise", str(ids["c"])),
        ):
            targets.put(
                conn,
                Scope.all(),
                2025,
                level,
                subject,
                {"total_energy_tce": 1.0},
                city="210300",
                actor="test",
            )
        district = Scope("division", division_code="210302")
        seen = {(t["level"], t["subject"]) for t in targets.list_targets(conn, district).items}
        assert seen == {("division", "210302"), ("enterprise", str(ids["a"]))}
        own = Scope("enterprise", enterprise_id=ids["a"])
        assert [t["subject"] for t in targets.list_targets(conn, own).items] == [str(ids["a"])]
        with pytest.raises(OutsideScopeError):
            targets.put(conn, district, 2025, "division", "210381", {}, city="210300", actor="t")
