"""carbon-peak pathway: scenarios, growth assumptions and measures

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pathway_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("baseline_id", sa.Integer(), nullable=True),
        sa.Column("base_year", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('bau', 'policy')", name=op.f("ck_pathway_scenarios_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["baseline_id"],
            ["pathway_scenarios.id"],
            name=op.f("fk_pathway_scenarios_baseline_id_pathway_scenarios"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_scenarios")),
        sa.UniqueConstraint("name", name=op.f("uq_pathway_scenarios_name")),
    )
    op.create_table(
        "pathway_assumptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("parameter", sa.String(length=24), nullable=False),
        sa.Column("sector", sa.String(length=16), nullable=True),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("value_pct", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "parameter IN ('output_growth', 'intensity_change', 'grid_factor_change')",
            name=op.f("ck_pathway_assumptions_parameter_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["pathway_scenarios.id"],
            name=op.f("fk_pathway_assumptions_scenario_id_pathway_scenarios"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_assumptions")),
    )
    op.create_index(
        op.f("ix_pathway_assumptions_scenario_id"), "pathway_assumptions", ["scenario_id"]
    )
    op.create_table(
        "pathway_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sector", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("saving_tco2", sa.Float(), nullable=True),
        sa.Column("saving_tce", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("retrofit_id", sa.Integer(), nullable=True),
        sa.Column("from_kind", sa.String(length=32), nullable=True),
        sa.Column("to_kind", sa.String(length=32), nullable=True),
        sa.Column("amount_tce", sa.Float(), nullable=True),
        sa.Column("mwh", sa.Float(), nullable=True),
        sa.Column("change_pct", sa.Float(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('retrofit', 'fuel_switch', 'renewable_electricity', 'capacity_change')",
            name=op.f("ck_pathway_measures_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["pathway_scenarios.id"],
            name=op.f("fk_pathway_measures_scenario_id_pathway_scenarios"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_measures")),
    )
    op.create_index(op.f("ix_pathway_measures_scenario_id"), "pathway_measures", ["scenario_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pathway_measures_scenario_id"), table_name="pathway_measures")
    op.drop_table("pathway_measures")
    op.drop_index(op.f("ix_pathway_assumptions_scenario_id"), table_name="pathway_assumptions")
    op.drop_table("pathway_assumptions")
    op.drop_table("pathway_scenarios")
