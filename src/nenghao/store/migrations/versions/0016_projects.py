"""projects (固定资产投资项目节能审查): the project register, its energy and products, review
steps, documents and the items that meter it after commissioning

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("applicant_enterprise_id", sa.Integer(), nullable=True),
        sa.Column("applicant_name", sa.String(length=200), nullable=True),
        sa.Column("applicant_credit_code", sa.String(length=18), nullable=True),
        sa.Column("division_code", sa.String(length=6), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=False),
        sa.Column("construction_type", sa.String(length=16), nullable=False),
        sa.Column("first_full_year", sa.Integer(), nullable=False),
        sa.Column("output_value", sa.Float(), nullable=True),
        sa.Column("added_value", sa.Float(), nullable=True),
        sa.Column("simple_process", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("review_tier", sa.String(length=24), nullable=True),
        sa.Column("review_level", sa.String(length=10), nullable=True),
        sa.Column("two_high", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("assessed_tce", sa.Float(), nullable=True),
        sa.Column("counted_co2_t", sa.Float(), nullable=True),
        sa.Column("submitted_at", sa.BigInteger(), nullable=True),
        sa.Column("accepted_at", sa.BigInteger(), nullable=True),
        sa.Column("due_at", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.BigInteger(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("commissioned_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'under_review', 'expert_review', 'approved',"
            " 'rejected', 'filed', 'withdrawn')",
            name=op.f("ck_projects_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["applicant_enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_projects_applicant_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_projects_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    op.create_index(
        op.f("ix_projects_applicant_enterprise_id"),
        "projects",
        ["applicant_enterprise_id"],
        unique=False,
    )
    op.create_index(op.f("ix_projects_division_code"), "projects", ["division_code"], unique=False)
    op.create_index("ix_projects_status", "projects", ["status", "due_at"], unique=False)
    op.create_table(
        "project_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('energy_report', 'expert_opinion', 'commitment', 'approval', 'other')",
            name=op.f("ck_project_documents_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_documents_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_project_documents_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_documents")),
    )
    op.create_index(
        op.f("ix_project_documents_project_id"), "project_documents", ["project_id"], unique=False
    )
    op.create_table(
        "project_energy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(length=10), nullable=False),
        sa.Column("energy", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), server_default="input", nullable=False),
        sa.CheckConstraint(
            "line IN ('planned', 'existing')", name=op.f("ck_project_energy_line_valid")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_energy_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_energy")),
    )
    op.create_index(
        op.f("ix_project_energy_project_id"), "project_energy", ["project_id"], unique=False
    )
    op.create_table(
        "project_items",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.BigInteger(), nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["data_items.id"], name=op.f("fk_project_items_item_id_data_items")
        ),
        sa.ForeignKeyConstraint(
            ["linked_by"], ["users.id"], name=op.f("fk_project_items_linked_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_items_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("project_id", "item_id", name=op.f("pk_project_items")),
    )
    op.create_index("ix_project_items_item", "project_items", ["item_id"], unique=False)
    op.create_table(
        "project_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=48), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("planned_unit_consumption", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_products_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_products")),
    )
    op.create_index(
        op.f("ix_project_products_project_id"), "project_products", ["project_id"], unique=False
    )
    op.create_table(
        "project_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_project_steps_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_steps_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_steps")),
    )
    op.create_index(
        op.f("ix_project_steps_project_id"), "project_steps", ["project_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_project_steps_project_id"), table_name="project_steps")
    op.drop_table("project_steps")
    op.drop_index(op.f("ix_project_products_project_id"), table_name="project_products")
    op.drop_table("project_products")
    op.drop_index("ix_project_items_item", table_name="project_items")
    op.drop_table("project_items")
    op.drop_index(op.f("ix_project_energy_project_id"), table_name="project_energy")
    op.drop_table("project_energy")
    op.drop_index(op.f("ix_project_documents_project_id"), table_name="project_documents")
    op.drop_table("project_documents")
    op.drop_index("ix_projects_status", table_name="projects")
    op.drop_index(op.f("ix_projects_division_code"), table_name="projects")
    op.drop_index(op.f("ix_projects_applicant_enterprise_id"), table_name="projects")
    op.drop_table("projects")
