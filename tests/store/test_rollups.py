"""Rollups follow CST calendar buckets and always equal the sums of the readings."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from factories import add_enterprise, add_item, utc
from nenghao.standards.calendar import period_start
from nenghao.store.rollups import ReadingChange, apply_changes, rebuild
from nenghao.store.schema import readings, rollups


def test_buckets_are_china_standard_time():
    instant = utc(2026, 2, 28, 17, 30)  # 2026-03-01 01:30 CST
    assert period_start("hour", instant) == utc(2026, 2, 28, 17)
    assert period_start("day", instant) == utc(2026, 2, 28, 16)  # 03-01 00:00 CST
    assert period_start("month", instant) == utc(2026, 2, 28, 16)
    assert period_start("year", instant) == utc(2025, 12, 31, 16)
    assert period_start("month", utc(2026, 2, 28, 15)) == utc(2026, 1, 31, 16)


@pytest.fixture
def item(engine):
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0000009", "210303", "3130")
        return add_item(
            conn, enterprise, "E", energy_kind="electricity", unit="kWh", period="15min"
        )


def _table(conn):
    return {
        (g, s): (v, c)
        for g, s, v, c in conn.execute(
            select(rollups.c.grain, rollups.c.period_start, rollups.c.value, rollups.c.count)
        )
    }


def test_incremental_changes_equal_a_rebuild(engine, item):
    start = utc(2026, 2, 28, 15, 30)  # 23:30 CST, last day of February
    values = [1.0, 2.0, 4.0, 8.0]  # 23:30, 23:45, 00:00 (March), 00:15
    rows = [
        {
            "item_id": item,
            "period": "15min",
            "period_start": start + 900 * i,
            "value": v,
            "source": "t",
            "received_at": 0,
        }
        for i, v in enumerate(values)
    ]
    with engine.begin() as conn:
        conn.execute(insert(readings), rows)
        apply_changes(
            conn, [ReadingChange(item, "15min", r["period_start"], r["value"]) for r in rows]
        )
        # a revision of the last reading from 8 to 5
        conn.execute(
            readings.update()
            .where(readings.c.period_start == rows[-1]["period_start"])
            .values(value=5.0, revision=2)
        )
        apply_changes(conn, [ReadingChange(item, "15min", rows[-1]["period_start"], -3.0, 0)])
        incremental = _table(conn)
        rebuild(conn)
        assert _table(conn) == incremental
    feb, mar = utc(2026, 1, 31, 16), utc(2026, 2, 28, 16)
    assert incremental[("month", feb)] == (3.0, 2)
    assert incremental[("month", mar)] == (9.0, 2)
    assert incremental[("year", utc(2025, 12, 31, 16))] == (12.0, 4)
    assert incremental[("hour", utc(2026, 2, 28, 16))] == (9.0, 2)
    assert incremental[("day", mar)] == (9.0, 2)
