"""collection plans: plan versions with their review; each data item's approval state

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Items registered before the collection plan existed are approved (the server default).
    with op.batch_alter_table("data_items") as batch:
        batch.add_column(
            sa.Column("approval", sa.String(length=8), nullable=False, server_default="approved")
        )
        batch.create_check_constraint(
            op.f("ck_data_items_approval_valid"),
            sa.text("approval IN ('draft', 'approved', 'changed')"),
        )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("diff", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.BigInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'returned')",
            name=op.f("ck_plan_versions_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_plan_versions_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint(
            "enterprise_id", "version", name=op.f("uq_plan_versions_enterprise_version")
        ),
    )
    op.create_index("ix_plan_versions_status", "plan_versions", ["status"])


def downgrade() -> None:
    op.drop_index("ix_plan_versions_status", table_name="plan_versions")
    op.drop_table("plan_versions")
    with op.batch_alter_table("data_items") as batch:
        batch.drop_constraint(op.f("ck_data_items_approval_valid"), type_="check")
        batch.drop_column("approval")
