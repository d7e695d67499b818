"""Item sums come from the rollups, in CST buckets, counting only the item's own period."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from factories import add_enterprise, add_item, utc
from nenghao.analytics.ledger import build_ledger
from nenghao.analytics.periods import Period
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings
from nenghao.store.scope import Scope


@pytest.fixture
def one_item(engine):
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0000001", "210303", "3130")
        return add_item(conn, enterprise, "E-ELEC", energy_kind="electricity", unit="kWh")


def test_month_boundary_is_midnight_china_standard_time(engine, one_item):
    rows = [
        # 2026-01-31 23:00 CST = 15:00 UTC: January
        (utc(2026, 1, 31, 15), "hour", 10.0),
        # 2026-02-01 00:00 CST = 2026-01-31 16:00 UTC: February
        (utc(2026, 1, 31, 16), "hour", 7.0),
        # 2026-01-01 00:00 CST = 2025-12-31 16:00 UTC: January of 2026
        (utc(2025, 12, 31, 16), "hour", 1.5),
        # 2025-12-31 23:00 CST: previous year, excluded
        (utc(2025, 12, 31, 15), "hour", 100.0),
        # a daily total for an hourly item is not counted a second time
        (utc(2026, 1, 30, 16), "day", 999.0),
    ]
    with engine.begin() as conn:
        conn.execute(
            insert(readings),
            [
                {
                    "item_id": one_item,
                    "period": period,
                    "period_start": start,
                    "value": value,
                    "source": "test",
                    "received_at": start,
                }
                for start, period, value in rows
            ],
        )
        rebuild(conn)
    with engine.connect() as conn:
        january = build_ledger(conn, Scope.all(), Period.parse("2026-01"))
        february = build_ledger(conn, Scope.all(), Period.parse("2026-02"))
        year = build_ledger(conn, Scope.all(), Period.parse("2026"))
        last_day = build_ledger(conn, Scope.all(), Period.parse("2025-12-31"))
    assert list(january.quantities) == pytest.approx([11.5])  # 10 + 1.5
    assert list(february.quantities) == pytest.approx([7.0])
    assert list(year.quantities) == pytest.approx([18.5])
    assert list(last_day.quantities) == pytest.approx([100.0])
