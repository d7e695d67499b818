"""annual energy-utilisation reports (能源利用状况报告) and their versions

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False, server_default="draft"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("parts", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("submitted_at", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_at", sa.BigInteger(), nullable=True),
        sa.Column("accepted_version", sa.Integer(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'accepted')",
            name=op.f("ck_annual_reports_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_annual_reports_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint(
            "enterprise_id", "year", name=op.f("uq_annual_reports_enterprise_year")
        ),
    )
    op.create_index("ix_annual_reports_year_status", "annual_reports", ["year", "status"])
    op.create_table(
        "annual_report_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "event IN ('saved', 'submitted')", name=op.f("ck_annual_report_versions_event_valid")
        ),
        sa.CheckConstraint(
            "review IN ('returned', 'accepted')",
            name=op.f("ck_annual_report_versions_review_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["annual_reports.id"],
            name=op.f("fk_annual_report_versions_report_id_annual_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report_versions")),
        sa.UniqueConstraint(
            "report_id", "version", name=op.f("uq_annual_report_versions_report_version")
        ),
    )


def downgrade() -> None:
    op.drop_table("annual_report_versions")
    op.drop_index("ix_annual_reports_year_status", table_name="annual_reports")
    op.drop_table("annual_reports")
