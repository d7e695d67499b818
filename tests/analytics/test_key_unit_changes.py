"""Additions to and removals from the key-unit list, computed by hand (key_unit_city.py)."""

from __future__ import annotations

from datetime import date

import pytest
from key_unit_city import seed

from factories import add_enterprise
from nenghao.analytics.key_units import key_units
from nenghao.store.scope import Scope

AFTER = date(2026, 1, 5)


@pytest.fixture
def ids(engine):
    with engine.begin() as conn:
        found = {
            "leaves": add_enterprise(conn, "MA0000001", "210302", "2520"),
            "joins": add_enterprise(conn, "MA0000002", "210302", "3110"),
            "stays": add_enterprise(conn, "MA0000003", "210303", "3120"),
            "small": add_enterprise(conn, "MA0000004", "210381", "3089"),
        }
        seed(conn, found)
    return found


def test_additions_and_removals_with_both_years(engine, ids):
    with engine.connect() as conn:
        answer = key_units(conn, Scope.all(), 2025, today=AFTER)
    assert answer["previous_year"] == 2024
    [added] = answer["additions"]
    assert added["enterprise_id"] == ids["joins"]
    assert added["actual_tce"] == pytest.approx(11_000 * 0.9714)  # 10 685.4
    assert added["previous_tce"] == pytest.approx(9_000 * 0.9714)  # 8 742.6
    [removed] = answer["removals"]
    assert removed["enterprise_id"] == ids["leaves"]
    assert removed["actual_tce"] == pytest.approx(6_000 * 0.9714)  # 5 828.4
    assert removed["previous_tce"] == pytest.approx(12_000 * 0.9714)  # 11 656.8
    rows = {row["enterprise_id"]: row for row in answer["rows"]}
    stays = rows[ids["stays"]]
    assert (stays["actual_tce"], stays["previous_tce"]) == pytest.approx((14_571.0, 19_428.0))
    assert (stays["actual_level"], stays["previous_level"]) == ("key", "key")
    assert rows[ids["small"]]["previous_tce"] == 0.0
    assert rows[ids["leaves"]]["previous_level"] == "key"
    assert rows[ids["leaves"]]["actual_level"] == "designated_range"


def test_coverage_states_incomplete_years(engine, ids):
    with engine.connect() as conn:
        over = key_units(conn, Scope.all(), 2025, today=AFTER)
        running = key_units(conn, Scope.all(), 2025, today=date(2025, 7, 1))
    this, before = over["coverage"]
    assert (this["year"], this["over"], this["months_with_data"]) == (2025, True, 2)
    assert (before["year"], before["over"], before["months_with_data"]) == (2024, True, 3)
    assert not this["complete"]
    assert not before["complete"]
    assert running["coverage"][0]["over"] is False
    assert running["year_complete"] is False
    assert running["coverage"][1]["over"] is True


def test_a_district_sees_only_its_own_changes(engine, ids):
    with engine.connect() as conn:
        answer = key_units(conn, Scope("division", division_code="210303"), 2025, today=AFTER)
    assert [r["enterprise_id"] for r in answer["rows"]] == [ids["stays"]]
    assert answer["additions"] == []
    assert answer["removals"] == []
    this, before = answer["coverage"]
    assert (this["months_with_data"], before["months_with_data"]) == (1, 1)  # Jan 25, Mar 24
