"""The tables of the project register (固定资产投资项目节能审查): the project, its planned and
existing energy, its products, the history of its review, its documents and (after
commissioning) the data items that meter it (part of the schema, re-exported by
`nenghao.store.schema`; migration 0016)."""

from __future__ import annotations

from typing import Literal, get_args

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
    LargeBinary,
    String,
    Table,
    Text,
)

from nenghao.store.metadata import enum_check, metadata

ProjectStatus = Literal[
    "draft",
    "submitted",
    "under_review",
    "expert_review",
    "approved",
    "rejected",
    "filed",
    "withdrawn",
]
"""The states of a project (see `nenghao.review.workflow` for the transitions)."""
PROJECT_STATUSES: tuple[ProjectStatus, ...] = get_args(ProjectStatus)

ENERGY_LINES = ("planned", "existing")
"""planned: the project's annual consumption; existing: the consumption before a same-site
reconstruction (the increment counts)."""

DocumentKind = Literal["energy_report", "expert_opinion", "commitment", "approval", "other"]
"""节能报告, 专家意见, 承诺书, 审查意见/批复, 其他."""
DOCUMENT_KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),  # XM-2026-0001
    Column("name", String(200), nullable=False),
    # the applicant: an enterprise of the register, or a new one by name and credit code
    Column("applicant_enterprise_id", Integer, ForeignKey("enterprises.id"), index=True),
    Column("applicant_name", String(200)),
    Column("applicant_credit_code", String(18)),
    Column("division_code", String(6), nullable=False, index=True),
    Column("industry_code", String(8), nullable=False),
    Column("construction_type", String(16), nullable=False),
    Column("first_full_year", Integer, nullable=False),
    Column("output_value", Float),  # [万元/a]
    Column("added_value", Float),  # [万元/a]
    Column("simple_process", Boolean, nullable=False, server_default="0"),
    Column("location", String(200)),
    Column("description", Text),
    Column("status", String(16), nullable=False, server_default="draft"),
    # from the last assessment, so that lists can filter and mark
    Column("review_tier", String(24)),
    Column("review_level", String(10)),  # who acts: province (recorded by the city), city, district
    Column("two_high", Boolean, nullable=False, server_default="0"),
    Column("assessed_tce", Float),  # [tce/a] counted less deductions (increment if rebuilt)
    Column("counted_co2_t", Float),  # [t CO2/a] counted emissions (likewise)
    Column("submitted_at", BigInteger),
    Column("accepted_at", BigInteger),
    Column("due_at", BigInteger),  # the statutory deadline (working days from accepted_at)
    Column("decided_at", BigInteger),
    Column("conditions", Text),  # approval conditions, or the reason of a rejection
    Column("commissioned_on", Date),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Index("ix_projects_status", "status", "due_at"),
    enum_check("status", PROJECT_STATUSES),
)
"""Fixed-asset investment projects under energy-saving review (migration 0016)."""

project_energy = Table(
    "project_energy",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("line", String(10), nullable=False),
    Column("energy", String(32), nullable=False),  # energy kind code (catalogue)
    Column("quantity", Float, nullable=False),  # [unit]/a
    Column("unit", String(16), nullable=False),
    Column("role", String(16), nullable=False, server_default="input"),
    enum_check("line", ENERGY_LINES),
)
"""Annual energy of a project by kind: planned, and existing before a reconstruction."""

project_products = Table(
    "project_products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("product", String(48)),  # product code of the quota catalogue, if any
    Column("name", String(200), nullable=False),
    Column("capacity", Float, nullable=False),  # [unit]/a
    Column("unit", String(16), nullable=False),
    Column("planned_unit_consumption", Float),  # [kgce per unit of product]
)
"""A project's products, capacities and planned unit-product consumption."""

project_steps = Table(
    "project_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("action", String(24), nullable=False),
    Column("from_status", String(16)),
    Column("to_status", String(16), nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("comment", Text),
    Column("details", JSON),  # e.g. {"expert": ..., "opinion": ..., "document_id": ...}
)
"""The history of a project: every save and transition, by whom and when."""

project_documents = Table(
    "project_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("uploaded_at", BigInteger, nullable=False),
    enum_check("kind", DOCUMENT_KINDS),
)
"""Documents of a project (PDF and office files, checked by content)."""

project_items = Table(
    "project_items",
    metadata,
    Column("project_id", Integer, ForeignKey("projects.id"), primary_key=True),
    Column("item_id", Integer, ForeignKey("data_items.id"), primary_key=True),
    Column("linked_at", BigInteger, nullable=False),
    Column("linked_by", Integer, ForeignKey("users.id"), nullable=False),
    Index("ix_project_items_item", "item_id"),
)
"""The data items metering a project after commissioning (the link only)."""
