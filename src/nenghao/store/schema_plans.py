"""The table of an enterprise's collection plan versions (采集方案) (part of the schema,
re-exported by `nenghao.store.schema`); the items' own approval state is
`data_items.approval`."""

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

from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata

PLAN_VERSION_STATUSES = ("submitted", "approved", "returned")
"""The states a stored version takes (draft is the plan between versions)."""

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    # the items as submitted (one object per item) and the change from the approved plan
    Column("items", JSON, nullable=False),
    Column("diff", JSON, nullable=False),
    Column("submitted_by", String(64), nullable=False),
    Column("submitted_at", BigInteger, nullable=False),
    Column("note", Text),
    Column("reviewed_by", String(64)),
    Column("reviewed_at", BigInteger),
    Column("comment", Text),
    UniqueConstraint("enterprise_id", "version", name="uq_plan_versions_enterprise_version"),
    Index("ix_plan_versions_status", "status"),
    _enum_check("status", PLAN_VERSION_STATUSES),
)
"""Each submitted version of an enterprise's collection plan, with its review (migration 0010)."""
