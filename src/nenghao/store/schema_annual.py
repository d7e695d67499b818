"""The tables of the annual energy-utilisation report filing (能源利用状况报告): one report per
enterprise and year, and each saved or submitted version of it (part of the schema,
re-exported by `nenghao.store.schema`; migration 0013)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nenghao.store.metadata import enum_check, metadata

REPORT_STATUSES = ("draft", "submitted", "returned", "accepted")
"""draft → submitted → returned | accepted; returned → (edited) → submitted."""
VERSION_EVENTS = ("saved", "submitted")
REVIEWS = ("returned", "accepted")

annual_reports = Table(
    "annual_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(16), nullable=False, server_default="draft"),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("parts", JSON),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("submitted_at", BigInteger),
    Column("reviewed_at", BigInteger),
    Column("accepted_version", Integer),
    Column("review_comment", Text),
    UniqueConstraint("enterprise_id", "year", name="uq_annual_reports_enterprise_year"),
    Index("ix_annual_reports_year_status", "year", "status"),
    enum_check("status", REPORT_STATUSES),
)

annual_report_versions = Table(
    "annual_report_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("annual_reports.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event", String(16), nullable=False),
    Column("parts", JSON, nullable=False),
    Column("figures", JSON),  # the prefilled figures as submitted (None for a save)
    Column("author", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("review", String(16)),
    Column("review_comment", Text),
    Column("reviewed_by", String(64)),
    Column("reviewed_at", BigInteger),
    UniqueConstraint("report_id", "version", name="uq_annual_report_versions_report_version"),
    enum_check("event", VERSION_EVENTS),
    enum_check("review", REVIEWS),
)
