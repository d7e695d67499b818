"""Device-status counters, kept in the transaction that stores the uplink's records.

`add_records` runs inside `nenghao.store.rollups.apply_changes` (every writer of readings
calls it with each reading's change), `touch` inside `nenghao.store.archive.add` for gateway
messages; `rebuild` recomputes both from the rollups, the readings and the archive (after
bulk loads, from `nenghao.store.rollups.rebuild`). So ``status_days.records`` always equals
the number of stored readings of the enterprise's counted items per CST day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, delete, func, select, union_all

from nenghao.standards.vocabulary import DEVICE_CHANNELS
from nenghao.store.schema import (
    data_items,
    readings,
    rollups,
    status_contacts,
    status_days,
    uplink_archive,
)

COUNTED_PERIODS: dict[str, int] = {"15min": 96, "hour": 24, "day": 1}
"""Periods the online rate counts, with the records one item owes per day."""

_ADD = (
    "INSERT INTO status_days (enterprise_id, day, records) VALUES ({0}, {0}, {0}) "
    "ON CONFLICT (enterprise_id, day) DO UPDATE SET "
    "records = status_days.records + excluded.records"
)
_TOUCH = (
    "INSERT INTO status_contacts (enterprise_id, last_seen_at) VALUES ({0}, {0}) "
    "ON CONFLICT (enterprise_id) DO UPDATE SET last_seen_at = CASE "
    "WHEN excluded.last_seen_at > status_contacts.last_seen_at "
    "THEN excluded.last_seen_at ELSE status_contacts.last_seen_at END"
)


def _marker(conn: Connection) -> str:
    return "%s" if conn.dialect.name == "postgresql" else "?"


def add_records(conn: Connection, days: Mapping[tuple[int, str, int], int]) -> None:
    """Add reading counts per (item id, period, CST day) to their enterprises' days
    (items of counted periods that are collected automatically; the others are skipped)."""
    wanted = {item for (item, period, _day), n in days.items() if n and period in COUNTED_PERIODS}
    if not wanted:
        return
    owners = dict(
        conn.execute(
            select(data_items.c.id, data_items.c.enterprise_id).where(
                data_items.c.id.in_(sorted(wanted)), data_items.c.manual.is_(False)
            )
        ).all()
    )
    sums: dict[tuple[int, int], int] = defaultdict(int)
    for (item, _period, day), n in days.items():
        if item in owners:
            sums[(owners[item], day)] += n
    rows = [(e, d, n) for (e, d), n in sorted(sums.items()) if n]
    if rows:
        conn.exec_driver_sql(_ADD.format(_marker(conn)), rows)


def touch(conn: Connection, enterprise_id: int, at: int) -> None:
    """Record a gateway message of the enterprise at `at` [Unix s]."""
    conn.exec_driver_sql(_TOUCH.format(_marker(conn)), [(enterprise_id, at)])


def rebuild(conn: Connection, item_ids: Sequence[int] | None = None) -> None:
    """Recompute the counters of the enterprises owning `item_ids` (default: all) from the
    day rollups, the daily readings and the archive (the rollups must be current)."""
    owners = select(data_items.c.enterprise_id).distinct()
    if item_ids is not None:
        owners = owners.where(data_items.c.id.in_(list(item_ids)))
    ids = [row[0] for row in conn.execute(owners)]
    if not ids:
        return
    for table in (status_days, status_contacts):
        conn.execute(delete(table).where(table.c.enterprise_id.in_(ids)))
    counted = (
        data_items.c.enterprise_id.in_(ids),
        data_items.c.manual.is_(False),
    )
    fine = (
        select(data_items.c.enterprise_id, rollups.c.period_start.label("day"), rollups.c.count)
        .join(data_items, data_items.c.id == rollups.c.item_id)
        .where(*counted, rollups.c.grain == "day", data_items.c.period.in_(("15min", "hour")))
    )
    daily = (
        select(data_items.c.enterprise_id, readings.c.period_start, func.count())
        .join(data_items, data_items.c.id == readings.c.item_id)
        .where(*counted, data_items.c.period == "day", readings.c.period == "day")
        .group_by(data_items.c.enterprise_id, readings.c.period_start)
    )
    source = union_all(fine, daily).subquery()
    grouped = select(source.c[0], source.c[1], func.sum(source.c[2])).group_by(
        source.c[0], source.c[1]
    )
    conn.execute(status_days.insert().from_select(["enterprise_id", "day", "records"], grouped))
    contacts = _last_contacts(conn, ids)
    if contacts:
        conn.execute(
            status_contacts.insert(),
            [{"enterprise_id": e, "last_seen_at": at} for e, at in sorted(contacts.items())],
        )


def _last_contacts(conn: Connection, ids: Iterable[int]) -> dict[int, int]:
    """Newest gateway message or receipt of an automatically collected reading."""
    ids = list(ids)
    out: dict[int, int] = {}
    archived = (
        select(uplink_archive.c.enterprise_id, func.max(uplink_archive.c.received_at))
        .where(
            uplink_archive.c.enterprise_id.in_(ids),
            uplink_archive.c.channel.in_(DEVICE_CHANNELS),
        )
        .group_by(uplink_archive.c.enterprise_id)
    )
    newest = (
        select(func.max(readings.c.received_at))
        .where(readings.c.item_id == data_items.c.id, readings.c.period == data_items.c.period)
        .scalar_subquery()
    )
    received = select(data_items.c.enterprise_id, newest).where(
        data_items.c.enterprise_id.in_(ids),
        data_items.c.manual.is_(False),
        data_items.c.period.in_(list(COUNTED_PERIODS)),
    )
    for enterprise_id, at in [*conn.execute(archived), *conn.execute(received)]:
        if at is not None:
            out[enterprise_id] = max(out.get(enterprise_id, 0), int(at))
    return out
