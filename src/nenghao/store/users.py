"""Users: argon2id passwords with a strength rule, roles with their scope fields, audited writes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, insert, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from zxcvbn import zxcvbn

from nenghao.standards.vocabulary import ROLES
from nenghao.store import audit, enterprises, throttle, tokens
from nenghao.store.common import ConflictError, InvalidInputError, Page, now, page_of
from nenghao.store.schema import auth_tokens, users
from nenghao.store.scope import Scope

HASHER = PasswordHasher()
"""argon2id with the library's recommended parameters (tests swap in cheaper ones)."""
MIN_PASSWORD = 10
MAX_PASSWORD = 256
MIN_SCORE = 3
"""Least zxcvbn score (0-4) of a new password: 3 is "safely unguessable" offline at a slow hash."""
STRENGTH_CHECKED_CHARS = 72
"""zxcvbn judges at most this many leading characters (its own limit)."""
UPDATABLE = ("display_name", "role", "division_code", "enterprise_id", "active", "unlock")
USERNAME_PATTERN = r"^[A-Za-z0-9_.@-]{3,64}$"
"""3 to 64 letters, digits, ``_ . @ -``."""
_USERNAME = re.compile(USERNAME_PATTERN)
_PUBLIC = [column for column in users.c if column.name != "password_hash"]
_dummy_hashes: dict[tuple[int, int, int], str] = {}


def check_password(password: str, username: str | None = None) -> None:
    """Raise `InvalidInputError` (``weak_password``) unless `password` meets the policy.

    The policy: `MIN_PASSWORD` to `MAX_PASSWORD` characters and a zxcvbn strength score of at least
    `MIN_SCORE` (0-4), judged with the username and the platform's name as known words.
    """
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInputError(
            f"password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters; "
            "a passphrase of several unrelated words is easy to remember",
            code="weak_password",
            details={"field": "password", "min_length": MIN_PASSWORD},
        )
    known = [word for word in (username, "nenghao") if word]
    verdict = zxcvbn(password[:STRENGTH_CHECKED_CHARS], user_inputs=known)
    if verdict["score"] >= MIN_SCORE:
        return
    feedback = verdict["feedback"]
    advice = [text for text in (feedback["warning"], *feedback["suggestions"]) if text]
    advice = advice or ["Use a longer passphrase of several unrelated words."]
    raise InvalidInputError(
        f"password is too weak (strength {verdict['score']} of 4, at least {MIN_SCORE} "
        f"needed): {' '.join(advice)}",
        code="weak_password",
        details={
            "field": "password",
            "score": verdict["score"],
            "min_score": MIN_SCORE,
            "warning": feedback["warning"],
            "suggestions": feedback["suggestions"],
        },
    )


def hash_password(password: str) -> str:
    """The argon2id hash of `password`."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash` (never raises)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A hash to verify when the username is unknown, so that the check takes as long."""
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = HASHER.hash("nenghao-timing-equaliser")
    return _dummy_hashes[key]


