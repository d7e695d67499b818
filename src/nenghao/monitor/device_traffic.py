"""One enterprise's device status in detail: records received against expected per CST day,
and per device credential its last message, its messages and records per day and its latest
gateway heartbeat."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from nenghao.monitor.device_status import Owed, day_row, owed, received
from nenghao.monitor.heartbeats import heartbeat_view
from nenghao.standards.calendar import DAY_S, cst_date, cst_midnight
from nenghao.standards.vocabulary import DEVICE_CHANNELS
from nenghao.store import heartbeats
from nenghao.store.schema import device_credentials, uplink_archive
from nenghao.store.scope import Scope


def day_series(
    conn: Connection, scope: Scope, enterprise_id: int, as_of: int, days: int
) -> list[dict[str, Any]]:
    """The last `days` CST days up to today (today partial: expected so far)."""
    today = cst_date(as_of)
    first = today - timedelta(days=days - 1)
    due = owed(conn, scope, [enterprise_id]).get(enterprise_id) or Owed([])
    got = received(conn, scope, cst_midnight(first), [enterprise_id]).get(enterprise_id, {})
    out = []
    for k in range(days):
        day = first + timedelta(days=k)
        start = cst_midnight(day)
        if day == today:
            due_now, partial = due.so_far(day, as_of - start), True
        else:
            due_now, partial = due.per_day(day), False
        out.append(day_row(day, got.get(start, 0), due_now, partial=partial))
    return out


def credentials(
    conn: Connection, enterprise_id: int, as_of: int, days: int
) -> list[dict[str, Any]]:
    """Each credential of the enterprise (revoked ones too) with its last message, its
    messages and records (records the messages carried) per CST day of the last `days`, and
    its latest heartbeat (`heartbeat_view`, None when it never sent one)."""
    lo = cst_midnight(cst_date(as_of) - timedelta(days=days - 1))
    device = (
        uplink_archive.c.enterprise_id == enterprise_id,
        uplink_archive.c.channel.in_(DEVICE_CHANNELS),
    )
    last = dict(
        conn.execute(
            select(uplink_archive.c.actor, func.max(uplink_archive.c.received_at))
            .where(*device)
            .group_by(uplink_archive.c.actor)
        ).all()
    )
    per_day: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    rows = conn.execute(
        select(
            uplink_archive.c.actor, uplink_archive.c.received_at, uplink_archive.c.summary
        ).where(*device, uplink_archive.c.received_at >= lo)
    )
    for actor, at, summary in rows:
        cell = per_day[actor][cst_midnight(cst_date(at))]
        cell[0] += 1
        cell[1] += int(summary.get("records", 0)) if isinstance(summary, dict) else 0
    keys = conn.execute(
        select(
            device_credentials.c.key_id, device_credentials.c.label, device_credentials.c.revoked_at
        )
        .where(device_credentials.c.enterprise_id == enterprise_id)
        .order_by(device_credentials.c.id)
    ).all()
    beats = heartbeats.of_enterprise(conn, enterprise_id)
    out = []
    for key_id, label, revoked_at in keys:
        series = per_day.get(key_id, {})
        out.append(
            {
                "key_id": key_id,
                "label": label,
                "active": revoked_at is None,
                "last_seen_at": last.get(key_id),
                "heartbeat": heartbeat_view(beats.get(key_id), as_of),
                "days": [
                    {
                        "day": cst_date(lo + k * DAY_S),
                        "messages": series.get(lo + k * DAY_S, [0, 0])[0],
                        "records": series.get(lo + k * DAY_S, [0, 0])[1],
                    }
                    for k in range(days)
                ],
            }
        )
    return out
