"""Password checks at the door (log-in, own password change): throttled, timed alike, audited.

Every check goes the same way whether or not the username exists: count the attempt in the
throttle (or refuse it), verify one argon2 hash (a dummy one for an unknown username), then
record the outcome. Failures are audited with the username as typed, never the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy import update as sql_update

from nenghao.store import audit, throttle, users
from nenghao.store.schema import users as users_table
from nenghao.store.throttle import Refusal, ThrottlePolicy


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a password check: the user, a refusal by the throttle, or neither."""

    user: dict[str, Any] | None = None
    refusal: Refusal | None = None


def check(
    engine: Engine,
    policy: ThrottlePolicy,
    username: str,
    password: str,
    *,
    remote: str | None,
    action: str,
) -> CheckResult:
    """Check `password` of `username`; a failure is audited as ``<action>_failed``.

    The caller audits the success itself, in the transaction of what the success allows.
    """
    with engine.begin() as conn:
        refusal = throttle.reserve(conn, policy, username, remote)
        if refusal is not None:
            return CheckResult(refusal=refusal)
        row = conn.execute(
            select(users_table.c.id, users_table.c.password_hash, users_table.c.active).where(
                users_table.c.username == username
            )
        ).first()
    stored = row.password_hash if row is not None else users.dummy_hash()
    matched = users.verify_password(stored, password) and row is not None and row.active
    with engine.begin() as conn:
        if matched:
            assert row is not None
            throttle.give_back(conn, policy, username, remote)
            if users.HASHER.check_needs_rehash(row.password_hash):
                conn.execute(
                    sql_update(users_table)
                    .where(users_table.c.id == row.id)
                    .values(password_hash=users.hash_password(password))
                )
            return CheckResult(user=users.get(conn, row.id))
        detail = "用户名不存在" if row is None else None
        if row is not None and not row.active:
            detail = "账号已停用"
        audit.record(
            conn,
            username,
            f"{action}_failed",
            "user",
            row.id if row else None,
            None,
            None,
            remote,
            detail=detail,
        )
    return CheckResult()
