"""Users: argon2id passwords, roles with their scope fields, login lock-out, audited writes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, insert, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update

from nenghao.store import audit, enterprises, tokens
from nenghao.store.common import ConflictError, InvalidInputError, Page, now
from nenghao.store.schema import ROLES, auth_tokens, users
from nenghao.store.scope import Scope

HASHER = PasswordHasher()
"""argon2id with the library's recommended parameters (tests swap in cheaper ones)."""
MIN_PASSWORD = 8
MAX_PASSWORD = 256
UPDATABLE = ("display_name", "role", "division_code", "enterprise_id", "active", "unlock")
USERNAME_PATTERN = r"^[A-Za-z0-9_.@-]{3,64}$"
"""3 to 64 letters, digits, ``_ . @ -``."""
_USERNAME = re.compile(USERNAME_PATTERN)
_PUBLIC = [column for column in users.c if column.name != "password_hash"]
_dummy_hashes: dict[tuple[int, int, int], str] = {}


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user, or an error code and message."""

    user: dict[str, Any] | None
    code: str | None = None
    message: str | None = None
    retry_after: int | None = None


def check_password(password: str, username: str | None = None) -> None:
    """Raise `InvalidInputError` unless `password` meets the policy."""
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInputError(
            f"password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters",
            code="weak_password",
            details={"field": "password"},
        )
    if username and password.lower() == username.lower():
        raise InvalidInputError(
            "password must differ from the username",
            code="weak_password",
            details={"field": "password"},
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


def _dummy_hash() -> str:
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = HASHER.hash("nenghao-timing-equaliser")
    return _dummy_hashes[key]


def _public(row: Any) -> dict[str, Any]:
    data = {column.name: row._mapping[column.name] for column in _PUBLIC}
    data["locked"] = bool(data["locked_until"] and data["locked_until"] > now())
    return data


def get(conn: Connection, user_id: int) -> dict[str, Any] | None:
    """The user without its password hash, or None."""
    row = conn.execute(select(*_PUBLIC).where(users.c.id == user_id)).first()
    return _public(row) if row else None


def get_by_username(conn: Connection, username: str) -> dict[str, Any] | None:
    """The user with this username, without its password hash, or None."""
    row = conn.execute(select(*_PUBLIC).where(users.c.username == username)).first()
    return _public(row) if row else None


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
    total = conn.execute(select(func.count()).select_from(users).where(*conditions))
    rows = conn.execute(
        select(*_PUBLIC).where(*conditions).order_by(users.c.id).offset(offset).limit(limit)
    )
    return Page(
        items=[_public(row) for row in rows],
        total=int(total.scalar_one()),
        offset=offset,
        limit=limit,
    )


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

    Deactivation revokes all the user's tokens in the same transaction.
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
    if changes.get("unlock"):
        new.update(failed_logins=0, locked_until=None)
    new = {k: v for k, v in new.items() if before[k] != v}
    if not new:
        return before
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
) -> dict[str, Any] | None:
    """Replace a user's password, unlock the account and revoke all its tokens; audited."""
    before = get(conn, user_id)
    if before is None:
        return None
    check_password(password, before["username"])
    conn.execute(
        sql_update(users)
        .where(users.c.id == user_id)
        .values(
            password_hash=hash_password(password),
            password_changed_at=now(),
            failed_logins=0,
            locked_until=None,
        )
    )
    revoked = tokens.revoke_all(conn, user_id)
    after = get(conn, user_id)
    audit.record(
        conn,
        actor,
        "set_password",
        "user",
        user_id,
        before,
        after,
        remote,
        detail=f"{revoked} token(s) revoked",
    )
    return after


def change_password(
    conn: Connection,
    user_id: int,
    current: str,
    new: str,
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any] | None:
    """A user's own password change: `current` must match first."""
    stored = conn.execute(select(users.c.password_hash).where(users.c.id == user_id)).scalar()
    if stored is None:
        return None
    if not verify_password(stored, current):
        raise InvalidInputError(
            "the current password is wrong",
            code="wrong_password",
            details={"field": "current_password"},
        )
    return set_password(conn, user_id, new, actor=actor, remote=remote)


def deactivate(
    conn: Connection, user_id: int, *, actor: str, remote: str | None = None
) -> dict[str, Any] | None:
    """Deactivate a user and revoke its tokens."""
    return update(conn, user_id, {"active": False}, actor=actor, remote=remote)


def authenticate(
    conn: Connection,
    username: str,
    password: str,
    *,
    max_failures: int,
    lock_minutes: int,
    remote: str | None = None,
) -> LoginResult:
    """Check a login; counts failures and locks the account after `max_failures`.

    An unknown username costs one hash verification like a known one, and all wrong
    credentials answer the same code, so the answer does not reveal which part was wrong.
    """
    wrong = LoginResult(None, "invalid_credentials", "wrong username or password")
    row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        verify_password(_dummy_hash(), password)
        return wrong
    ok = verify_password(row.password_hash, password)
    stamp = now()
    if not row.active:
        return wrong
    if row.locked_until and row.locked_until > stamp:
        wait = row.locked_until - stamp
        return LoginResult(
            None,
            "account_locked",
            f"account locked after {max_failures} failed logins; try again in "
            f"{-(-wait // 60)} minute(s) or ask an administrator to unlock it",
            retry_after=wait,
        )
    where = users.c.id == row.id
    if ok:
        values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
        if HASHER.check_needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        conn.execute(sql_update(users).where(where).values(**values))
        audit.record(conn, username, "login", "user", row.id, None, None, remote)
        return LoginResult(get(conn, row.id))
    expired_lock = row.locked_until is not None and row.locked_until <= stamp
    failures = 1 if expired_lock else row.failed_logins + 1
    values = {"failed_logins": failures}
    action = "login_failed"
    if failures >= max_failures:
        values = {"failed_logins": 0, "locked_until": stamp + lock_minutes * 60}
        action = "account_locked"
    conn.execute(sql_update(users).where(where).values(**values))
    audit.record(
        conn,
        username,
        action,
        "user",
        row.id,
        {"failed_logins": row.failed_logins},
        values,
        remote,
    )
    if action == "account_locked":
        return LoginResult(
            None,
            "account_locked",
            f"account locked for {lock_minutes} minute(s) after {max_failures} failed logins",
            retry_after=lock_minutes * 60,
        )
    return wrong


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
    audit.record(conn, actor, "delete", "user", user_id, before, None, remote)
    return before
