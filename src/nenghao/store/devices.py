"""Device credentials of enterprise gateways: key id + secret, the secret kept only hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import Connection, insert, select, update

from nenghao.store import audit
from nenghao.store import enterprises as enterprise_store
from nenghao.store.common import now
from nenghao.store.schema import device_credentials
from nenghao.store.scope import Scope

_PUBLIC = [column for column in device_credentials.c if column.name != "secret_hash"]


def hash_secret(secret: str) -> str:
    """The hex SHA-256 of a device secret (secrets are 256-bit random, so no slow hash)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _public(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["active"] = data["revoked_at"] is None
    return data


def list_devices(conn: Connection, scope: Scope, enterprise_id: int) -> list[dict[str, Any]]:
    """The credentials of an enterprise in `scope` (revoked ones too), oldest first."""
    rows = conn.execute(
        select(*_PUBLIC)
        .where(
            device_credentials.c.enterprise_id == enterprise_id,
            scope.enterprise_clause(device_credentials.c.enterprise_id),
        )
        .order_by(device_credentials.c.id)
    )
    return [_public(row) for row in rows]


def get(conn: Connection, scope: Scope, key_id: str) -> dict[str, Any] | None:
    """A credential by key id, or None when unknown or outside `scope`."""
    row = conn.execute(
        select(*_PUBLIC).where(
            device_credentials.c.key_id == key_id,
            scope.enterprise_clause(device_credentials.c.enterprise_id),
        )
    ).first()
    return _public(row) if row else None


def issue(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    *,
    label: str | None = None,
    actor: str,
    remote: str | None = None,
) -> tuple[dict[str, Any], str] | None:
    """A new credential and its secret (returned once), or None if the enterprise is unseen."""
    if enterprise_store.get(conn, scope, enterprise_id) is None:
        return None
    key_id = f"nhk_{secrets.token_hex(8)}"
    secret = secrets.token_urlsafe(32)
    conn.execute(
        insert(device_credentials).values(
            enterprise_id=enterprise_id,
            key_id=key_id,
            secret_hash=hash_secret(secret),
            label=label,
            created_at=now(),
        )
    )
    row = get(conn, scope, key_id)
    assert row is not None
    audit.record(conn, actor, "issue", "device_credential", key_id, None, row, remote)
    return row, secret


def revoke(
    conn: Connection, scope: Scope, key_id: str, *, actor: str, remote: str | None = None
) -> dict[str, Any] | None:
    """Revoke a credential in `scope` (idempotent); None when unknown or outside scope."""
    before = get(conn, scope, key_id)
    if before is None or before["revoked_at"] is not None:
        return before
    conn.execute(
        update(device_credentials)
        .where(device_credentials.c.key_id == key_id)
        .values(revoked_at=now())
    )
    after = get(conn, scope, key_id)
    audit.record(conn, actor, "revoke", "device_credential", key_id, before, after, remote)
    return after


def authenticate(conn: Connection, key_id: str, secret: str) -> dict[str, Any] | None:
    """The active credential matching `key_id` and `secret`, or None."""
    row = conn.execute(
        select(device_credentials).where(
            device_credentials.c.key_id == key_id, device_credentials.c.revoked_at.is_(None)
        )
    ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, hash_secret(secret)):
        return None
    return {k: v for k, v in row._mapping.items() if k != "secret_hash"}
