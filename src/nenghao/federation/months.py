"""Closed months: each month's aggregates are forwarded once the month has closed.

A month (CST) closes `CLOSE_DAYS` days after it ends, leaving time for late uploads and
manual filing. Then the forwarder queues, per enterprise, each item's month rollup (its sum
and the count of readings summed) as one ``month`` entry. Readings that arrive after that are
still forwarded as readings; the upstream's own rollups follow them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from nenghao.standards.calendar import add_periods, period_start
from nenghao.store import federation, outbox
from nenghao.store.schema import data_items, enterprises, rollups

CLOSE_DAYS = 3
"""Days after the end of a month at which its aggregates are forwarded."""
DAY_S = 86400


def last_closed(now: int) -> int:
    """The start [Unix s] of the latest month closed at `now`."""
    current = period_start("month", now - CLOSE_DAYS * DAY_S)
    return add_periods("month", current, -1)


def queue_closed_months(conn: Connection, now: int) -> int:
    """Queue the aggregates of the months closed since the last call; the entries added.

    The first call after the upstream is configured only notes the latest closed month
    (earlier data is sent by ``nenghao federation backfill``)."""
    state = federation.upstream_state(conn)
    if state is None:
        return 0
    latest = last_closed(now)
    done = state["closed_month"]
    if done is not None and done >= latest:
        return 0
    added = 0
    month = latest if done is None else add_periods("month", done, 1)
    while done is not None and month <= latest:
        added += queue_month(conn, month)
        month = add_periods("month", month, 1)
    federation.record_closed_month(conn, latest)
    return added


def queue_month(conn: Connection, month: int) -> int:
    """One ``month`` entry per enterprise with rollups in the month starting at `month`."""
    query = (
        select(
            enterprises.c.id,
            enterprises.c.credit_code,
            data_items.c.code,
            rollups.c.value,
            rollups.c.count,
        )
        .join(data_items, data_items.c.id == rollups.c.item_id)
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(rollups.c.grain == "month", rollups.c.period_start == month)
        .order_by(enterprises.c.id, data_items.c.code)
    )
    items: dict[tuple[int, str], list[list[Any]]] = defaultdict(list)
    for enterprise_id, credit_code, code, value, count in conn.execute(query):
        items[(enterprise_id, credit_code)].append([code, value, count])
    for (enterprise_id, credit_code), rows in items.items():
        payload = {"credit_code": credit_code, "month": month, "items": rows}
        outbox.add(conn, enterprise_id, "month", payload, records=1)
    return len(items)
