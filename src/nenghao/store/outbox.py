"""The forwarding outbox: what this platform still owes its upstream (docs/federation.md).

Where an enterprise's register row, a data item or readings are stored, the same transaction
adds an outbox entry — only while an upstream is configured (`forwarding`: one primary-key
read per transaction that stores data). Entries carry what the upstream needs by name
(credit code, item code), never this platform's ids, so the forwarder sends them as they are.

Order per enterprise: an entry is added under the enterprise's transaction lock
(``pg_advisory_xact_lock(7301, enterprise)``, the uplink writers' lock), so one
enterprise's entries get their ids in commit order, and the forwarder sends in id order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from nenghao.store.common import now
from nenghao.store.schema import data_items, enterprises
from nenghao.store.schema_federation import federation_outbox, federation_upstream

ENTERPRISE_FIELDS = tuple(
    column.name for column in enterprises.c if column.name not in ("id", "created_at", "updated_at")
)
"""The register columns forwarded (the upstream's enterprise row takes them as they are)."""

ITEM_SKIPPED = frozenset({"id", "enterprise_id", "created_at"})
"""Data-item columns that are this platform's own (every other column is forwarded)."""

READING_FIELDS = (
    "item",
    "period",
    "start",
    "value",
    "register_value",
    "quality",
    "source",
    "revision",
    "received_at",
    "flags",
)
"""The order of a forwarded reading's values: the readings row with the item by its code."""


def forwarding(conn: Connection) -> bool:
    """True when an upstream is configured (then stored data is also put in the outbox)."""
    found = conn.execute(select(federation_upstream.c.id).where(federation_upstream.c.id == 1))
    return found.first() is not None


def _lock(conn: Connection, enterprise_id: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7301, :e)"), {"e": enterprise_id})


def add(
    conn: Connection, enterprise_id: int, kind: str, payload: Mapping[str, Any], records: int = 1
) -> None:
    """Add one entry for `enterprise_id` in `conn`'s transaction (under its lock)."""
    _lock(conn, enterprise_id)
    conn.execute(
        insert(federation_outbox).values(
            enterprise_id=enterprise_id,
            kind=kind,
            payload=dict(payload),
            records=records,
            created_at=now(),
        )
    )


def enterprise_payload(row: Mapping[str, Any]) -> dict[str, Any]:
    """What is forwarded of an enterprise's register row."""
    return {name: row[name] for name in ENTERPRISE_FIELDS}


def enterprise_saved(
    conn: Connection, row: Mapping[str, Any], former_credit_code: str | None = None
) -> None:
    """Forward the register row `row` (created or changed; `former_credit_code` when its code
    changed, so the upstream renames instead of adding)."""
    if not forwarding(conn):
        return
    payload = enterprise_payload(row)
    if former_credit_code and former_credit_code != row["credit_code"]:
        payload["former_credit_code"] = former_credit_code
    add(conn, row["id"], "enterprise", {"credit_code": row["credit_code"], "enterprise": payload})


def item_payload(row: Mapping[str, Any]) -> dict[str, Any]:
    """What is forwarded of a data item (dates as ISO text)."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in row.items()
        if name not in ITEM_SKIPPED and name in data_items.c
    }


def item_saved(conn: Connection, row: Mapping[str, Any], former_code: str | None = None) -> None:
    """Forward data item `row` (created, changed or deactivated)."""
    if not forwarding(conn):
        return
    code = conn.execute(
        select(enterprises.c.credit_code).where(enterprises.c.id == row["enterprise_id"])
    ).scalar_one()
    payload = item_payload(row)
    if former_code and former_code != row["code"]:
        payload["former_code"] = former_code
    add(conn, row["enterprise_id"], "item", {"credit_code": code, "item": payload})


def readings_written(
    conn: Connection,
    rows: Sequence[Sequence[Any]],
    removed: Sequence[tuple[int, str, int]] = (),
) -> None:
    """Forward readings rows (new values and new revisions, in readings column order) and
    removed slots (item id, period, start), one entry per enterprise. The caller checked
    `forwarding` (it builds the rows only then)."""
    if not (rows or removed):
        return
    ids = {row[0] for row in rows} | {slot[0] for slot in removed}
    names = {
        item_id: (enterprise_id, credit_code, code)
        for item_id, enterprise_id, credit_code, code in conn.execute(
            select(data_items.c.id, enterprises.c.id, enterprises.c.credit_code, data_items.c.code)
            .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
            .where(data_items.c.id.in_(sorted(ids)))
        )
    }
    written: dict[int, list[list[Any]]] = defaultdict(list)
    gone: dict[int, list[list[Any]]] = defaultdict(list)
    for row in rows:
        enterprise_id, _, code = names[row[0]]
        written[enterprise_id].append([code, *row[1:]])
    for item_id, period, start in removed:
        enterprise_id, _, code = names[item_id]
        gone[enterprise_id].append([code, period, start])
    credit_codes = {enterprise_id: credit for enterprise_id, credit, _ in names.values()}
    for enterprise_id in sorted(set(written) | set(gone)):
        payload = {
            "credit_code": credit_codes[enterprise_id],
            "readings": written.get(enterprise_id, []),
            "removed": gone.get(enterprise_id, []),
        }
        add(conn, enterprise_id, "readings", payload, records=len(payload["readings"]) or 1)


def pending(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The first `limit` entries, oldest first."""
    query = select(federation_outbox).order_by(federation_outbox.c.id).limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def acknowledge(conn: Connection, ids: Iterable[int]) -> None:
    """Remove delivered entries."""
    wanted = list(ids)
    if wanted:
        conn.execute(delete(federation_outbox).where(federation_outbox.c.id.in_(wanted)))


def depth(conn: Connection) -> tuple[int, int, int | None]:
    """The entries waiting, the readings they carry and the oldest one's creation time."""
    count, records, oldest = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(federation_outbox.c.records), 0),
            func.min(federation_outbox.c.created_at),
        )
    ).one()
    return int(count), int(records), None if oldest is None else int(oldest)
