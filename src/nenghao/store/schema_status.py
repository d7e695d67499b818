"""Tables of device status and fault reports (migration 0011; re-exported by
`nenghao.store.schema`).

``status_days`` and ``status_contacts`` are counters kept in the transaction that stores the
uplink's records (`nenghao.store.status_counts`), so the city's status page reads a few
thousand small rows instead of the readings.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from nenghao.standards.fault_causes import FAULT_CAUSES, FAULT_STATUSES
from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata

status_days = Table(
    "status_days",
    metadata,
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Column("day", BigInteger, primary_key=True, autoincrement=False),  # CST midnight
    Column("records", Integer, nullable=False),
    sqlite_with_rowid=False,
)
"""Readings stored per enterprise and CST day, of its automatically collected items with a
15-minute, hourly or daily period (the items the online rate counts)."""

status_contacts = Table(
    "status_contacts",
    metadata,
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Column("last_seen_at", BigInteger, nullable=False),
)
"""The last device contact of each enterprise [Unix s]: a gateway message (HTTP, MQTT), or
after a rebuild the newest receipt of an automatically collected reading."""

fault_reports = Table(
    "fault_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("key_id", String(40)),  # the device credential concerned, if one
    Column("cause", String(16), nullable=False),
    Column("cause_text", Text),
    Column("started_at", BigInteger, nullable=False),
    Column("expected_repair", Date, nullable=False),
    Column("status", String(10), nullable=False, server_default="open"),
    Column("reported_by", String(64), nullable=False),
    Column("reported_at", BigInteger, nullable=False),
    Column("repaired_at", BigInteger),
    Column("repaired_by", String(64)),
    Column("note", Text),
    _enum_check("cause", tuple(FAULT_CAUSES)),
    _enum_check("status", FAULT_STATUSES),
    Index("ix_fault_reports_enterprise", "enterprise_id", "status"),
    Index("ix_fault_reports_status", "status", "expected_repair"),
)
"""Faults an enterprise reports (故障报备): cause, start, expected repair date, repair."""
