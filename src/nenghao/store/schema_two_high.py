"""The tables of existing two-high installations (存量两高项目) and their rectification plans
(part of the schema, re-exported by `nenghao.store.schema`; migration 0017).

An installation (装置, e.g. "2号高炉") belongs to one enterprise, one two-high sector of
``standards/data/two_high.toml`` and, when its product has a quota, one product of the quota
catalogue; ``item_id`` optionally names the product data item that meters its output (needed
only when the enterprise meters several outputs of the same product). A rectification plan
(整改方案) is open until a regulator confirms it completed; "overdue" is derived (deadline
passed, still open), never stored.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
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

INSTALLATION_STATUSES = ("active", "closed")
"""An installation in operation, or closed (淘汰/关停): kept in the ledger's history."""
PLAN_STATUSES = ("open", "completed")
"""A plan being carried out, or confirmed completed by a regulator (overdue is derived)."""

two_high_installations = Table(
    "two_high_installations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("sector", String(32), nullable=False),  # a code of two_high.toml
    Column("name", String(100), nullable=False),
    Column("product", String(40)),  # a product of the quota catalogue
    Column("item_id", Integer, ForeignKey("data_items.id")),
    Column("capacity", Float),
    Column("capacity_unit", String(16)),
    Column("commissioned_year", Integer),
    Column("status", String(8), nullable=False, server_default="active"),
    Column("note", Text),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("enterprise_id", "name", name="uq_two_high_installations_enterprise_name"),
    _enum_check("status", INSTALLATION_STATUSES),
)
"""The city's two-high installations (两高装置台账)."""

rectification_plans = Table(
    "rectification_plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "installation_id",
        Integer,
        ForeignKey("two_high_installations.id"),
        nullable=False,
        index=True,
    ),
    Column("measures", Text, nullable=False),
    Column("target_unit_consumption", Float, nullable=False),  # [kgce/t]
    Column("deadline", Date, nullable=False),  # the last CST day of the plan
    Column("responsible_name", String(50), nullable=False),
    Column("responsible_phone", String(24), nullable=False),
    Column("status", String(10), nullable=False, server_default="open"),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("completed_at", BigInteger),
    Column("completed_by", String(64)),
    Column("completion_note", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    _enum_check("status", PLAN_STATUSES),
)
"""Rectification plans (整改方案) of installations worse than the baseline level."""

rectification_updates = Table(
    "rectification_updates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("rectification_plans.id"), nullable=False, index=True),
    Column("on_date", Date, nullable=False),  # the CST day the progress refers to
    Column("actor", String(64), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)
"""Progress notes on a plan (整改进展), by the enterprise or a regulator."""
