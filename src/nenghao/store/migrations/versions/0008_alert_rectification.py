"""an enterprise's rectification note (整改说明) on an alert

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("rectification_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("rectification_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("rectification_at", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("rectification_at")
        batch.drop_column("rectification_by")
        batch.drop_column("rectification_note")
