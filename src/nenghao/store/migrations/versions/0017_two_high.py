"""existing two-high installations (存量两高项目): the ledger's installations, their
rectification plans (整改方案) and the plans' progress notes

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "two_high_installations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("product", sa.String(length=40), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Float(), nullable=True),
        sa.Column("capacity_unit", sa.String(length=16), nullable=True),
        sa.Column("commissioned_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), server_default="active", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'closed')", name=op.f("ck_two_high_installations_status_valid")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_two_high_installations_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["data_items.id"],
            name=op.f("fk_two_high_installations_item_id_data_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_two_high_installations")),
        sa.UniqueConstraint(
            "enterprise_id", "name", name=op.f("uq_two_high_installations_enterprise_name")
        ),
    )
    op.create_index(
        op.f("ix_two_high_installations_enterprise_id"),
        "two_high_installations",
        ["enterprise_id"],
    )
    op.create_table(
        "rectification_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("target_unit_consumption", sa.Float(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("responsible_name", sa.String(length=50), nullable=False),
        sa.Column("responsible_phone", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("completed_at", sa.BigInteger(), nullable=True),
        sa.Column("completed_by", sa.String(length=64), nullable=True),
        sa.Column("completion_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'completed')", name=op.f("ck_rectification_plans_status_valid")
        ),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["two_high_installations.id"],
            name=op.f("fk_rectification_plans_installation_id_two_high_installations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_plans")),
    )
    op.create_index(
        op.f("ix_rectification_plans_installation_id"),
        "rectification_plans",
        ["installation_id"],
    )
    op.create_table(
        "rectification_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["rectification_plans.id"],
            name=op.f("fk_rectification_updates_plan_id_rectification_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_updates")),
    )
    op.create_index(op.f("ix_rectification_updates_plan_id"), "rectification_updates", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rectification_updates_plan_id"), table_name="rectification_updates")
    op.drop_table("rectification_updates")
    op.drop_index(op.f("ix_rectification_plans_installation_id"), table_name="rectification_plans")
    op.drop_table("rectification_plans")
    op.drop_index(
        op.f("ix_two_high_installations_enterprise_id"), table_name="two_high_installations"
    )
    op.drop_table("two_high_installations")
