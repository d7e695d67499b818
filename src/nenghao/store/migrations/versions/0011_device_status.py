"""device status counters (per enterprise and CST day, last contact) and fault reports

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CAUSES = "'communication', 'collector', 'meter', 'shutdown', 'other'"

FILL_DAYS = """
INSERT INTO status_days (enterprise_id, day, records)
SELECT i.enterprise_id, r.period_start, SUM(r.count)
FROM rollups r JOIN data_items i ON i.id = r.item_id
WHERE r.grain = 'day' AND i.manual = {false} AND i.period IN ('15min', 'hour')
GROUP BY i.enterprise_id, r.period_start
"""

FILL_DAILY = """
INSERT INTO status_days (enterprise_id, day, records)
SELECT i.enterprise_id, r.period_start, COUNT(*)
FROM readings r JOIN data_items i ON i.id = r.item_id
WHERE r.period = 'day' AND i.period = 'day' AND i.manual = {false}
GROUP BY i.enterprise_id, r.period_start
ON CONFLICT (enterprise_id, day) DO UPDATE SET records = status_days.records + excluded.records
"""

FILL_CONTACTS = """
INSERT INTO status_contacts (enterprise_id, last_seen_at)
SELECT enterprise_id, MAX(at) FROM (
    SELECT enterprise_id, received_at AS at FROM uplink_archive
    WHERE channel IN ('http', 'mqtt')
    UNION ALL
    SELECT i.enterprise_id, r.received_at AS at
    FROM readings r JOIN data_items i ON i.id = r.item_id
    WHERE i.manual = {false} AND i.period IN ('15min', 'hour', 'day')
) contacts GROUP BY enterprise_id
"""


def upgrade() -> None:
    op.create_table(
        "status_days",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_status_days_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("enterprise_id", "day", name=op.f("pk_status_days")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "status_contacts",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_status_contacts_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_status_contacts")),
    )
    op.create_table(
        "fault_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=True),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("cause_text", sa.Text(), nullable=True),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("expected_repair", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("reported_at", sa.BigInteger(), nullable=False),
        sa.Column("repaired_at", sa.BigInteger(), nullable=True),
        sa.Column("repaired_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(f"cause IN ({CAUSES})", name=op.f("ck_fault_reports_cause_valid")),
        sa.CheckConstraint(
            "status IN ('open', 'repaired')", name=op.f("ck_fault_reports_status_valid")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_fault_reports_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fault_reports")),
    )
    op.create_index(
        "ix_fault_reports_enterprise", "fault_reports", ["enterprise_id", "status"], unique=False
    )
    op.create_index(
        "ix_fault_reports_status", "fault_reports", ["status", "expected_repair"], unique=False
    )
    op.create_index(
        "ix_uplink_archive_enterprise_received",
        "uplink_archive",
        ["enterprise_id", "received_at"],
        unique=False,
    )
    false = "false" if op.get_bind().dialect.name == "postgresql" else "0"
    for statement in (FILL_DAYS, FILL_DAILY, FILL_CONTACTS):
        op.execute(statement.format(false=false))


def downgrade() -> None:
    op.drop_index("ix_uplink_archive_enterprise_received", table_name="uplink_archive")
    op.drop_index("ix_fault_reports_status", table_name="fault_reports")
    op.drop_index("ix_fault_reports_enterprise", table_name="fault_reports")
    op.drop_table("fault_reports")
    op.drop_table("status_contacts")
    op.drop_table("status_days")