def _public(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """User rows as dicts, with their log-in throttle state (failures, locked, until when)."""
    states = throttle.account_states(conn, [row.username for row in rows])
    out = []
    for row in rows:
        data = {column.name: row._mapping[column.name] for column in _PUBLIC}
        state = states.get(row.username)
        data["failed_logins"] = state.failures if state else 0
        data["locked_until"] = state.blocked_until if state else None
        data["locked"] = data["locked_until"] is not None
        out.append(data)
    return out


def get(conn: Connection, user_id: int) -> dict[str, Any] | None:
    """The user without its password hash, or None."""
    row = conn.execute(select(*_PUBLIC).where(users.c.id == user_id)).first()
    return _public(conn, [row])[0] if row else None


def get_by_username(conn: Connection, username: str) -> dict[str, Any] | None:
    """The user with this username, without its password hash, or None."""
    row = conn.execute(select(*_PUBLIC).where(users.c.username == username)).first()
    return _public(conn, [row])[0] if row else None


def list_users(
    conn: Connection,
    *,
    role: str | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Users matching the filters, ordered by id, without password hashes."""
    conditions = []
    if role is not None:
        conditions.append(users.c.role == role)
    if active is not None:
        conditions.append(users.c.active == active)
    query = select(*_PUBLIC).where(*conditions).order_by(users.c.id)
    return page_of(conn, query, offset=offset, limit=limit, items=lambda rows: _public(conn, rows))


def _resolve_scope_fields(
    conn: Connection, merged: dict[str, Any], explicit: Mapping[str, Any]
) -> None:
    """Check the role and its scope field in `merged`; clear fields the role does not use."""
    role = merged.get("role")
    if role not in ROLES:
        raise InvalidInputError(
            f"role must be one of {', '.join(ROLES)}, got {role!r}",
            code="invalid_role",
            details={"field": "role"},
        )
    needs = {"division_code": role == "district", "enterprise_id": role == "enterprise"}
    for field, needed in needs.items():
        if needed and merged.get(field) is None:
            raise InvalidInputError(
                f"a {role} user needs {field}", code="scope_required", details={"field": field}
            )
        if not needed:
            if explicit.get(field) is not None:
                raise InvalidInputError(
                    f"{field} does not apply to a {role} user",
                    code="scope_not_applicable",
                    details={"field": field},
                )
            merged[field] = None
    if role == "district":
        enterprises.check_division(merged["division_code"])
    if role == "enterprise" and enterprises.get(conn, Scope.all(), merged["enterprise_id"]) is None:
        raise InvalidInputError(
            f"enterprise {merged['enterprise_id']} does not exist",
            code="unknown_enterprise",
            details={"field": "enterprise_id"},
        )


def create(
    conn: Connection,
    *,
    username: str,
    password: str,
    role: str,
    division_code: str | None = None,
    enterprise_id: int | None = None,
    display_name: str | None = None,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Create a user with an argon2id password hash and audit it (without the hash)."""
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        raise InvalidInputError(
            "username must be 3-64 characters of letters, digits, _ . @ -",
            code="invalid_username",
            details={"field": "username"},
        )
    check_password(password, username)
    scope_fields = {"division_code": division_code, "enterprise_id": enterprise_id}
    merged: dict[str, Any] = {"role": role, **scope_fields}
    _resolve_scope_fields(conn, merged, scope_fields)
    if get_by_username(conn, username) is not None:
        raise ConflictError(
            f"username {username!r} is taken",
            code="duplicate_username",
            details={"field": "username"},
        )
    stamp = now()
    result = conn.execute(
        insert(users).values(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            created_at=stamp,
            password_changed_at=stamp,
            **merged,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    row = get(conn, int(key[0]))
    assert row is not None
    audit.record(conn, actor, "create", "user", row["id"], None, row, remote)
    return row


def _ensure_admin_remains(conn: Connection, before: dict[str, Any], after: dict[str, Any]) -> None:
    was_admin = before["role"] == "admin" and before["active"]
    if not was_admin or (after["role"] == "admin" and after["active"]):
        return
    others = conn.execute(
        select(func.count())
        .select_from(users)
        .where(users.c.role == "admin", users.c.active.is_(True), users.c.id != before["id"])
    ).scalar_one()
    if not others:
        raise ConflictError(
            "this is the last active admin; create another admin first", code="last_admin"
        )


def update(
    conn: Connection,
    user_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any] | None:
    """Change profile, role, scope, active flag or lock (``unlock=True``); None if unknown.

    Deactivation revokes all the user's tokens in the same transaction; ``unlock`` forgets
    the failed log-ins of the account from every address.
    """
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidInputError(
            f"unknown user fields: {', '.join(sorted(unknown))}",
            details={"fields": sorted(unknown)},
        )
    before = get(conn, user_id)
    if before is None:
        return None
    values = {k: v for k, v in changes.items() if k != "unlock"}
    merged = {**before, **values}
    _resolve_scope_fields(conn, merged, values)
    _ensure_admin_remains(conn, before, merged)
    new = {k: merged[k] for k in ("display_name", "role", "division_code", "enterprise_id")}
    new["active"] = merged["active"]
    new = {k: v for k, v in new.items() if before[k] != v}
    unlocked = bool(changes.get("unlock")) and throttle.clear_account(conn, before["username"]) > 0
    if not new and not unlocked:
        return before
    if new:
        conn.execute(sql_update(users).where(users.c.id == user_id).values(**new))
    if new.get("active") is False:
        tokens.revoke_all(conn, user_id)
    after = get(conn, user_id)
    audit.record(conn, actor, "update", "user", user_id, before, after, remote)
    return after


def set_password(
    conn: Connection,
    user_id: int,
    password: str,
    *,
    actor: str,
    remote: str | None = None,
    action: str = "set_password",
) -> dict[str, Any] | None:
    """Replace a user's password, unlock the account and revoke all its tokens; audited
    as `action`."""
    before = get(conn, user_id)
    if before is None:
        return None
    check_password(password, before["username"])
    conn.execute(
        sql_update(users)
        .where(users.c.id == user_id)
        .values(password_hash=hash_password(password), password_changed_at=now())
    )
    throttle.clear_account(conn, before["username"])
    revoked = tokens.revoke_all(conn, user_id)
    after = get(conn, user_id)
    audit.record(
        conn,
        actor,
        action,
        "user",
        user_id,
        before,
        after,
        remote,
        detail=f"已注销 {revoked} 个登录凭证",
    )
    return after


def deactivate(
    conn: Connection, user_id: int, *, actor: str, remote: str | None = None
) -> dict[str, Any] | None:
    """Deactivate a user and revoke its tokens."""
    return update(conn, user_id, {"active": False}, actor=actor, remote=remote)


def delete(
    conn: Connection, user_id: int, *, actor: str, remote: str | None = None
) -> dict[str, Any] | None:
    """Remove a user and its tokens (e.g. demo accounts before a rebuild); audited."""
    before = get(conn, user_id)
    if before is None:
        return None
    _ensure_admin_remains(conn, before, {**before, "active": False})
    conn.execute(sql_delete(auth_tokens).where(auth_tokens.c.user_id == user_id))
    conn.execute(sql_delete(users).where(users.c.id == user_id))
    throttle.clear_account(conn, before["username"])
    audit.record(conn, actor, "delete", "user", user_id, before, None, remote)
    return before
