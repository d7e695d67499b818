"""The tables of energy-saving retrofit projects (节能改造项目) and their non-routine
adjustments (part of the schema, re-exported by `nenghao.store.schema`; migration 0021).

A retrofit belongs to one enterprise and names the data items whose energy it affects
(``energy_items``, ids of the enterprise's energy and medium items) and its independent
variables (``variables``: each ``{"name", "unit", "item_id"}`` for a metered variable such as
the product output, or ``{"name", "unit", "values": {"2025-01": 512.0, …}}`` for monthly
values entered by hand, such as heating degree-days). The three periods are whole CST months,
stored as the first day of their first and last month.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

MV_OPTIONS = ("B", "C")
"""IPMVP option B (retrofit isolation, the retrofit's own meters) or C (whole facility)."""
GRANULARITIES = ("month", "hour")
"""The data the baseline model is fitted on."""
ADJUSTMENT_KINDS = ("capacity", "product", "other")
"""Non-routine adjustments: a capacity change, a product change, another change."""

retrofits = Table(
    "retrofits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("mv_option", String(1), nullable=False, server_default="B"),
    Column("granularity", String(8), nullable=False, server_default="month"),
    Column("energy_items", JSON, nullable=False),  # [data item id, …]
    Column("variables", JSON, nullable=False),  # [{"name", "unit", "item_id" | "values"}, …]
    Column("baseline_from", Date, nullable=False),
    Column("baseline_to", Date, nullable=False),
    Column("installation_from", Date, nullable=False),
    Column("installation_to", Date, nullable=False),
    Column("reporting_from", Date, nullable=False),
    Column("reporting_to", Date, nullable=False),
    Column("claimed_saving_tce", Float, nullable=False),  # [tce/a], equivalent value
    Column("investment_wan", Float),  # [万元]
    Column("measures", JSON, nullable=False),  # kiln and fuel before/after, description
    Column("flag_ratio", Float),  # the project's own claim-check share, else mv.toml's
    Column("note", Text),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("enterprise_id", "name", name="uq_retrofits_enterprise_name"),
    _enum_check("mv_option", MV_OPTIONS),
    _enum_check("granularity", GRANULARITIES),
)
"""The city's energy-saving retrofit projects (节能改造项目)."""

retrofit_adjustments = Table(
    "retrofit_adjustments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("retrofit_id", Integer, ForeignKey("retrofits.id"), nullable=False, index=True),
    Column("month", Date, nullable=False),  # first day of a reporting-period month
    Column("kind", String(10), nullable=False),
    Column("amount_tce", Float, nullable=False),  # [tce] added to the adjusted baseline
    Column("reason", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    _enum_check("kind", ADJUSTMENT_KINDS),
)
"""Non-routine adjustments (非常规调整) of a retrofit's baseline, each with its reason."""
