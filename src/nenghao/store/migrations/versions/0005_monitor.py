"""data quality and alerts: quality events, item-day checks, scores, runs, alerts, channels

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SEVERITY_CHECK = "severity IN ('info', 'warning', 'critical')"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "quality_events",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("end", sa.BigInteger(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("points", sa.Integer(), server_default="1", nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("expected", sa.Float(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(SEVERITY_CHECK, name=op.f("ck_quality_events_severity_valid")),
        _fk("quality_events", "enterprise_id", "enterprises"),
        _fk("quality_events", "item_id", "data_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_events")),
        sa.UniqueConstraint(
            "rule", "subject", "start", name="uq_quality_events_rule_subject_start"
        ),
    )
    op.create_index(
        "ix_quality_events_enterprise", "quality_events", ["enterprise_id", "start"], unique=False
    )
    op.create_table(
        "quality_item_days",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.BigInteger(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.BigInteger(), nullable=False),
        _fk("quality_item_days", "item_id", "data_items"),
        _fk("quality_item_days", "enterprise_id", "enterprises"),
        sa.PrimaryKeyConstraint("item_id", "day", name=op.f("pk_quality_item_days")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_quality_item_days_enterprise",
        "quality_item_days",
        ["enterprise_id", "day"],
        unique=False,
    )
    op.create_table(
        "quality_scores",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=2), nullable=False),
        sa.Column("completeness", sa.Float(), nullable=True),
        sa.Column("timeliness", sa.Float(), nullable=True),
        sa.Column("consistency", sa.Float(), nullable=True),
        sa.Column("validity", sa.Float(), nullable=True),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("computed_at", sa.BigInteger(), nullable=False),
        _fk("quality_scores", "enterprise_id", "enterprises"),
        sa.PrimaryKeyConstraint("enterprise_id", "month", name=op.f("pk_quality_scores")),
    )
    op.create_table(
        "monitor_runs",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("end", sa.BigInteger(), nullable=False),
        sa.Column("as_of", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_runs")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=48), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("division_code", sa.String(length=6), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="open", nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("occurrences", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_seen", sa.BigInteger(), nullable=False),
        sa.Column("last_seen", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged_at", sa.BigInteger(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledge_comment", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolve_comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')", name=op.f("ck_alerts_status_valid")
        ),
        sa.CheckConstraint(SEVERITY_CHECK, name=op.f("ck_alerts_severity_valid")),
        _fk("alerts", "enterprise_id", "enterprises"),
        _fk("alerts", "item_id", "data_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(
        "uq_alerts_active_rule_subject",
        "alerts",
        ["rule", "subject"],
        unique=True,
        sqlite_where=sa.text("status <> 'resolved'"),
        postgresql_where=sa.text("status <> 'resolved'"),
    )
    op.create_index("ix_alerts_enterprise", "alerts", ["enterprise_id", "status"], unique=False)
    op.create_table(
        "alert_rules",
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(SEVERITY_CHECK, name=op.f("ck_alert_rules_severity_valid")),
        sa.PrimaryKeyConstraint("rule", name=op.f("pk_alert_rules")),
    )
    op.create_table(
        "notification_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("min_severity", sa.String(length=8), server_default="warning", nullable=False),
        sa.Column("rules", sa.JSON(), nullable=True),
        sa.Column("division_code", sa.String(length=6), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('webhook', 'email')", name=op.f("ck_notification_channels_kind_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_notification_channels_name")),
    )
    op.create_table(
        "alert_notifications",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("alert_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", sa.BigInteger(), nullable=False),
        _fk("alert_notifications", "alert_id", "alerts"),
        _fk("alert_notifications", "channel_id", "notification_channels"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notifications")),
    )
    op.create_index(
        "ix_alert_notifications_alert_id", "alert_notifications", ["alert_id"], unique=False
    )


def downgrade() -> None:
    for table in (
        "alert_notifications",
        "notification_channels",
        "alert_rules",
        "alerts",
        "monitor_runs",
        "quality_scores",
        "quality_item_days",
        "quality_events",
    ):
        op.drop_table(table)
