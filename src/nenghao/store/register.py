"""An enterprise's register contacts: its energy manager and contacts, read and replaced
wholesale in the caller's transaction, each change audited with before and after."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from nenghao.store import audit, enterprises
from nenghao.store.common import InvalidInputError, now
from nenghao.store.register_rules import (
    CONTACT_FIELDS as CONTACT_FIELDS,
)
from nenghao.store.register_rules import (
    MANAGER_FIELDS as MANAGER_FIELDS,
)
from nenghao.store.register_rules import clean_contacts, clean_manager
from nenghao.store.schema_register import enterprise_contacts, enterprise_managers
from nenghao.store.scope import Scope

PARTS = ("manager", "contacts")
"""The parts of the register a change may give; an absent part stays as it is."""


def read(conn: Connection, enterprise_id: int) -> dict[str, Any]:
    """``{"manager": {...} | None, "contacts": [...]}`` of an enterprise (unscoped: the
    caller has found the enterprise in its scope)."""
    manager = conn.execute(
        select(
            enterprise_managers.c.name,
            enterprise_managers.c.phone,
            enterprise_managers.c.certificate_number,
            enterprise_managers.c.email,
        ).where(enterprise_managers.c.enterprise_id == enterprise_id)
    ).first()
    contacts = conn.execute(
        select(
            enterprise_contacts.c.name,
            enterprise_contacts.c.role,
            enterprise_contacts.c.phone,
            enterprise_contacts.c.email,
        )
        .where(enterprise_contacts.c.enterprise_id == enterprise_id)
        .order_by(enterprise_contacts.c.position)
    ).all()
    return {
        "manager": dict(manager._mapping) if manager else None,
        "contacts": [dict(row._mapping) for row in contacts],
    }


def clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The parts present in `changes`, validated (before anything is written)."""
    unknown = sorted(set(changes) - set(PARTS))
    if unknown:
        raise InvalidInputError(
            f"unknown register fields: {', '.join(unknown)}", details={"fields": unknown}
        )
    parts: dict[str, Any] = {}
    if "manager" in changes:
        parts["manager"] = clean_manager(changes["manager"])
    if "contacts" in changes:
        parts["contacts"] = clean_contacts(changes["contacts"] or [])
    return parts


def replace(
    conn: Connection,
    enterprise_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Replace the parts given in `changes` (validated by `clean`) and audit the change;
    returns the register contacts after it. The caller has checked scope and permission."""
    parts = clean(changes)
    before = read(conn, enterprise_id)
    if all(before[name] == value for name, value in parts.items()):
        return before
    if "manager" in parts:
        conn.execute(
            delete(enterprise_managers).where(enterprise_managers.c.enterprise_id == enterprise_id)
        )
        if parts["manager"] is not None:
            conn.execute(
                insert(enterprise_managers).values(
                    enterprise_id=enterprise_id, updated_at=now(), **parts["manager"]
                )
            )
    if "contacts" in parts:
        conn.execute(
            delete(enterprise_contacts).where(enterprise_contacts.c.enterprise_id == enterprise_id)
        )
        if parts["contacts"]:
            conn.execute(
                insert(enterprise_contacts),
                [
                    {"enterprise_id": enterprise_id, "position": position, **contact}
                    for position, contact in enumerate(parts["contacts"])
                ],
            )
    after = read(conn, enterprise_id)
    audit.record(conn, actor, "update", "enterprise_contacts", enterprise_id, before, after, remote)
    return after


def split(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`values` cut into the enterprise's own fields and the register parts."""
    own = {k: v for k, v in values.items() if k not in PARTS}
    return own, {k: v for k, v in values.items() if k in PARTS}


def record(conn: Connection, scope: Scope, enterprise_id: int) -> dict[str, Any] | None:
    """The enterprise with its manager and contacts, or None when unseen in `scope`."""
    row = enterprises.get(conn, scope, enterprise_id)
    return None if row is None else {**row, **read(conn, enterprise_id)}


def create_enterprise(
    conn: Connection, scope: Scope, values: Mapping[str, Any], *, actor: str, remote: str | None
) -> dict[str, Any]:
    """A new enterprise with its manager and contacts, in one transaction, audited."""
    own, parts = split(values)
    clean(parts)
    row = enterprises.create(conn, scope, own, actor=actor, remote=remote)
    replace(conn, row["id"], parts, actor=actor, remote=remote)
    result = record(conn, Scope.all(), row["id"])
    assert result is not None
    return result


def update_enterprise(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None,
) -> dict[str, Any] | None:
    """Apply changes to the enterprise and its register parts; None when unseen."""
    own, parts = split(changes)
    clean(parts)
    if enterprises.update(conn, scope, enterprise_id, own, actor=actor, remote=remote) is None:
        return None
    replace(conn, enterprise_id, parts, actor=actor, remote=remote)
    return record(conn, Scope.all(), enterprise_id)


def update_contacts(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None,
) -> dict[str, Any] | None:
    """Replace the manager and/or contacts of an enterprise in `scope` (what an enterprise
    may change of its own register); None when unseen."""
    if enterprises.get(conn, scope, enterprise_id) is None:
        return None
    replace(conn, enterprise_id, changes, actor=actor, remote=remote)
    return record(conn, Scope.all(), enterprise_id)
