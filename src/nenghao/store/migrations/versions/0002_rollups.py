"""rollups of readings by hour, day, month and year

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollups",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("grain", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "grain IN ('hour', 'day', 'month', 'year')", name=op.f("ck_rollups_grain_valid")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["data_items.id"], name=op.f("fk_rollups_item_id_data_items")
        ),
        sa.PrimaryKeyConstraint("item_id", "grain", "period_start", name=op.f("pk_rollups")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("rollups")
