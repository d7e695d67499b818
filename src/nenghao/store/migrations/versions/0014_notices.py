"""notices (通知公告): notices, their recipients, attachments and read receipts

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("audience_codes", sa.JSON(), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("sender_role", sa.String(length=16), nullable=False),
        sa.Column("sender_division", sa.String(length=6), nullable=True),
        sa.Column("sent_at", sa.BigInteger(), nullable=False),
        sa.Column("publish_at", sa.BigInteger(), nullable=True),
        sa.Column("expire_at", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "audience IN ('all', 'divisions', 'industries')",
            name=op.f("ck_notices_audience_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_sent_at"), "notices", ["sent_at"])
    op.create_table(
        "notice_recipients",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_recipients_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_notice_recipients_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("notice_id", "enterprise_id", name=op.f("pk_notice_recipients")),
    )
    op.create_index("ix_notice_recipients_enterprise", "notice_recipients", ["enterprise_id"])
    op.create_table(
        "notice_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_attachments_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_attachments")),
    )
    op.create_index(op.f("ix_notice_attachments_notice_id"), "notice_attachments", ["notice_id"])
    op.create_table(
        "notice_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_receipts_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notice_receipts_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_notice_receipts_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_receipts")),
        sa.UniqueConstraint("notice_id", "user_id", name=op.f("uq_notice_receipts_notice_user")),
    )
    op.create_index(
        "ix_notice_receipts_notice_enterprise", "notice_receipts", ["notice_id", "enterprise_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_notice_receipts_notice_enterprise", table_name="notice_receipts")
    op.drop_table("notice_receipts")
    op.drop_index(op.f("ix_notice_attachments_notice_id"), table_name="notice_attachments")
    op.drop_table("notice_attachments")
    op.drop_index("ix_notice_recipients_enterprise", table_name="notice_recipients")
    op.drop_table("notice_recipients")
    op.drop_index(op.f("ix_notices_sent_at"), table_name="notices")
    op.drop_table("notices")
