"""The tables of notices (通知公告): the notice, whom it addresses, its attachments and its
read receipts (part of the schema, re-exported by `nenghao.store.schema`; migration 0014)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nenghao.store.metadata import enum_check, metadata

AUDIENCES = ("all", "divisions", "industries")
"""Whom a notice addresses: every enterprise, those of some divisions, of some industries."""

notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("audience", String(16), nullable=False),
    # division codes (GB/T 2260) or industry codes and prefixes (GB/T 4754); [] for "all"
    Column("audience_codes", JSON, nullable=False),
    Column("sender", String(64), nullable=False),
    Column("sender_role", String(16), nullable=False),
    Column("sender_division", String(6)),
    Column("sent_at", BigInteger, nullable=False, index=True),
    Column("publish_at", BigInteger),
    Column("expire_at", BigInteger),
    enum_check("audience", AUDIENCES),
)

notice_recipients = Table(
    "notice_recipients",
    metadata,
    Column("notice_id", Integer, ForeignKey("notices.id"), primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Index("ix_notice_recipients_enterprise", "enterprise_id"),
)
"""The enterprises a notice addresses, resolved when it is sent."""

notice_attachments = Table(
    "notice_attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notice_id", Integer, ForeignKey("notices.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("filename", String(200), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

notice_receipts = Table(
    "notice_receipts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notice_id", Integer, ForeignKey("notices.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("read_at", BigInteger, nullable=False),
    UniqueConstraint("notice_id", "user_id", name="uq_notice_receipts_notice_user"),
    Index("ix_notice_receipts_notice_enterprise", "notice_id", "enterprise_id"),
)
"""The first reading of a notice by each user of an addressed enterprise."""
