"""A device key's latest gateway heartbeat as the device status shows it: what the gateway
reported, and whether it is stale or its clock beyond the protocol's tolerance.

Stale: more than `HEARTBEAT_STALE_FACTOR` of the gateway's announced intervals since it was
received. Skew: the platform's ``received_at − sent_at`` [s] (to the second, transit
included); beyond `SIGNING_WINDOW_S` in either direction the gateway's uploads are refused
(``stale_timestamp``) until its clock is set.
"""

from __future__ import annotations

from typing import Any

from nenghao.standards.vocabulary import HEARTBEAT_STALE_FACTOR, SIGNING_WINDOW_S


def heartbeat_view(row: dict[str, Any] | None, as_of: int) -> dict[str, Any] | None:
    """The status view of a `device_heartbeats` row at `as_of` [Unix s]; None without one."""
    if row is None:
        return None
    skew = int(row["received_at"]) - int(row["sent_at"])
    return {
        "received_at": row["received_at"],
        "sent_at": row["sent_at"],
        "channel": row["channel"],
        "gateway_version": row["gateway_version"],
        "interval_s": row["interval_s"],
        "queue_depth": row["queue_depth"],
        "rejected_count": row["rejected_count"],
        "clock_skew_s": skew,
        "reported_skew_s": row["reported_skew_s"],
        "skew_beyond_tolerance": abs(skew) > SIGNING_WINDOW_S,
        "stale": as_of - int(row["received_at"]) > HEARTBEAT_STALE_FACTOR * row["interval_s"],
        "meters": list(row["meters"] or []),
    }
