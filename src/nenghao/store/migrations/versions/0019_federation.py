"""federation: the outbox and upstream of a forwarding platform, the members of a receiving one

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "federation_upstream",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("sealed_secret", sa.LargeBinary(), nullable=False),
        sa.Column("configured_at", sa.BigInteger(), nullable=False),
        sa.Column("closed_month", sa.BigInteger(), nullable=True),
        sa.Column("last_delivery_at", sa.BigInteger(), nullable=True),
        sa.Column("delivered_entries", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("delivered_records", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_upstream")),
    )
    op.create_table(
        "federation_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('enterprise', 'item', 'readings', 'month')",
            name=op.f("ck_federation_outbox_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_federation_outbox_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_outbox")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "federation_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("divisions", sa.JSON(), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.Column("last_batch_at", sa.BigInteger(), nullable=True),
        sa.Column("applied_entries", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_members")),
        sa.UniqueConstraint("name", name=op.f("uq_federation_members_name")),
        sa.UniqueConstraint("key_id", name=op.f("uq_federation_members_key_id")),
    )
    op.create_table(
        "federation_applied",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("applied_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["federation_members.id"],
            name=op.f("fk_federation_applied_member_id_federation_members"),
        ),
        sa.PrimaryKeyConstraint("member_id", "entry_id", name=op.f("pk_federation_applied")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "federation_months",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("month_start", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_federation_months_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["federation_members.id"],
            name=op.f("fk_federation_months_member_id_federation_members"),
        ),
        sa.PrimaryKeyConstraint(
            "enterprise_id", "item_code", "month_start", name=op.f("pk_federation_months")
        ),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("federation_months")
    op.drop_table("federation_applied")
    op.drop_table("federation_members")
    op.drop_table("federation_outbox")
    op.drop_table("federation_upstream")
