"""The relational schema (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Instants are stored as integer Unix seconds (UTC). Statistic periods are tagged by their
start instant; their calendar (day, month, year boundaries) is China Standard Time. The
allowed values of enumerated columns (roles, channels, statuses ...) are the shared
vocabulary's (`nenghao.standards.vocabulary`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from nenghao.standards.vocabulary import (
    ALERT_STATUSES,
    ARCHIVE_STATUSES,
    BASES,
    CHANNELS,
    KEY_UNIT_LEVELS,
    NOTIFICATION_KINDS,
    QUARANTINE_STATUSES,
    ROLES,
    SEVERITIES,
    TARGET_LEVELS,
)
from nenghao.store import schema_pathway, schema_retrofits  # noqa: F401  (their tables join metadata)
from nenghao.store.metadata import enum_check as _enum_check
from nenghao.store.metadata import metadata as metadata
from nenghao.store.schema_annual import annual_report_versions as annual_report_versions
from nenghao.store.schema_annual import annual_reports as annual_reports
from nenghao.store.schema_federation import federation_applied as federation_applied
from nenghao.store.schema_federation import federation_members as federation_members
from nenghao.store.schema_federation import federation_months as federation_months
from nenghao.store.schema_federation import federation_outbox as federation_outbox
from nenghao.store.schema_federation import federation_upstream as federation_upstream
from nenghao.store.schema_filings import filing_lines as filing_lines
from nenghao.store.schema_filings import filing_revisions as filing_revisions
from nenghao.store.schema_filings import filings as filings
from nenghao.store.schema_heartbeats import device_heartbeats as device_heartbeats
from nenghao.store.schema_items import data_item_versions as data_item_versions
from nenghao.store.schema_items import data_items as data_items
from nenghao.store.schema_notices import notice_attachments as notice_attachments
from nenghao.store.schema_notices import notice_receipts as notice_receipts
from nenghao.store.schema_notices import notice_recipients as notice_recipients
from nenghao.store.schema_notices import notices as notices
from nenghao.store.schema_plans import plan_versions as plan_versions
from nenghao.store.schema_projects import project_documents as project_documents
from nenghao.store.schema_projects import project_energy as project_energy
from nenghao.store.schema_projects import project_items as project_items
from nenghao.store.schema_projects import project_products as project_products
from nenghao.store.schema_projects import project_steps as project_steps
from nenghao.store.schema_projects import projects as projects
from nenghao.store.schema_register import enterprise_contacts as enterprise_contacts
from nenghao.store.schema_register import enterprise_managers as enterprise_managers
from nenghao.store.schema_status import fault_reports as fault_reports
from nenghao.store.schema_status import status_contacts as status_contacts
from nenghao.store.schema_status import status_days as status_days
from nenghao.store.schema_two_high import rectification_plans as rectification_plans
from nenghao.store.schema_two_high import rectification_updates as rectification_updates
from nenghao.store.schema_two_high import two_high_installations as two_high_installations

enterprises = Table(
    "enterprises",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("credit_code", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("name_en", String(200)),
    Column("division_code", String(6), nullable=False, index=True),
    Column("industry_code", String(8), nullable=False, index=True),
    Column("key_unit_level", String(16), nullable=False, server_default="key"),
    Column("address", String(300)),
    Column("contact", String(100)),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    _enum_check("key_unit_level", KEY_UNIT_LEVELS),
)

readings = Table(
    "readings",
    metadata,
    Column("item_id", Integer, ForeignKey("data_items.id"), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("period_start", BigInteger, primary_key=True),
    Column("value", Float, nullable=False),
    Column("register_value", Float),
    Column("quality", String(16), nullable=False, server_default="good"),
    Column("source", String(16), nullable=False),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("received_at", BigInteger, nullable=False),
    Column("flags", String(64)),  # register decoding flags, comma-separated (0003)
    # Clustered by (item, period, start) on SQLite: a series is one contiguous range.
    sqlite_with_rowid=False,
)

GRAINS = ("hour", "day", "month", "year")

rollups = Table(
    "rollups",
    metadata,
    Column("item_id", Integer, ForeignKey("data_items.id"), primary_key=True),
    Column("grain", String(8), primary_key=True),
    Column("period_start", BigInteger, primary_key=True),
    Column("value", Float, nullable=False),
    Column("count", Integer, nullable=False),
    _enum_check("grain", GRAINS),
    sqlite_with_rowid=False,
)
"""Sums of each item's current readings per CST hour (15-min items), day, month and year."""

reading_revisions = Table(
    "reading_revisions",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("item_id", Integer, ForeignKey("data_items.id"), nullable=False),
    Column("period", String(8), nullable=False),
    Column("period_start", BigInteger, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("register_value", Float),
    Column("quality", String(16), nullable=False),
    Column("source", String(16), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("superseded_at", BigInteger, nullable=False),
    Column("flags", String(64)),
    Index("ix_reading_revisions_item", "item_id", "period", "period_start"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100)),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("division_code", String(6)),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id")),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", BigInteger, nullable=False),
    Column("password_changed_at", BigInteger, nullable=False),
    _enum_check("role", ROLES),
    CheckConstraint(
        "(role <> 'district' OR division_code IS NOT NULL)"
        " AND (role <> 'enterprise' OR enterprise_id IS NOT NULL)",
        name="scope_present",
    ),
)

