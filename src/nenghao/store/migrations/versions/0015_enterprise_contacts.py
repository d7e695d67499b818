"""enterprise register: the energy manager and the contacts of each enterprise

The free-text ``enterprises.contact`` stays as it was (readable, still accepted); each
non-empty one is copied into the enterprise's first contact row.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprise_managers",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=24), nullable=False),
        sa.Column("certificate_number", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_managers_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprise_managers")),
    )
    op.create_table(
        "enterprise_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=True),
        sa.Column("phone", sa.String(length=24), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_contacts_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_contacts")),
    )
    op.create_index(
        op.f("ix_enterprise_contacts_enterprise_id"), "enterprise_contacts", ["enterprise_id"]
    )
    op.execute(
        "INSERT INTO enterprise_contacts (enterprise_id, position, name)"
        " SELECT id, 0, TRIM(contact) FROM enterprises"
        " WHERE contact IS NOT NULL AND TRIM(contact) <> ''"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_enterprise_contacts_enterprise_id"), table_name="enterprise_contacts")
    op.drop_table("enterprise_contacts")
    op.drop_table("enterprise_managers")
