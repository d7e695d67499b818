"""dual-control targets (analytics)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("division_code", sa.String(length=6), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.String(length=16), server_default="equivalent", nullable=False),
        sa.Column("total_energy_tce", sa.Float(), nullable=True),
        sa.Column("energy_intensity", sa.Float(), nullable=True),
        sa.Column("total_co2_t", sa.Float(), nullable=True),
        sa.Column("carbon_intensity", sa.Float(), nullable=True),
        sa.Column("renewable_base_kwh", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "level IN ('city', 'division', 'enterprise')", name=op.f("ck_targets_level_valid")
        ),
        sa.CheckConstraint("basis IN ('equivalent', 'equal')", name=op.f("ck_targets_basis_valid")),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_targets_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint("year", "level", "subject", name="uq_targets_year_level_subject"),
    )


def downgrade() -> None:
    op.drop_table("targets")
