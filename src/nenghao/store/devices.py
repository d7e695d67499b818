"""Device credentials of enterprise gateways: a key id and a secret derived from the master key.

HMAC signatures need the verifier to know the secret, so a stored hash alone cannot verify
one. The secret is therefore derived::

    secret = base64url(HMAC-SHA256(master key, key_id + ":" + salt))    (43 characters)

with a random per-credential ``salt``. The database keeps only the salt and the SHA-256
fingerprint of the secret (``secret_hash``), never the secret; the secret is shown once, at
issue and at rotation. Rotation draws a new salt, so the old secret stops working at once (no
grace period). Devices sign with the secret's UTF-8 bytes. Every change is audited; secrets
are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from nenghao.store import audit
from nenghao.store import enterprises as enterprise_store
from nenghao.store.common import Page, now, page_of
from nenghao.store.schema import device_credentials, enterprises
from nenghao.store.scope import Scope

_HIDDEN = {"secret_hash", "salt"}
_PUBLIC = [column for column in device_credentials.c if column.name not in _HIDDEN]


def hash_secret(secret: str) -> str:
    """The hex SHA-256 fingerprint of a device secret (secrets are 256-bit, no slow hash)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def derive_secret(master_key: bytes, key_id: str, salt: str) -> str:
    """The secret of credential `key_id` with `salt` under `master_key`."""
    digest = hmac.new(master_key, f"{key_id}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _public(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["active"] = data["revoked_at"] is None
    return data


def list_devices(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """The credentials of an enterprise in `scope` (revoked ones too), oldest first."""
    query = (
        select(*_PUBLIC)
        .where(
            device_credentials.c.enterprise_id == enterprise_id,
            scope.enterprise_clause(device_credentials.c.enterprise_id),
        )
        .order_by(device_credentials.c.id)
    )
    return page_of(
        conn, query, offset=offset, limit=limit, items=lambda rows: [_public(r) for r in rows]
    )


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
    master_key: bytes,
    label: str | None = None,
    actor: str,
    remote: str | None = None,
) -> tuple[dict[str, Any], str] | None:
    """A new credential and its secret (returned once), or None if the enterprise is unseen."""
    if enterprise_store.get(conn, scope, enterprise_id) is None:
        return None
    key_id = f"nhk_{secrets.token_hex(8)}"
    salt = secrets.token_hex(16)
    secret = derive_secret(master_key, key_id, salt)
    conn.execute(
        insert(device_credentials).values(
            enterprise_id=enterprise_id,
            key_id=key_id,
            secret_hash=hash_secret(secret),
            salt=salt,
            label=label,
            created_at=now(),
        )
    )
    row = get(conn, scope, key_id)
    assert row is not None
    audit.record(conn, actor, "issue", "device_credential", key_id, None, row, remote)
    return row, secret


def rotate(
    conn: Connection,
    scope: Scope,
    key_id: str,
    *,
    master_key: bytes,
    actor: str,
    remote: str | None = None,
) -> tuple[dict[str, Any], str] | None:
    """A new secret for an active credential (the old one stops working), or None.

    None when the credential is unknown, outside `scope` or revoked.
    """
    before = get(conn, scope, key_id)
    if before is None or before["revoked_at"] is not None:
        return None
    salt = secrets.token_hex(16)
    secret = derive_secret(master_key, key_id, salt)
    conn.execute(
        update(device_credentials)
        .where(device_credentials.c.key_id == key_id)
        .values(salt=salt, secret_hash=hash_secret(secret), rotated_at=now())
    )
    after = get(conn, scope, key_id)
    assert after is not None
    audit.record(conn, actor, "rotate", "device_credential", key_id, before, after, remote)
    return after, secret


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


def _active_credentials() -> Select[Any]:
    """Active (not revoked, derivable) credentials of active enterprises, with credit codes."""
    return (
        select(
            device_credentials.c.key_id,
            device_credentials.c.enterprise_id,
            device_credentials.c.salt,
            device_credentials.c.secret_hash,
            enterprises.c.credit_code,
        )
        .join(enterprises, enterprises.c.id == device_credentials.c.enterprise_id)
        .where(
            device_credentials.c.revoked_at.is_(None),
            device_credentials.c.salt.is_not(None),
            enterprises.c.active.is_(True),
        )
    )


def active_credential(conn: Connection, key_id: str) -> dict[str, Any] | None:
    """An active (not revoked, derivable) credential with its enterprise's credit code.

    The answer holds ``key_id``, ``enterprise_id``, ``credit_code``, ``salt`` and
    ``secret_hash``; None when unknown, revoked, issued before secret derivation (no salt),
    or of an inactive enterprise.
    """
    statement = _active_credentials().where(device_credentials.c.key_id == key_id)
    row = conn.execute(statement).first()
    return dict(row._mapping) if row else None


def active_credentials(conn: Connection) -> list[dict[str, Any]]:
    """Every `active_credential`, oldest first (what the MQTT broker must admit)."""
    rows = conn.execute(_active_credentials().order_by(device_credentials.c.id))
    return [dict(row._mapping) for row in rows]


def owner_credit_code(conn: Connection, key_id: str) -> str | None:
    """The credit code of the enterprise a credential (revoked too) belongs to, else None."""
    return conn.execute(
        select(enterprises.c.credit_code)
        .join(device_credentials, device_credentials.c.enterprise_id == enterprises.c.id)
        .where(device_credentials.c.key_id == key_id)
    ).scalar_one_or_none()


def secret_of(conn: Connection, key_id: str, master_key: bytes) -> str | None:
    """The secret of an active credential, checked against its stored fingerprint."""
    row = active_credential(conn, key_id)
    return None if row is None else checked_secret(row, master_key)


def checked_secret(row: dict[str, Any], master_key: bytes) -> str | None:
    """The secret of an `active_credential` row, checked against its stored fingerprint."""
    secret = derive_secret(master_key, row["key_id"], row["salt"])
    if not hmac.compare_digest(hash_secret(secret), row["secret_hash"]):
        return None  # the master key changed since issue: the credential must be rotated
    return secret


def authenticate(
    conn: Connection, key_id: str, secret: str, *, master_key: bytes
) -> dict[str, Any] | None:
    """The active credential matching `key_id` and `secret`, or None."""
    expected = secret_of(conn, key_id, master_key)
    if expected is None or not hmac.compare_digest(expected, secret):
        return None
    row = active_credential(conn, key_id)
    return None if row is None else {k: v for k, v in row.items() if k not in _HIDDEN}
