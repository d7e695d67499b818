"""Statistics worked out by hand on the tiny city of worked_city.py (both backends)."""

from __future__ import annotations

import pytest
from worked_city import (
    A_JAN_2025_EQUAL,
    A_JAN_2025_EQUIVALENT,
    A_MONTH_2024_EQUIVALENT,
    B_MONTH_EQUIVALENT,
    build,
)

from nenghao.analytics import comparison, statistics
from nenghao.analytics.errors import AnalyticsInputError
from nenghao.analytics.items import Filters
from nenghao.analytics.key_units import key_units
from nenghao.analytics.periods import Period
from nenghao.analytics.unit_products import unit_products
from nenghao.store.scope import Scope


@pytest.fixture
def city(engine):
    return build(engine)


def _row(answer, key):
    return next(row for row in answer["rows"] if row["key"] == key)


def test_consumption_equivalent_equal_and_what_could_not_be_converted(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        answer = statistics.consumption(conn, Scope.all(), Period.parse("2025-01"), "enterprise")
    a = _row(answer, ids["a"])
    assert a["equivalent_tce"] == pytest.approx(A_JAN_2025_EQUIVALENT)  # 252.883
    assert a["equal_tce"] == pytest.approx(A_JAN_2025_EQUAL)  # 527.973
    assert a["raw_material_tce"] == pytest.approx(12.143)
    assert not a["equal_value_complete"]
    [heat] = a["equal_value_unconverted"]
    assert (heat["energy_kind"], heat["quantity"], heat["unit"]) == ("heat", 1000.0, "GJ")
    assert "equal-value" in heat["reason"]
    # CO2: 1 100 MWh x 0.5122 (Northeast grid 2023, latest) = 563.42
    #      + 100 t raw coal x 20.908 GJ/t x 0.02618 tC/GJ x 0.93 x 44/12 = 186.653661
    #      + 1 000 GJ heat: 34 120 kgce x 0.0293076 GJ/kgce x 0.11 tCO2/GJ = 109.9968...
    heat_co2 = 34120 * 0.0293076 * 0.11
    assert a["tco2"] == pytest.approx(563.42 + 186.653661 + heat_co2, rel=1e-7)
    b = _row(answer, ids["b"])
    assert b["equivalent_tce"] == pytest.approx(B_MONTH_EQUIVALENT)
    assert answer["total"]["equivalent_tce"] == pytest.approx(
        A_JAN_2025_EQUIVALENT + B_MONTH_EQUIVALENT
    )
    used = {(c["energy_kind"], c.get("basis")) for c in answer["coefficients"]}
    assert ("electricity", "equal") in used
    assert ("heat", "equivalent") in used


def test_by_division_industry_and_energy_kind(engine, city):
    with engine.connect() as conn:
        period = Period.parse("2025-01")
        division = statistics.consumption(conn, Scope.all(), period, "division")
        kinds = statistics.consumption(conn, Scope.all(), period, "energy_kind")
    assert [row["key"] for row in division["rows"]] == ["210302"]
    assert _row(kinds, "coke")["equivalent_tce"] == pytest.approx(582.84)
    assert _row(kinds, "heat")["name"] == "热力"


def test_year_on_year_and_month_on_month(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        answer = comparison.compare(
            conn,
            Scope.all(),
            Period.parse("2025-03"),
            "enterprise",
            Filters(enterprise_id=ids["a"]),
        )
    [row] = answer["rows"]
    march = 1.3e6 * 0.1229 / 1000 + 71.43  # 231.2 tce
    february = 1.2e6 * 0.1229 / 1000 + 71.43 + 12.29  # 231.2 tce: green power counts
    eq = row["equivalent_tce"]
    assert eq["current"] == pytest.approx(march)
    assert eq["year_on_year"]["previous"] == pytest.approx(A_MONTH_2024_EQUIVALENT)
    assert eq["year_on_year"]["rate"] == pytest.approx(231.2 / 194.33 - 1)  # +18.97 %
    assert eq["period_on_period"]["previous"] == pytest.approx(february)
    assert eq["period_on_period"]["rate"] == pytest.approx(march / february - 1)
    assert answer["year_on_year_period"] == "2024-03"
    assert answer["period_on_period_period"] == "2025-02"


def test_ranking_and_mix(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        ranked = statistics.ranking(conn, Scope.all(), Period.parse("2024"), "enterprise")
        mix = statistics.energy_mix(conn, Scope.all(), Period.parse("2024"))
    assert [row["key"] for row in ranked["rows"]] == [ids["b"], ids["a"]]
    total = 12 * (B_MONTH_EQUIVALENT + A_MONTH_2024_EQUIVALENT)  # 9 326.04
    assert ranked["total"] == pytest.approx(total)
    assert ranked["rows"][0]["share"] == pytest.approx(12 * 582.84 / total)
    shares = {row["energy_kind"]: row["share"] for row in mix["rows"]}
    assert shares["coke"] == pytest.approx(6994.08 / total)
    assert sum(shares.values()) == pytest.approx(1.0)


def test_intensity_per_output_and_added_value(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        answer = statistics.intensity(
            conn, Scope.all(), Period.parse("2025-01..2025-03"), "enterprise"
        )
    a = _row(answer, ids["a"])
    q1 = A_JAN_2025_EQUIVALENT + (1.2e6 * 0.1229 / 1000 + 71.43 + 12.29) + 231.2  # 715.283
    assert a["equivalent_tce"] == pytest.approx(q1)
    assert a["per_added_value"]["value"] == pytest.approx(q1 / 3300)  # 0.21675 tce/万元
    assert a["per_output_value"]["value"] == pytest.approx(q1 / 13200)
    b = _row(answer, ids["b"])
    assert b["per_added_value"]["value"] is None
    assert "added_value" in b["per_added_value"]["reason"]


def test_key_unit_status_from_actual_consumption(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        answer = key_units(conn, Scope.all(), 2024)
    rows = {row["enterprise_id"]: row for row in answer["rows"]}
    # b: 12 x 582.84 = 6 994.08 tce: between 5 000 and 10 000, registered key
    assert rows[ids["b"]]["actual_tce"] == pytest.approx(6994.08)
    assert rows[ids["b"]]["actual_level"] == "designated_range"
    assert rows[ids["b"]]["finding"] == "below_key_threshold"
    # a: 12 x 194.33 = 2 331.96 tce: below both thresholds
    assert rows[ids["a"]]["actual_tce"] == pytest.approx(2331.96)
    assert rows[ids["a"]]["finding"] == "below_thresholds"
    # c: no data, registered key (the default)
    assert rows[ids["c"]]["actual_tce"] == 0.0
    assert answer["thresholds"]["key_tce"] == 10000.0


def test_unit_product_against_the_edition_in_force(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        a = unit_products(conn, Scope.all(), ids["a"], Period.parse("2025-01..2025-03"))
        b = unit_products(conn, Scope.all(), ids["b"], Period.parse("2025-01"))
    [sinter] = a["rows"]
    # 3 x (4 t coke x 0.9714 + 10 000 kWh x 0.1229 kgce/kWh) = 15.3438 tce over 300 t
    assert sinter["boundary_consumption_tce"] == pytest.approx(15.3438)
    assert sinter["unit_consumption"] == pytest.approx(51.146)
    quota = sinter["quota"]
    assert quota["edition"].startswith("GB 21256-2013")  # in force until 2026-06-30
    assert quota["level"] == "L3"  # 50 < 51.146 <= 56
    [steel] = b["rows"]
    # GB 32050-2015 is the EAF edition in force in 2025: in force, values not entered
    assert steel["status"] == "quota_values_not_loaded"
    assert steel["edition"] == "GB 32050-2015"
    assert steel["message"] == "GB 32050-2015 在效，限额值未录入"


def test_series_and_overview(engine, city):
    with engine.connect() as conn:
        months = statistics.series(conn, Scope.all(), Period.parse("2024"), "month", "city")
        days = statistics.series(conn, Scope.all(), Period.parse("2025-01"), "day", "city")
        overview = statistics.overview(conn, Scope.all(), 2024)
        with pytest.raises(AnalyticsInputError):
            statistics.series(conn, Scope.all(), Period.parse("2025-01-05"), "month", "city")
    [city_row] = months["groups"]
    assert city_row["equivalent_tce"] == pytest.approx([194.33 + 582.84] * 12)
    assert days["groups"][0]["equivalent_tce"][0] == pytest.approx(
        A_JAN_2025_EQUIVALENT + B_MONTH_EQUIVALENT
    )
    assert sum(days["groups"][0]["equivalent_tce"][1:]) == 0
    assert [g["key"] for g in overview["by"]["industry"]] == ["3110", "3120"]


def test_scope_limits_every_statistic(engine, city):
    ids, _ = city
    own = Scope("enterprise", enterprise_id=ids["a"])
    other_division = Scope("division", division_code="210381")
    with engine.connect() as conn:
        mine = statistics.consumption(conn, own, Period.parse("2025-01"), "enterprise")
        none = statistics.consumption(conn, other_division, Period.parse("2025-01"), "city")
    assert [row["key"] for row in mine["rows"]] == [ids["a"]]
    assert none["rows"] == []
    assert none["total"]["equivalent_tce"] == 0.0
