"""The tables of an enterprise's data items (采集数据项) and their versions (part of the
schema, re-exported by `nenghao.store.schema`)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nenghao.standards.calendar import PERIODS
from nenghao.standards.vocabulary import ITEM_APPROVALS, MEASURES, STAGES, USAGES, VALUE_KINDS
from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata

data_items = Table(
    "data_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("measures", String(16), nullable=False),
    Column("energy_kind", String(32)),
    Column("product_code", String(48)),
    Column("usage", String(16), nullable=False),
    Column("renewable", Boolean, nullable=False, server_default="0"),
    # "enterprise" (the fence) or the process: what analytics reads (derived, see items.md)
    Column("boundary", String(64), nullable=False, server_default="enterprise"),
    Column("unit", String(16), nullable=False),
    Column("period", String(8), nullable=False),
    Column("value_kind", String(10), nullable=False, server_default="interval"),
    Column("heating_value", Float),
    Column("heating_value_unit", String(16)),
    Column("manual", Boolean, nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", BigInteger, nullable=False),
    # Uplink validation limits (migration 0003): see nenghao.ingest.item_limits.ItemSpec.
    Column("allow_negative", Boolean, nullable=False, server_default="0"),
    Column("max_value", Float),
    Column("register_max", Float),
    Column("register_resolution", Float),
    # Stage of the energy flow, process and meter (migration 0009): see docs/items.md.
    Column("stage", String(16), nullable=False, server_default="fence"),
    Column("process", String(32)),
    Column("ct_ratio", Float),
    Column("pt_ratio", Float),
    Column("accuracy_class", String(8)),
    Column("calibration_due", Date),
    # Place in the collection plan (migration 0010): see docs/plans.md. Rows inserted
    # without it (items older than the plan, the demo city) are approved.
    Column("approval", String(8), nullable=False, server_default="approved"),
    UniqueConstraint("enterprise_id", "code", name="uq_data_items_enterprise_code"),
    _enum_check("measures", MEASURES),
    _enum_check("usage", USAGES),
    _enum_check("period", PERIODS),
    _enum_check("value_kind", VALUE_KINDS),
    _enum_check("stage", STAGES),
    _enum_check("approval", ITEM_APPROVALS),
)

data_item_versions = Table(
    "data_item_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("data_items.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("changed_by", String(64), nullable=False),
    Column("changed_at", BigInteger, nullable=False),
    Column("reason", Text),
    UniqueConstraint("item_id", "version", name="uq_data_item_versions_item_version"),
    Index("ix_data_item_versions_item_from", "item_id", "valid_from"),
)
"""Each state of a data item from the CST date it took effect (migration 0009)."""
