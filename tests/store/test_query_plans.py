"""Query plans on PostgreSQL with partitioned readings: the analytics reads (monthly totals by
division and industry, daily and monthly figures per enterprise and per district) read the
rollups and never a readings partition; a reading looked up by item and period reads its
month's partition only (pruning)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from databases import migrated_pg_database
from factories import add_enterprise, add_item, utc
from nenghao.analytics.periods import Period
from nenghao.analytics.statistics import consumption, overview, series
from nenghao.ingest.writer import stored_readings
from nenghao.store import partitions
from nenghao.store.engine import make_engine
from nenghao.store.rollups import ReadingChange, apply_changes
from nenghao.store.scope import Scope

MARCH_2025 = utc(2025, 2, 28, 16)  # 2025-03-01 00:00 CST
HOURS = 31 * 24


@pytest.fixture(scope="module")
def pg() -> Iterator[Engine]:
    """Two enterprises in two districts, an hourly electricity item each, March 2025 stored
    hour by hour with its rollups, in month partitions from January to June."""
    with migrated_pg_database() as url:
        engine = make_engine(url)
        with engine.begin() as conn:
            for month in range(1, 7):
                for table in partitions.PARTITIONED:
                    partitions.add_month(conn, table, date(2025, month, 1))
            for org, division in (("PLANA0001", "210302"), ("PLANA0002", "210303")):
                enterprise = add_enterprise(conn, org, division, "3110")
                item = add_item(conn, enterprise, "E", unit="kWh", energy_kind="electricity")
                starts = [MARCH_2025 + 3600 * h for h in range(HOURS)]
                conn.execute(
                    text(
                        "INSERT INTO readings (item_id, period, period_start, value, source,"
                        " received_at) VALUES (:i, 'hour', :s, 10, 'test', :s)"
                    ),
                    [{"i": item, "s": s} for s in starts],
                )
                apply_changes(conn, [ReadingChange(item, "hour", s, 10.0) for s in starts])
            conn.execute(text("ANALYZE"))
        yield engine
        engine.dispose()


def _plans(engine: Engine, read: Callable[[Connection], Any]) -> list[dict[str, Any]]:
    """The plans (EXPLAIN (FORMAT JSON)) of every query `read` sends, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    with engine.connect() as conn:
        event.listen(engine, "before_cursor_execute", capture)
        try:
            read(conn)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        return [
            conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()[0]
            for statement, parameters in sent
        ]


def _relations(node: dict[str, Any]) -> set[str]:
    """Every relation a plan node and its children scan."""
    found = {node["Relation Name"]} if "Relation Name" in node else set()
    for child in node.get("Plans", []):
        found |= _relations(child)
    return found


READS = {
    "overview: monthly by division and industry": lambda c: overview(c, Scope.all(), 2025),
    "daily per enterprise": lambda c: series(
        c, Scope.all(), Period.month(2025, 3), "day", "enterprise"
    ),
    "monthly per district": lambda c: series(
        c, Scope.all(), Period.year(2025), "month", "division"
    ),
    "consumption per enterprise": lambda c: consumption(
        c, Scope.all(), Period.month(2025, 3), "enterprise"
    ),
    "consumption per district": lambda c: consumption(
        c, Scope.all(), Period.year(2025), "division"
    ),
}


@pytest.mark.parametrize("name", READS)
def test_analytics_reads_use_the_rollups_not_the_readings(pg: Engine, name: str) -> None:
    plans = _plans(pg, READS[name])
    scanned = set().union(*(_relations(plan["Plan"]) for plan in plans))
    assert "rollups" in scanned, name
    assert not {r for r in scanned if r.startswith("readings")}, (name, scanned)


def test_a_reading_lookup_by_item_and_period_reads_one_month_partition(pg: Engine) -> None:
    slot = (1, "hour", MARCH_2025 + 5 * 3600)
    (plan,) = _plans(pg, lambda c: stored_readings(c, [slot]))
    assert _relations(plan["Plan"]) == {"readings_p202503"}
    # and the answer is the stored reading
    with pg.connect() as conn:
        assert stored_readings(conn, [slot])[slot]["value"] == 10.0
