"""data items: stage of the energy flow, process, meter; item versions with effective dates

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STAGES = "'fence', 'purchase', 'conversion', 'distribution', 'end_use'"


def upgrade() -> None:
    with op.batch_alter_table("data_items") as batch:
        batch.add_column(
            sa.Column("stage", sa.String(length=16), nullable=False, server_default="fence")
        )
        batch.add_column(sa.Column("process", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("ct_ratio", sa.Float(), nullable=True))
        batch.add_column(sa.Column("pt_ratio", sa.Float(), nullable=True))
        batch.add_column(sa.Column("accuracy_class", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("calibration_due", sa.Date(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_data_items_stage_valid"), sa.text(f"stage IN ({STAGES})")
        )
    # Items inside a process boundary are that process's final use (see docs/items.md).
    op.execute(
        "UPDATE data_items SET stage = 'end_use', process = boundary WHERE boundary <> 'enterprise'"
    )
    op.create_table(
        "data_item_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["data_items.id"],
            name=op.f("fk_data_item_versions_item_id_data_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_item_versions")),
        sa.UniqueConstraint("item_id", "version", name=op.f("uq_data_item_versions_item_version")),
    )
    op.create_index(
        "ix_data_item_versions_item_from", "data_item_versions", ["item_id", "valid_from"]
    )


def downgrade() -> None:
    op.drop_index("ix_data_item_versions_item_from", table_name="data_item_versions")
    op.drop_table("data_item_versions")
    with op.batch_alter_table("data_items") as batch:
        batch.drop_constraint(op.f("ck_data_items_stage_valid"), type_="check")
        batch.drop_column("calibration_due")
        batch.drop_column("accuracy_class")
        batch.drop_column("pt_ratio")
        batch.drop_column("ct_ratio")
        batch.drop_column("process")
        batch.drop_column("stage")
