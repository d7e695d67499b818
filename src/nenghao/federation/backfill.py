"""Backfill: queue what this platform already holds, when it starts forwarding.

Entries are queued only for data stored while an upstream is configured; a platform that
joins a federation with years of data queues it once with ``nenghao federation backfill``:
per enterprise, its register row, its data items, then its current readings in entries of
`CHUNK` readings (the revision history stays here; the upstream starts from the current
values). Each enterprise is one transaction; a backfill run twice queues twice (harmless:
the same values change nothing upstream, but it costs the transfer).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select

from nenghao.store import outbox
from nenghao.store.engine import write_lock
from nenghao.store.schema import data_items, enterprises, readings

CHUNK = 2000
"""Readings per backfilled entry."""

_COLUMNS = [readings.c[name] for name in (c.name for c in readings.columns)]


def backfill(
    engine: Engine,
    credit_codes: list[str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[int, int]:
    """Queue the enterprises (all, or those of `credit_codes`); (entries, readings) queued.
    `progress` is told each enterprise's credit code and readings."""
    with engine.connect() as conn:
        query = select(enterprises).order_by(enterprises.c.id)
        if credit_codes:
            query = query.where(enterprises.c.credit_code.in_(credit_codes))
        rows = [dict(row._mapping) for row in conn.execute(query)]
    entries = total = 0
    for row in rows:
        with write_lock(engine), engine.begin() as conn:
            if not outbox.forwarding(conn):
                raise RuntimeError("no upstream is configured: run set-upstream first")
            outbox.add(
                conn,
                row["id"],
                "enterprise",
                {
                    "credit_code": row["credit_code"],
                    "enterprise": outbox.enterprise_payload(row),
                },
            )
            items = conn.execute(
                select(data_items)
                .where(data_items.c.enterprise_id == row["id"])
                .order_by(data_items.c.id)
            ).all()
            for item in items:
                payload = {
                    "credit_code": row["credit_code"],
                    "item": outbox.item_payload(dict(item._mapping)),
                }
                outbox.add(conn, row["id"], "item", payload)
            entries += 1 + len(items)
            series = conn.execute(
                select(*_COLUMNS)
                .join(data_items, data_items.c.id == readings.c.item_id)
                .where(data_items.c.enterprise_id == row["id"])
                .order_by(readings.c.item_id, readings.c.period, readings.c.period_start)
            )
            count = 0
            while chunk := series.fetchmany(CHUNK):
                outbox.readings_written(conn, [tuple(r) for r in chunk])
                entries += 1
                count += len(chunk)
            total += count
        if progress is not None:
            progress(row["credit_code"], count)
    return entries, total
