"""The tables of an enterprise's register contacts: its energy manager (能源管理负责人) and its
contacts (联系人) (part of the schema, re-exported by `nenghao.store.schema`)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table

from nenghao.store.metadata import metadata

enterprise_managers = Table(
    "enterprise_managers",
    metadata,
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), primary_key=True),
    Column("name", String(50), nullable=False),
    Column("phone", String(24), nullable=False),
    Column("certificate_number", String(40)),
    Column("email", String(254)),
    Column("updated_at", BigInteger, nullable=False),
)
"""At most one energy manager per enterprise."""

enterprise_contacts = Table(
    "enterprise_contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    Column("role", String(50)),
    Column("phone", String(24)),
    Column("email", String(254)),
)
"""An enterprise's contacts in the order given (``position`` from 0); replaced wholesale."""
