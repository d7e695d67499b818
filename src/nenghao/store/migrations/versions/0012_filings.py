"""monthly and annual filings with their revisions and lines

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _pk_fk(table: str, column: str, referred: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.ForeignKeyConstraint(
            [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.BigInteger(), nullable=False),
        sa.Column("label", sa.String(length=7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("filed_at", sa.BigInteger(), nullable=False),
        *_pk_fk("filings", "enterprise_id", "enterprises"),
        sa.UniqueConstraint(
            "enterprise_id", "period", "period_start", name=op.f("uq_filings_period")
        ),
        sa.CheckConstraint("period IN ('month', 'year')", name=op.f("ck_filings_period_valid")),
        sa.CheckConstraint("status IN ('filed', 'review')", name=op.f("ck_filings_status_valid")),
    )
    op.create_table(
        "filing_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("filed_at", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        *_pk_fk("filing_revisions", "filing_id", "filings"),
        sa.UniqueConstraint("filing_id", "revision", name=op.f("uq_filing_revisions_revision")),
    )
    op.create_table(
        "filing_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=48), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("online", sa.Float(), nullable=True),
        sa.Column("online_days", sa.Integer(), nullable=True),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("difference", sa.Float(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False, server_default="0"),
        *_pk_fk("filing_lines", "filing_id", "filings"),
        sa.ForeignKeyConstraint(
            ["item_id"], ["data_items.id"], name=op.f("fk_filing_lines_item_id_data_items")
        ),
        sa.CheckConstraint(
            "kind IN ('energy', 'product', 'output_value', 'added_value')",
            name=op.f("ck_filing_lines_kind_valid"),
        ),
        sa.CheckConstraint(
            "mode IN ('reading', 'boundary', 'compared')", name=op.f("ck_filing_lines_mode_valid")
        ),
    )
    op.create_index("ix_filing_lines_filing_id", "filing_lines", ["filing_id"])


def downgrade() -> None:
    op.drop_index("ix_filing_lines_filing_id", table_name="filing_lines")
    op.drop_table("filing_lines")
    op.drop_table("filing_revisions")
    op.drop_table("filings")
