"""Property: after any sequence of inserts and revisions, applied through apply_changes as the
writers do, every rollup equals the sum (and count) of the raw readings - and so does a
rebuild from scratch (both backends)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, update

from factories import add_enterprise, add_item, utc
from nenghao.standards.calendar import period_start
from nenghao.store.rollups import FEEDS, ReadingChange, apply_changes, rebuild
from nenghao.store.schema import (
    data_items,
    enterprises,
    readings,
    rollups,
    status_contacts,
    status_days,
)

BASE = utc(2025, 12, 31, 12)  # 20:00 CST on 31 December: slots cross day, month and year
STEP = {"15min": 900, "hour": 3600, "day": 86400}
operation = st.tuples(
    st.sampled_from(("15min", "hour", "day")),
    st.integers(min_value=0, max_value=40),
    st.floats(min_value=-1e3, max_value=1e6, allow_nan=False, allow_infinity=False),
)


def _write(conn, items, period, slot, value):
    """Insert or revise one reading and its rollups in one transaction, as a writer does."""
    start = BASE + slot * STEP[period]
    if period == "day":
        start = period_start("day", start)
    item = items[period]
    old = conn.execute(
        select(readings.c.value).where(
            readings.c.item_id == item,
            readings.c.period == period,
            readings.c.period_start == start,
        )
    ).scalar_one_or_none()
    if old is None:
        conn.execute(
            insert(readings).values(
                item_id=item,
                period=period,
                period_start=start,
                value=value,
                source="t",
                received_at=0,
            )
        )
        change = ReadingChange(item, period, start, value, 1)
    else:
        conn.execute(
            update(readings)
            .where(
                readings.c.item_id == item,
                readings.c.period == period,
                readings.c.period_start == start,
            )
            .values(value=value, revision=readings.c.revision + 1)
        )
        change = ReadingChange(item, period, start, value - old, 0)
    apply_changes(conn, [change])


def _expected(conn):
    cells = defaultdict(lambda: [0.0, 0])
    for item, period, start, value in conn.execute(
        select(readings.c.item_id, readings.c.period, readings.c.period_start, readings.c.value)
    ):
        for grain in FEEDS[period]:
            cell = cells[(item, grain, period_start(grain, start))]
            cell[0] += value
            cell[1] += 1
    return cells


def _stored(conn):
    return {
        (i, g, s): (v, c)
        for i, g, s, v, c in conn.execute(
            select(
                rollups.c.item_id,
                rollups.c.grain,
                rollups.c.period_start,
                rollups.c.value,
                rollups.c.count,
            )
        )
    }


def _assert_equal(stored, expected):
    live = {key: value for key, value in stored.items() if value[1]}
    assert set(live) == set(expected)
    for key, (total, count) in expected.items():
        value, stored_count = live[key]
        assert stored_count == count
        assert abs(value - total) <= 1e-6 * max(1.0, abs(total))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=30))
def test_rollups_equal_the_sums_of_the_readings(engine, operations):
    with engine.begin() as conn:
        for table in (rollups, readings, status_days, status_contacts, data_items, enterprises):
            conn.execute(delete(table))
        enterprise = add_enterprise(conn, "MA0000001", "210303", "3130")
        items = {
            period: add_item(
                conn,
                enterprise,
                f"E-{period}",
                energy_kind="electricity",
                unit="kWh",
                period=period,
            )
            for period in ("15min", "hour", "day")
        }
    for period, slot, value in operations:
        with engine.begin() as conn:
            _write(conn, items, period, slot, value)
    with engine.begin() as conn:
        expected = _expected(conn)
        _assert_equal(_stored(conn), expected)
        rebuild(conn)
        _assert_equal(_stored(conn), expected)
        rebuild(conn, [items["hour"]])
        _assert_equal(_stored(conn), expected)
