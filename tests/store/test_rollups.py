"""Rollups follow CST calendar buckets and always equal the sums of the readings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from nenghao.store.credit_code import make_credit_code
from nenghao.store.rollups import ReadingChange, apply_changes, bucket_start, rebuild
from nenghao.store.schema import data_items, enterprises, readings, rollups


def _utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def test_buckets_are_china_standard_time():
    instant = _utc(2026, 2, 28, 17, 30)  # 2026-03-01 01:30 CST
    assert bucket_start("hour", instant) == _utc(2026, 2, 28, 17)
    assert bucket_start("day", instant) == _utc(2026, 2, 28, 16)  # 03-01 00:00 CST
    assert bucket_start("month", instant) == _utc(2026, 2, 28, 16)
    assert bucket_start("year", instant) == _utc(2025, 12, 31, 16)
    assert bucket_start("month", _utc(2026, 2, 28, 15)) == _utc(2026, 1, 31, 16)


@pytest.fixture
def item(engine):
    with engine.begin() as conn:
        ent = conn.execute(
            insert(enterprises).values(
                credit_code=make_credit_code("210303", "MA0000009"),
                name="测试",
                division_code="210303",
                industry_code="3130",
                created_at=0,
                updated_at=0,
            )
        ).inserted_primary_key[0]
        return conn.execute(
            insert(data_items).values(
                enterprise_id=ent,
                code="E",
                name="电",
                measures="energy",
                energy_kind="electricity",
                usage="consumption",
                unit="kWh",
                period="15min",
                created_at=0,
            )
        ).inserted_primary_key[0]


def _table(conn):
    return {
        (g, s): (v, c)
        for g, s, v, c in conn.execute(
            select(rollups.c.grain, rollups.c.period_start, rollups.c.value, rollups.c.count)
        )
    }


def test_incremental_changes_equal_a_rebuild(engine, item):
    start = _utc(2026, 2, 28, 15, 30)  # 23:30 CST, last day of February
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
    feb, mar = _utc(2026, 1, 31, 16), _utc(2026, 2, 28, 16)
    assert incremental[("month", feb)] == (3.0, 2)
    assert incremental[("month", mar)] == (9.0, 2)
    assert incremental[("year", _utc(2025, 12, 31, 16))] == (12.0, 4)
    assert incremental[("hour", _utc(2026, 2, 28, 16))] == (9.0, 2)
    assert incremental[("day", mar)] == (9.0, 2)
