"""The federation's stored state: this platform's upstream (with its secret sealed under the
master key) and the delivery record, and the member platforms that forward to this one.

A member's credential is kept as device credentials are (`nenghao.store.devices`): a key id
and a salt; the secret is derived from the master key, shown once, and only its fingerprint
is stored. The upstream's secret was issued by the upstream, so it cannot be derived here: it
is stored sealed (AES-256-GCM under a key derived from the master key).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, delete, insert, select, update

from nenghao.standards import get_catalog
from nenghao.store import audit
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, now
from nenghao.store.devices import derive_secret, hash_secret
from nenghao.store.schema_federation import federation_members, federation_upstream

_DIVISION_PREFIX = re.compile(r"[0-9]{2}(?:[0-9]{2}){0,2}")
_NONCE_BYTES = 12


def _sealing_key(master_key: bytes) -> bytes:
    return hmac.new(master_key, b"nenghao federation upstream secret", hashlib.sha256).digest()


def seal(master_key: bytes, secret: str) -> bytes:
    """`secret` encrypted and authenticated under the master key (nonce + ciphertext)."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return nonce + AESGCM(_sealing_key(master_key)).encrypt(nonce, secret.encode(), b"upstream")


def unseal(master_key: bytes, sealed: bytes) -> str:
    """The secret `seal` sealed (`cryptography` raises InvalidTag under another key)."""
    nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    return AESGCM(_sealing_key(master_key)).decrypt(nonce, body, b"upstream").decode()


@dataclass(frozen=True, slots=True)
class Upstream:
    """Where this platform forwards, and the credential it signs with."""

    url: str
    adapter: str
    key_id: str
    secret: str


def set_upstream(
    conn: Connection,
    *,
    url: str,
    adapter: str,
    key_id: str,
    secret: str,
    master_key: bytes,
    actor: str,
) -> None:
    """Configure (or reconfigure) the upstream; delivery state and outbox are kept."""
    if not re.fullmatch(r"https?://[^\s]+", url):
        raise InvalidInputError(f"url: an http(s) URL, got {url!r}", details={"field": "url"})
    if not secret.strip():
        raise InvalidInputError("secret: empty", details={"field": "secret"})
    values = {
        "url": url.rstrip("/"),
        "adapter": adapter,
        "key_id": key_id,
        "sealed_secret": seal(master_key, secret.strip()),
        "failures": 0,
        "next_attempt_at": None,
    }
    found = conn.execute(select(federation_upstream.c.id)).first()
    if found is None:
        conn.execute(insert(federation_upstream).values(id=1, configured_at=now(), **values))
    else:
        conn.execute(update(federation_upstream).values(configured_at=now(), **values))
    shown = {"url": values["url"], "adapter": adapter, "key_id": key_id}
    audit.record(conn, actor, "configure", "federation_upstream", 1, None, shown)


def clear_upstream(conn: Connection, *, actor: str) -> bool:
    """Stop forwarding (the entries still in the outbox stay); False when none was set."""
    removed = conn.execute(delete(federation_upstream)).rowcount
    if removed:
        audit.record(conn, actor, "remove", "federation_upstream", 1, None, None)
    return bool(removed)


def upstream_state(conn: Connection) -> dict[str, Any] | None:
    """The upstream row without its secret, or None."""
    row = conn.execute(select(federation_upstream)).first()
    if row is None:
        return None
    return {k: v for k, v in row._mapping.items() if k != "sealed_secret"}


def upstream(conn: Connection, master_key: bytes) -> Upstream | None:
    """The configured upstream with its secret, or None."""
    row = conn.execute(select(federation_upstream)).first()
    if row is None:
        return None
    secret = unseal(master_key, row.sealed_secret)
    return Upstream(row.url, row.adapter, row.key_id, secret)


def record_delivery(conn: Connection, entries: int, records: int, at: int) -> None:
    """A batch acknowledged: counters, and the failures forgotten."""
    table = federation_upstream
    conn.execute(
        update(table).values(
            last_delivery_at=at,
            delivered_entries=table.c.delivered_entries + entries,
            delivered_records=table.c.delivered_records + records,
            failures=0,
            next_attempt_at=None,
        )
    )


