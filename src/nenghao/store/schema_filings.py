"""The tables of monthly and annual filings (月报 / 年报) with their revisions (part of the
schema, re-exported by `nenghao.store.schema`); see docs/filing.md."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata

FILING_PERIODS = ("month", "year")
FILING_STATUSES = ("filed", "review")
"""``review`` (需复核): a line differs from the online figure by more than the limit."""
LINE_KINDS = ("energy", "product", "output_value", "added_value")
LINE_MODES = ("reading", "boundary", "compared")
"""How a line was taken: the reading of a manual item, the reading of the boundary item made
for it, or compared with the online sum (not stored as a reading)."""

filings = Table(
    "filings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("period", String(8), nullable=False),
    Column("period_start", BigInteger, nullable=False),
    Column("label", String(7), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(8), nullable=False),
    Column("filed_by", String(64), nullable=False),
    Column("filed_at", BigInteger, nullable=False),
    UniqueConstraint("enterprise_id", "period", "period_start", name="uq_filings_period"),
    _enum_check("period", FILING_PERIODS),
    _enum_check("status", FILING_STATUSES),
)

filing_revisions = Table(
    "filing_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("filing_id", Integer, ForeignKey("filings.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(8), nullable=False),
    Column("filed_by", String(64), nullable=False),
    Column("filed_at", BigInteger, nullable=False),
    Column("reason", Text),
    UniqueConstraint("filing_id", "revision", name="uq_filing_revisions_revision"),
)

filing_lines = Table(
    "filing_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("filing_id", Integer, ForeignKey("filings.id"), nullable=False, index=True),
    Column("revision", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("subject", String(48)),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("item_id", Integer, ForeignKey("data_items.id")),
    Column("online", Float),
    Column("online_days", Integer),
    Column("period_days", Integer, nullable=False),
    Column("difference", Float),
    Column("flagged", Boolean, nullable=False, server_default="0"),
    _enum_check("kind", LINE_KINDS),
    _enum_check("mode", LINE_MODES),
)
