"""device heartbeats: the latest heartbeat of each device key

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_heartbeats",
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=False),
        sa.Column("gateway_version", sa.String(length=40), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("queue_depth", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("reported_skew_s", sa.Float(), nullable=True),
        sa.Column("meters", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["device_credentials.key_id"],
            name=op.f("fk_device_heartbeats_key_id_device_credentials"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_device_heartbeats_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_device_heartbeats")),
    )
    op.create_index(
        op.f("ix_device_heartbeats_enterprise_id"),
        "device_heartbeats",
        ["enterprise_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_device_heartbeats_enterprise_id"), table_name="device_heartbeats")
    op.drop_table("device_heartbeats")
