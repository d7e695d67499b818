"""The relational schema (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Instants are stored as integer Unix seconds (UTC). Statistic periods are tagged by their
start instant; their calendar (day, month, year boundaries) is China Standard Time.
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
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

KEY_UNIT_LEVELS = ("key", "designated", "none")
"""key: >= 10 000 tce/yr; designated: 5 000-10 000 tce/yr named by the province; none."""
MEASURES = ("energy", "medium", "product", "output_value", "added_value")
USAGES = ("consumption", "raw_material", "export", "production", "value")
PERIODS = ("15min", "hour", "day", "month", "year")
VALUE_KINDS = ("interval", "register")
ROLES = ("admin", "regulator", "district", "enterprise", "auditor")


def _enum_check(column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_valid")


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

data_items = Table(
    "data_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("measures", String(16), nullable=False),
    Column("energy_kind", String(32)),
    Column("product_code", String(48)),
    Column("usage", String(16), nullable=False),
    Column("renewable", Boolean, nullable=False, server_default="0"),
    Column("boundary", String(64), nullable=False, server_default="enterprise"),
    Column("unit", String(16), nullable=False),
    Column("period", String(8), nullable=False),
    Column("value_kind", String(10), nullable=False, server_default="interval"),
    Column("heating_value", Float),
    Column("heating_value_unit", String(16)),
    Column("manual", Boolean, nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("enterprise_id", "code", name="uq_data_items_enterprise_code"),
    _enum_check("measures", MEASURES),
    _enum_check("usage", USAGES),
    _enum_check("period", PERIODS),
    _enum_check("value_kind", VALUE_KINDS),
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
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", BigInteger),
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

device_credentials = Table(
    "device_credentials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("key_id", String(40), nullable=False, unique=True),
    Column("secret_hash", String(200), nullable=False),
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
