"""The tables of forwarding upstream and of member platforms (migration 0019; re-exported by
`nenghao.store.schema`). See docs/federation.md.

Downstream (the platform that forwards): `federation_upstream` (one row: where to, with which
key, and the state of delivery) and `federation_outbox` (what is still to forward, written in
the transaction of the data it carries). Upstream (the platform that receives):
`federation_members` (member platforms, their divisions and credential),
`federation_applied` (the entries applied per member: the receiver's idempotency record) and
`federation_months` (each member's closed-month aggregates, as forwarded).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata

OUTBOX_KINDS = ("enterprise", "item", "readings", "month")
"""What an outbox entry carries: a register upsert, a data-item upsert, readings (with their
revisions and removals), or a closed month's aggregates."""

federation_upstream = Table(
    "federation_upstream",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one upstream per platform
    Column("url", String(300), nullable=False),
    Column("adapter", String(32), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("sealed_secret", LargeBinary, nullable=False),  # AES-GCM under the master key
    Column("configured_at", BigInteger, nullable=False),
    Column("closed_month", BigInteger),  # start of the last month whose aggregates are queued
    Column("last_delivery_at", BigInteger),
    Column("delivered_entries", BigInteger, nullable=False, server_default="0"),
    Column("delivered_records", BigInteger, nullable=False, server_default="0"),
    Column("failures", Integer, nullable=False, server_default="0"),  # in a row
    Column("next_attempt_at", BigInteger),
    Column("last_error", Text),
    Column("last_error_at", BigInteger),
)
"""Where this platform forwards (``nenghao federation set-upstream``) and how delivery goes."""

federation_outbox = Table(
    "federation_outbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("records", Integer, nullable=False),  # readings carried (1 for the other kinds)
    Column("created_at", BigInteger, nullable=False),
    _enum_check("kind", OUTBOX_KINDS),
    sqlite_autoincrement=True,  # an id is never reused: the receiver remembers ids
)
"""Entries to forward, in id order; deleted once the upstream acknowledged them."""

federation_members = Table(
    "federation_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("divisions", JSON, nullable=False),  # division codes (prefixes: 2103 is Anshan)
    Column("key_id", String(40), nullable=False, unique=True),
    Column("secret_hash", String(200), nullable=False),  # as device credentials
    Column("salt", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
    Column("last_batch_at", BigInteger),
    Column("applied_entries", BigInteger, nullable=False, server_default="0"),
)
"""Member platforms that forward to this one (``nenghao federation add-member``)."""

federation_applied = Table(
    "federation_applied",
    metadata,
    Column("member_id", Integer, ForeignKey("federation_members.id"), primary_key=True),
    Column("entry_id", BigInteger, primary_key=True),
    Column("applied_at", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
"""The member's entries applied here: an entry delivered again changes nothing."""

federation_months = Table(
    "federation_months",
    metadata,
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Column("item_code", String(64), primary_key=True),
    Column("month_start", BigInteger, primary_key=True),
    Column("member_id", Integer, ForeignKey("federation_members.id"), nullable=False),
    Column("value", Float, nullable=False),
    Column("count", Integer, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
"""A member's aggregate of each item and closed month, as it forwarded it (to compare with
the rollups built here from the forwarded readings)."""
