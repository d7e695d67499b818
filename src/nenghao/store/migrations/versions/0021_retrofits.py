"""energy-saving retrofit projects (节能改造项目) and their non-routine adjustments

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retrofits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mv_option", sa.String(length=1), server_default="B", nullable=False),
        sa.Column("granularity", sa.String(length=8), server_default="month", nullable=False),
        sa.Column("energy_items", sa.JSON(), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("baseline_from", sa.Date(), nullable=False),
        sa.Column("baseline_to", sa.Date(), nullable=False),
        sa.Column("installation_from", sa.Date(), nullable=False),
        sa.Column("installation_to", sa.Date(), nullable=False),
        sa.Column("reporting_from", sa.Date(), nullable=False),
        sa.Column("reporting_to", sa.Date(), nullable=False),
        sa.Column("claimed_saving_tce", sa.Float(), nullable=False),
        sa.Column("investment_wan", sa.Float(), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("flag_ratio", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("mv_option IN ('B', 'C')", name=op.f("ck_retrofits_mv_option_valid")),
        sa.CheckConstraint(
            "granularity IN ('month', 'hour')", name=op.f("ck_retrofits_granularity_valid")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_retrofits_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retrofits")),
        sa.UniqueConstraint("enterprise_id", "name", name=op.f("uq_retrofits_enterprise_name")),
    )
    op.create_index(op.f("ix_retrofits_enterprise_id"), "retrofits", ["enterprise_id"])
    op.create_table(
        "retrofit_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retrofit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_tce", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('capacity', 'product', 'other')",
            name=op.f("ck_retrofit_adjustments_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["retrofit_id"],
            ["retrofits.id"],
            name=op.f("fk_retrofit_adjustments_retrofit_id_retrofits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retrofit_adjustments")),
    )
    op.create_index(
        op.f("ix_retrofit_adjustments_retrofit_id"), "retrofit_adjustments", ["retrofit_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_retrofit_adjustments_retrofit_id"), table_name="retrofit_adjustments")
    op.drop_table("retrofit_adjustments")
    op.drop_index(op.f("ix_retrofits_enterprise_id"), table_name="retrofits")
    op.drop_table("retrofits")