auth_tokens = Table(
    "auth_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("issued_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),  # as typed; '' counts the whole address
    Column("remote", String(64), nullable=False),  # the client address
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", BigInteger, nullable=False, index=True),
    Column("blocked_until", BigInteger),
    UniqueConstraint("username", "remote", name="uq_login_throttle_username_remote"),
)
"""Failed password checks per (username, client address) and per address (migration 0006)."""

device_credentials = Table(
    "device_credentials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("key_id", String(40), nullable=False, unique=True),
    Column("secret_hash", String(200), nullable=False),  # SHA-256 fingerprint of the secret
    Column("salt", String(64)),  # derivation salt (0003); NULL: issued before 0003, unusable
    Column("label", String(100)),
    Column("created_at", BigInteger, nullable=False),
    Column("rotated_at", BigInteger),
    Column("revoked_at", BigInteger),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", BigInteger, nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("action", String(48), nullable=False),
    Column("entity", String(48), nullable=False),
    Column("entity_id", String(64)),
    Column("before", JSON),
    Column("after", JSON),
    Column("remote", String(64)),
    Column("detail", Text),
)


# --- uplink (migration 0003) ---------------------------------------------------------------

uplink_archive = Table(
    "uplink_archive",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("received_at", BigInteger, nullable=False),
    Column("channel", String(8), nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("message_id", String(64)),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("records", LargeBinary),  # parsed records (JSON) of file/manual uploads
    Column("status", String(10), nullable=False),
    Column("processed_at", BigInteger),
    Column("error_code", String(48)),
    Column("summary", JSON),
    Column("body_encoding", String(8)),  # NULL: as received; "gzip": compressed (0020)
    _enum_check("channel", CHANNELS),
    _enum_check("status", ARCHIVE_STATUSES),
    Index("ix_uplink_archive_enterprise", "enterprise_id", "id"),
    Index("ix_uplink_archive_status", "status"),
)
"""Every uplink payload byte for byte, archived (committed) before it is processed.

On PostgreSQL partitioned by CST month of ``received_at`` with the primary key (id,
received_at), and readings by month of ``period_start`` (migration 0020,
`nenghao.store.partitions`); SQLite has the plain tables declared here."""

uplink_nonces = Table(
    "uplink_nonces",
    metadata,
    Column("key_id", String(64), primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("expires_at", BigInteger, nullable=False, index=True),
)
"""Signature nonces seen per key, kept until their timestamp leaves the window."""

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("archive_id", BigInteger, ForeignKey("uplink_archive.id"), nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("record_index", Integer, nullable=False),
    Column("item_code", String(64), nullable=False),
    Column("record", JSON, nullable=False),
    Column("code", String(48), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", String(12), nullable=False, server_default="open"),
    Column("created_at", BigInteger, nullable=False),
    Column("resolved_at", BigInteger),
    Column("resolved_by", String(64)),
    Column("resolution", JSON),
    _enum_check("status", QUARANTINE_STATUSES),
    Index("ix_quarantine_enterprise", "enterprise_id", "status", "id"),
)
"""Rejected records with their reason, until re-processed or dismissed."""

register_readings = Table(
    "register_readings",
    metadata,
    Column("item_id", Integer, ForeignKey("data_items.id"), primary_key=True),
    Column("period_start", BigInteger, primary_key=True),
    Column("register_value", Float, nullable=False),
    Column("event", JSON),
    Column("quality", String(16), nullable=False),
    Column("source", String(16), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("archive_id", BigInteger),
    sqlite_with_rowid=False,
)
"""Accepted cumulative readings of register items; intervals between them are readings."""

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("level", String(16), nullable=False),
    Column("subject", String(16), nullable=False),
    Column("division_code", String(6)),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id")),
    Column("basis", String(16), nullable=False, server_default="equivalent"),
    Column("total_energy_tce", Float),
    Column("energy_intensity", Float),
    Column("total_co2_t", Float),
    Column("carbon_intensity", Float),
    Column("renewable_base_kwh", Float),
    Column("note", Text),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("year", "level", "subject", name="uq_targets_year_level_subject"),
    _enum_check("level", TARGET_LEVELS),
    _enum_check("basis", BASES),
)
"""Dual-control targets per year for the city, a division or an enterprise (analytics)."""


equal_value_overrides = Table(
    "equal_value_overrides",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("set_at", BigInteger, nullable=False),
)
"""The equal value of electricity [kgce/kWh] of a year, set by an administrator (0007)."""


# --- data quality and alerts (migration 0005) ----------------------------------------------

quality_events = Table(
    "quality_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("rule", String(32), nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("item_id", Integer, ForeignKey("data_items.id")),  # NULL: the enterprise as a whole
    Column("subject", String(32), nullable=False),  # "item:<id>" or "enterprise:<id>"
    Column("period", String(8), nullable=False),
    Column("start", BigInteger, nullable=False),
    Column("end", BigInteger, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("points", Integer, nullable=False, server_default="1"),
    Column("value", Float),
    Column("expected", Float),
    Column("message", Text, nullable=False),
    Column("detected_at", BigInteger, nullable=False),
    UniqueConstraint("rule", "subject", "start", name="uq_quality_events_rule_subject_start"),
    Index("ix_quality_events_enterprise", "enterprise_id", "start"),
    _enum_check("severity", SEVERITIES),
)
"""Data-quality findings of the monitor, one per rule, subject and start (idempotent)."""

quality_item_days = Table(
    "quality_item_days",
    metadata,
    Column("item_id", Integer, ForeignKey("data_items.id"), primary_key=True),
    Column("day", BigInteger, primary_key=True),  # CST midnight (a month start for monthly items)
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("expected", Integer, nullable=False),
    Column("received", Integer, nullable=False),
    Column("on_time", Integer, nullable=False),
    Column("invalid", Integer, nullable=False),
    Column("checked_at", BigInteger, nullable=False),
    Index("ix_quality_item_days_enterprise", "enterprise_id", "day"),
    sqlite_with_rowid=False,
)
"""Points expected, received, on time and flagged invalid per item and CST day (or month)."""

quality_scores = Table(
    "quality_scores",
    metadata,
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Column("month", BigInteger, primary_key=True),  # CST month start
    Column("score", Float, nullable=False),
    Column("grade", String(2), nullable=False),
    Column("completeness", Float),
    Column("timeliness", Float),
    Column("consistency", Float),
    Column("validity", Float),
    Column("weights", JSON, nullable=False),
    Column("detail", JSON),
    Column("computed_at", BigInteger, nullable=False),
)
"""Monthly data-quality score per enterprise from its weighted indices."""

monitor_runs = Table(
    "monitor_runs",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("kind", String(8), nullable=False),  # day, month, range, live
    Column("start", BigInteger, nullable=False),
    Column("end", BigInteger, nullable=False),
    Column("as_of", BigInteger, nullable=False),
    Column("started_at", BigInteger, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("summary", JSON),
)
"""One row per evaluation run (scheduler, command line)."""

alerts = Table(
    "alerts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("rule", String(32), nullable=False),
    Column("subject", String(48), nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id")),
    Column("division_code", String(6)),
    Column("item_id", Integer, ForeignKey("data_items.id")),
    Column("severity", String(8), nullable=False),
    Column("status", String(12), nullable=False, server_default="open"),
    Column("title", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("detail", JSON),
    Column("occurrences", Integer, nullable=False, server_default="1"),
    Column("first_seen", BigInteger, nullable=False),
    Column("last_seen", BigInteger, nullable=False),
    Column("acknowledged_at", BigInteger),
    Column("acknowledged_by", String(64)),
    Column("acknowledge_comment", Text),
    Column("resolved_at", BigInteger),
    Column("resolved_by", String(64)),
    Column("resolve_comment", Text),
    Column("rectification_note", Text),
    Column("rectification_by", String(64)),
    Column("rectification_at", BigInteger),
    Index(
        "uq_alerts_active_rule_subject",
        "rule",
        "subject",
        unique=True,
        sqlite_where=text("status <> 'resolved'"),
        postgresql_where=text("status <> 'resolved'"),
    ),
    Index("ix_alerts_enterprise", "enterprise_id", "status"),
    _enum_check("status", ALERT_STATUSES),
    _enum_check("severity", SEVERITIES),
)
"""Alerts: at most one not-yet-resolved alert per rule and subject (repeats are counted)."""

alert_rules = Table(
    "alert_rules",
    metadata,
    Column("rule", String(32), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("params", JSON, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("updated_by", String(64), nullable=False),
    _enum_check("severity", SEVERITIES),
)
"""Settings of the alert rules that differ from the built-in defaults."""

notification_channels = Table(
    "notification_channels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("target", String(500), nullable=False),  # webhook URL or comma-separated addresses
    Column("secret", String(200)),  # webhook HMAC key; never returned, logged or audited
    Column("min_severity", String(8), nullable=False, server_default="warning"),
    Column("rules", JSON),  # rule names; NULL or empty: every rule
    Column("division_code", String(6)),  # NULL: the whole city
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    _enum_check("kind", NOTIFICATION_KINDS),
)
"""Where alerts are sent: signed webhooks and e-mail recipients."""

alert_notifications = Table(
    "alert_notifications",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("alert_id", BigInteger, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("channel_id", Integer, ForeignKey("notification_channels.id"), nullable=False),
    Column("event", String(12), nullable=False),  # opened, escalated
    Column("status", String(8), nullable=False),  # sent, failed
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("at", BigInteger, nullable=False),
)
"""Each delivery of an alert to a channel, with its outcome."""

Index(
    "ix_uplink_archive_enterprise_received",
    uplink_archive.c.enterprise_id,
    uplink_archive.c.received_at,
)
"""One enterprise's messages in a time window: per-credential status (migration 0011)."""
