"""Bearer tokens: opaque, random, stored only as a SHA-256 hash, short-lived, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from nenghao.store.common import AuthError, now
from nenghao.store.schema import auth_tokens, users


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued token; `token` is shown to the client once and never stored."""

    token: str
    expires_at: int


def hash_token(token: str) -> str:
    """The hex SHA-256 of `token` (what the database keeps)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(conn: Connection, user_id: int, ttl_minutes: int) -> IssuedToken:
    """Create a token for `user_id` that expires after `ttl_minutes`."""
    token = secrets.token_urlsafe(32)
    issued = now()
    expires = issued + ttl_minutes * 60
    conn.execute(
        insert(auth_tokens).values(
            token_hash=hash_token(token), user_id=user_id, issued_at=issued, expires_at=expires
        )
    )
    return IssuedToken(token=token, expires_at=expires)


def resolve(conn: Connection, token: str) -> dict[str, Any]:
    """The active user row (with ``token_hash``) behind `token`, or `AuthError` saying why not."""
    row = conn.execute(
        select(auth_tokens, users.c.active)
        .join(users, users.c.id == auth_tokens.c.user_id)
        .where(auth_tokens.c.token_hash == hash_token(token))
    ).first()
    if row is None:
        raise AuthError("the bearer token is not valid; log in again", code="invalid_token")
    if row.revoked_at is not None:
        raise AuthError("the bearer token was revoked; log in again", code="token_revoked")
    if row.expires_at <= now():
        raise AuthError("the bearer token has expired; log in again", code="token_expired")
    if not row.active:
        raise AuthError("the account is deactivated", code="account_inactive")
    return {"user_id": row.user_id, "token_hash": row.token_hash, "expires_at": row.expires_at}


def revoke(conn: Connection, token_hash: str) -> bool:
    """Revoke one token by its hash; True when it was active."""
    result = conn.execute(
        update(auth_tokens)
        .where(auth_tokens.c.token_hash == token_hash, auth_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now())
    )
    return result.rowcount > 0


def revoke_all(conn: Connection, user_id: int) -> int:
    """Revoke every active token of a user; returns how many."""
    result = conn.execute(
        update(auth_tokens)
        .where(auth_tokens.c.user_id == user_id, auth_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now())
    )
    return int(result.rowcount)
