"""The tables of the carbon-peak pathway (碳达峰路径): scenarios, their growth assumptions and
their measures (part of the schema, re-exported by `nenghao.store.schema`; migration 0022).

A business-as-usual scenario holds the growth assumptions; a policy scenario names the
business-as-usual scenario whose assumptions it uses (``baseline_id``) and holds measures.
Every edit is audited (`nenghao.store.pathway`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Integer, String, Table, Text

from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata

SCENARIO_KINDS = ("bau", "policy")
"""Business as usual (基准情景), or a policy scenario (政策情景) built from measures."""
ASSUMPTION_PARAMETERS = ("output_growth", "intensity_change", "grid_factor_change")
MEASURE_KINDS = ("retrofit", "fuel_switch", "renewable_electricity", "capacity_change")
SAVING_STATUSES = ("verified", "claimed")

pathway_scenarios = Table(
    "pathway_scenarios",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("baseline_id", Integer, ForeignKey("pathway_scenarios.id")),
    Column("base_year", Integer, nullable=False),
    Column("description", Text),
    Column("created_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    _enum_check("kind", SCENARIO_KINDS),
)
"""The city's pathway scenarios."""

pathway_assumptions = Table(
    "pathway_assumptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("pathway_scenarios.id"), nullable=False, index=True),
    Column("parameter", String(24), nullable=False),
    Column("sector", String(16)),  # a sector of carbon_sectors.toml; none: every sector
    Column("from_year", Integer, nullable=False),
    Column("value_pct", Float, nullable=False),  # [% per year]
    Column("note", Text),
    Column("created_by", String(64), nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    _enum_check("parameter", ASSUMPTION_PARAMETERS),
)
"""Growth assumptions of a business-as-usual scenario."""

pathway_measures = Table(
    "pathway_measures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("pathway_scenarios.id"), nullable=False, index=True),
    Column("kind", String(24), nullable=False),
    Column("name", String(100), nullable=False),
    Column("sector", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("saving_tco2", Float),  # retrofit [tCO2/year]
    Column("saving_tce", Float),  # retrofit [tce/year]
    Column("status", String(8)),  # retrofit: verified or claimed
    Column("retrofit_id", Integer),  # the retrofit project (nenghao.retrofits), when known
    Column("from_kind", String(32)),  # fuel switch: energy-kind codes
    Column("to_kind", String(32)),
    Column("amount_tce", Float),  # fuel switch [tce/year]
    Column("mwh", Float),  # renewable electricity [MWh/year]
    Column("change_pct", Float),  # capacity change [% of the sector's output value]
    Column("created_by", String(64), nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    _enum_check("kind", MEASURE_KINDS),
)
"""Measures of a policy scenario, each from its year on."""
