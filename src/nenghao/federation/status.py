"""What an operator watches: the outbox depth, the last delivery and the lag; the members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, or_, select

from nenghao.store import federation, outbox
from nenghao.store.schema import enterprises, readings
from nenghao.store.schema_federation import federation_months


def forwarding_status(conn: Connection, now: int) -> dict[str, Any]:
    """The upstream (None when not configured) and the outbox: entries, readings waiting,
    the age of the oldest entry (the lag, 0 when empty) and the delivery record."""
    entries, records, oldest = outbox.depth(conn)
    state = federation.upstream_state(conn)
    upstream = None
    if state is not None:
        upstream = {
            "url": state["url"],
            "adapter": state["adapter"],
            "key_id": state["key_id"],
            "configured_at": state["configured_at"],
            "last_delivery_at": state["last_delivery_at"],
            "delivered_entries": state["delivered_entries"],
            "delivered_records": state["delivered_records"],
            "failures": state["failures"],
            "next_attempt_at": state["next_attempt_at"],
            "last_error": state["last_error"],
            "last_error_at": state["last_error_at"],
            "closed_month": state["closed_month"],
        }
    return {
        "upstream": upstream,
        "outbox_entries": entries,
        "outbox_records": records,
        "oldest_entry_at": oldest,
        "lag_s": 0 if oldest is None else max(0, now - oldest),
    }


def member_status(conn: Connection) -> list[dict[str, Any]]:
    """Each member platform with the enterprises of its divisions registered here."""
    rows = federation.members(conn)
    for row in rows:
        prefixes = [enterprises.c.division_code.startswith(p) for p in row["divisions"]]
        counted = select(func.count()).select_from(enterprises).where(or_(*prefixes))
        row["enterprises"] = int(conn.execute(counted).scalar_one())
        row["active"] = row["revoked_at"] is None
        row["months_received"] = int(
            conn.execute(
                select(func.count()).where(federation_months.c.member_id == row["id"])
            ).scalar_one()
        )
    return rows


def readings_count(conn: Connection) -> int:
    """The readings stored (what a benchmark or a check compares across platforms)."""
    return int(conn.execute(select(func.count()).select_from(readings)).scalar_one())