def record_failure(conn: Connection, error: str, at: int, next_attempt_at: int) -> int:
    """A failed attempt; the failures in a row, this one included."""
    table = federation_upstream
    conn.execute(
        update(table).values(
            failures=table.c.failures + 1,
            last_error=error[:2000],
            last_error_at=at,
            next_attempt_at=next_attempt_at,
        )
    )
    return int(conn.execute(select(table.c.failures)).scalar_one())


def record_closed_month(conn: Connection, month_start: int) -> None:
    """The aggregates of the month starting at `month_start` are queued."""
    conn.execute(update(federation_upstream).values(closed_month=month_start))


# --- member platforms (the receiving side) -------------------------------------------------


def check_divisions(divisions: list[str]) -> list[str]:
    """Division code prefixes (2, 4 or 6 digits) each covering a catalogue division."""
    known = get_catalog().divisions
    clean: list[str] = []
    for code in divisions:
        code = code.strip()
        if not _DIVISION_PREFIX.fullmatch(code) or not any(d.startswith(code) for d in known):
            raise InvalidInputError(
                f"divisions: {code!r} is not a province (2 digits), city (4) or district (6)"
                " code prefix of the division catalogue",
                code="unknown_division",
                details={"field": "divisions"},
            )
        clean.append(code)
    if not clean:
        raise InvalidInputError("divisions: at least one", details={"field": "divisions"})
    return sorted(set(clean))


def covers(divisions: list[str], division_code: str) -> bool:
    """True when `division_code` lies in one of the member's `divisions`."""
    return any(division_code.startswith(prefix) for prefix in divisions)


def add_member(
    conn: Connection, name: str, divisions: list[str], *, master_key: bytes, actor: str
) -> tuple[dict[str, Any], str]:
    """A new member platform and its secret (returned once)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInputError("name: 1-100 characters", details={"field": "name"})
    clean = check_divisions(divisions)
    if conn.execute(
        select(federation_members.c.id).where(federation_members.c.name == name)
    ).first():
        raise ConflictError(f"name: a member {name!r} exists", details={"field": "name"})
    key_id = f"nhp_{secrets.token_hex(8)}"
    salt = secrets.token_hex(16)
    secret = derive_secret(master_key, key_id, salt)
    conn.execute(
        insert(federation_members).values(
            name=name,
            divisions=clean,
            key_id=key_id,
            secret_hash=hash_secret(secret),
            salt=salt,
            created_at=now(),
        )
    )
    row = member(conn, name)
    audit.record(conn, actor, "create", "federation_member", row["id"], None, row)
    return row, secret


_PUBLIC = [c for c in federation_members.c if c.name not in ("secret_hash", "salt")]


def members(conn: Connection) -> list[dict[str, Any]]:
    """Every member platform (revoked ones too), by name."""
    rows = conn.execute(select(*_PUBLIC).order_by(federation_members.c.name))
    return [dict(row._mapping) for row in rows]


def member(conn: Connection, name: str) -> dict[str, Any]:
    """The member named `name` (without its secret), or `NotFoundError`."""
    row = conn.execute(select(*_PUBLIC).where(federation_members.c.name == name)).first()
    if row is None:
        raise NotFoundError(f"no member platform {name!r}", code="member_not_found")
    return dict(row._mapping)


def revoke_member(conn: Connection, name: str, *, actor: str) -> dict[str, Any]:
    """Revoke a member's credential: its next message is refused."""
    before = member(conn, name)
    if before["revoked_at"] is None:
        conn.execute(
            update(federation_members)
            .where(federation_members.c.id == before["id"])
            .values(revoked_at=now())
        )
    after = member(conn, name)
    audit.record(conn, actor, "revoke", "federation_member", after["id"], before, after)
    return after


def active_member(
    conn: Connection, key_id: str, master_key: bytes
) -> tuple[dict[str, Any], str] | None:
    """The active member of `key_id` and its secret, or None (unknown, revoked, or issued
    under another master key)."""
    row = conn.execute(
        select(federation_members).where(
            federation_members.c.key_id == key_id, federation_members.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    secret = derive_secret(master_key, row.key_id, row.salt)
    if not hmac.compare_digest(hash_secret(secret), row.secret_hash):
        return None
    return {c.name: row._mapping[c.name] for c in _PUBLIC}, secret
