"""The latest heartbeat of each device key (migration 0018; re-exported by
`nenghao.store.schema`).

A gateway reports its version, queue depth, rejected count, the last successful read of each
meter and its own view of the clock skew every few minutes (docs/uplink-protocol.md,
section 12). Only the latest heartbeat per key is kept: it is a state, not a history.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Float, ForeignKey, Integer, String, Table

from nenghao.store.metadata import metadata

device_heartbeats = Table(
    "device_heartbeats",
    metadata,
    Column("key_id", String(40), ForeignKey("device_credentials.key_id"), primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("channel", String(8), nullable=False),  # http | mqtt
    Column("received_at", BigInteger, nullable=False),  # platform clock [Unix s]
    Column("sent_at", BigInteger, nullable=False),  # the gateway's clock [Unix s]
    Column("gateway_version", String(40), nullable=False),
    Column("interval_s", Integer, nullable=False),  # the next heartbeat is due within [s]
    Column("queue_depth", Integer, nullable=False),
    Column("rejected_count", Integer, nullable=False),
    Column("reported_skew_s", Float),  # platform − gateway, as the gateway measured it [s]
    Column("meters", JSON, nullable=False),  # [{"meter", "item", "last_read_at"}]
)
"""One row per device key: its latest heartbeat. The platform's skew is
``received_at − sent_at`` [s] (to the second, transit included)."""
