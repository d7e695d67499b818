"""The latest heartbeat of each device key (`device_heartbeats`): kept and read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from nenghao.store.schema import device_heartbeats


def record(conn: Connection, *, key_id: str, enterprise_id: int, **values: Any) -> None:
    """Keep a heartbeat as `key_id`'s latest (replacing the one before), in `conn`'s
    transaction; `values` are the other columns of `device_heartbeats`."""
    conn.execute(delete(device_heartbeats).where(device_heartbeats.c.key_id == key_id))
    conn.execute(
        insert(device_heartbeats).values(key_id=key_id, enterprise_id=enterprise_id, **values)
    )


def of_enterprise(conn: Connection, enterprise_id: int) -> dict[str, dict[str, Any]]:
    """The latest heartbeat of each key of `enterprise_id`, by key id (keys that never sent
    one are absent). The caller has checked that the enterprise is in scope."""
    rows = conn.execute(
        select(device_heartbeats).where(device_heartbeats.c.enterprise_id == enterprise_id)
    ).mappings()
    return {row["key_id"]: dict(row) for row in rows}
