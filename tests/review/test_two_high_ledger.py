"""The two-high ledger: positions at the edges, no level, no data, partial period, the
enterprises without installations — figures worked by hand (see two_high_city).

Today is 2026-12-05 (CST): the default period is the 12 complete months 2025-12-01 ..
2026-11-30; readings sit in August 2026.

* 1号高炉: 435 t coke x 971.4 = 422 559 kgce / 971.4 t = 435.00 kgce/t = baseline 435 ->
  ``between`` (equal to the baseline meets it; no plan needed);
* 2号高炉: 361 x 971.4 / 971.4 = 361.00 = benchmark 361 -> ``better_than_benchmark``;
* 4号高炉: 500 x 971.4 / 971.4 = 500.00 > 435 -> ``worse_than_baseline``, plan missing;
* 烧结机: sinter, 40 t coke = 38 856 kgce / 971.4 t = 40.00 kgce/t; sinter has no levels
  -> ``no_level``;
* 3号高炉: hot metal without a data item named while the enterprise meters three outputs
  of hot metal -> ``ambiguous_items`` -> ``no_data``;
* enterprise b (3120, steel) has no installation -> 未登记装置; c (3089) is no two-high
  industry.
"""

from __future__ import annotations

from datetime import date

import pytest
from two_high_city import furnace

from factories import add_enterprise
from nenghao.review.two_high_ledger import ledger, ledger_period, unregistered
from nenghao.store import two_high
from nenghao.store.rollups import rebuild
from nenghao.store.scope import Scope

TODAY = date(2026, 12, 5)
AUG = (2026, 8)


@pytest.fixture
def city(engine):
    with engine.begin() as conn:
        a = add_enterprise(conn, "MA0000001", "210302", "3110")
        b = add_enterprise(conn, "MA0000002", "210302", "3120")
        add_enterprise(conn, "MA0000003", "210381", "3089")
        bf1 = furnace(conn, a, "bf1", {AUG: 435.0})
        bf2 = furnace(conn, a, "bf2", {AUG: 361.0})
        bf4 = furnace(conn, a, "bf4", {AUG: 500.0})
        sinter = furnace(conn, a, "sinter", {AUG: 40.0}, product="sinter")
        rebuild(conn)
        made = {}
        for name, product, item in (
            ("1号高炉", "hot_metal", bf1),
            ("2号高炉", "hot_metal", bf2),
            ("3号高炉", "hot_metal", None),
            ("4号高炉", "hot_metal", bf4),
            ("烧结机", "sinter", sinter),
        ):
            row = two_high.create(
                conn,
                Scope.all(),
                a,
                {"sector": "steel", "name": name, "product": product, "item_id": item},
                actor="test",
            )
            made[name] = row["id"]
    return {"a": a, "b": b, "installations": made}


def test_default_period_is_the_latest_twelve_complete_months():
    period = ledger_period(TODAY)
    assert (period.start, period.last_day) == (date(2025, 12, 1), date(2026, 11, 30))


def test_positions_at_the_edges(engine, city):
    with engine.connect() as conn:
        answer = ledger(conn, Scope.all(), today=TODAY)
    assert (answer["start"], answer["end"], answer["partial"]) == (
        "2025-12-01",
        "2026-11-30",
        False,
    )
    rows = {row["name"]: row for row in answer["rows"]}
    one, two, three, four = (rows[f"{n}号高炉"] for n in "1234")
    assert one["unit_consumption"] == pytest.approx(435.0)
    assert (one["position"], one["needs_plan"], one["flag_zh"]) == ("between", False, None)
    assert two["unit_consumption"] == pytest.approx(361.0)
    assert two["position"] == "better_than_benchmark"
    assert four["unit_consumption"] == pytest.approx(500.0)
    assert (four["position"], four["needs_plan"], four["plan_missing"]) == (
        "worse_than_baseline",
        True,
        True,
    )
    assert four["flag_zh"] == "需整改，未制定方案"
    assert (four["benchmark"], four["baseline"], four["level_status_zh"]) == (
        361.0,
        435.0,
        "未核实",
    )
    assert (three["measure_status"], three["position"]) == ("ambiguous_items", "no_data")
    sinter = rows["烧结机"]
    assert sinter["unit_consumption"] == pytest.approx(40.0)
    assert (sinter["position"], sinter["benchmark"]) == ("no_level", None)
    assert one["sector_name"] == "钢铁"
    assert one["division_name"] == "铁东区"
    assert answer["counts"] == {
        "better_than_benchmark": 1,
        "between": 1,
        "worse_than_baseline": 1,
        "no_level": 1,
        "no_data": 1,
    }
    assert answer["plans_missing"] == 1


def test_a_year_in_progress_is_partial(engine, city):
    with engine.connect() as conn:
        answer = ledger(conn, Scope.all(), year=2026, today=TODAY)
    assert (answer["start"], answer["end"], answer["partial"]) == (
        "2026-01-01",
        "2026-12-04",
        True,
    )
    assert answer["through"] == "截至 12月4日"
    rows = {row["name"]: row for row in answer["rows"]}
    assert rows["4号高炉"]["unit_consumption"] == pytest.approx(500.0)


def test_a_year_without_data_has_no_data(engine, city):
    with engine.connect() as conn:
        answer = ledger(conn, Scope.all(), year=2024, today=TODAY)
    rows = {row["name"]: row for row in answer["rows"]}
    assert rows["1号高炉"]["position"] == "no_data"
    assert rows["烧结机"]["position"] == "no_level"  # no level known whatever the data


def test_enterprises_without_installations(engine, city):
    with engine.connect() as conn:
        page = unregistered(conn, Scope.all())
    assert [row["enterprise_id"] for row in page.items] == [city["b"]]
    assert page.items[0]["sector_name"] == "钢铁"
    assert page.items[0]["hint_zh"] == "未登记装置"


def test_scoping(engine, city):
    with engine.connect() as conn:
        own = ledger(conn, Scope("enterprise", enterprise_id=city["b"]), today=TODAY)
        other_district = ledger(conn, Scope("division", division_code="210381"), today=TODAY)
    assert own["rows"] == []
    assert other_district["rows"] == []
