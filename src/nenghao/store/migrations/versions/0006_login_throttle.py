"""login throttle per (username, client address) and per address; no per-account lock-out

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("remote", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.BigInteger(), nullable=False),
        sa.Column("blocked_until", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttle")),
        sa.UniqueConstraint("username", "remote", name="uq_login_throttle_username_remote"),
    )
    op.create_index(
        op.f("ix_login_throttle_last_failure_at"), "login_throttle", ["last_failure_at"]
    )
    # Plain DROP COLUMN (SQLite >= 3.35): a batch copy would drop and recreate ``users``,
    # which the tokens, audit and enterprise rows refer to.
    op.drop_column("users", "locked_until")
    op.drop_column("users", "failed_logins")


def downgrade() -> None:
    op.add_column(
        "users", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("users", sa.Column("locked_until", sa.BigInteger(), nullable=True))
    op.drop_index(op.f("ix_login_throttle_last_failure_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
