"""The password-guess throttle, kept in the database so that every API process shares it.

Two counters answer each password check: one per (username as typed, client address) and
one per client address over every username (``username = ''``). An attempt is counted
*before* the password is verified, so concurrent guesses cannot slip past the limit; a
successful check gives its count back. Once a counter reaches its allowance, every further
attempt from that address waits, and the wait doubles with each failure up to a cap:
``first_wait_s * 2 ** (failures - allowance)``, at most ``max_wait_s``. Counters with no
failure for ``memory_s`` are forgotten.

The counters are keyed by what was typed, not by an account, so an unknown username is
throttled exactly like a real one, and guesses from one address never make the owner of an
account wait at another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from nenghao.store.common import now
from nenghao.store.schema import login_throttle

EVERY_ACCOUNT = ""
"""The username of an address's counter over every username."""
UNKNOWN_REMOTE = "unknown"
"""The address recorded when the server does not know the client's address."""


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed password checks are free, and how the wait grows after them."""

    max_failures: int
    """Failures for one username from one address before each further attempt waits."""
    address_max_failures: int
    """Failures from one address, over every username, before each further attempt waits."""
    first_wait_s: int
    """The first wait [s]; it doubles with each further failure."""
    max_wait_s: int
    """The longest wait [s]."""
    memory_s: int
    """A counter with no failure for this long [s] starts again from zero."""

    def wait_after(self, failures: int, allowance: int) -> int:
        """The wait [s] after `failures` counted failures against `allowance` free ones."""
        if failures < allowance:
            return 0
        doubled = self.first_wait_s * 2 ** min(failures - allowance, 32)
        return min(self.max_wait_s, int(doubled))


@dataclass(frozen=True)
class Refusal:
    """An attempt refused by the throttle: how long to wait [s] and which counter said so."""

    retry_after: int
    whole_address: bool


def _keys(username: str, remote: str | None) -> tuple[tuple[str, str], tuple[str, str]]:
    address = (remote or UNKNOWN_REMOTE)[:64]
    return (username[:64], address), (EVERY_ACCOUNT, address)


def _ensure_rows(conn: Connection, keys: tuple[tuple[str, str], ...], stamp: int) -> None:
    """Insert missing counters; the write also takes SQLite's write lock before any read."""
    rows = [{"username": u, "remote": r, "failures": 0, "last_failure_at": stamp} for u, r in keys]
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(login_throttle).values(rows).on_conflict_do_nothing())


def _locked_rows(conn: Connection, keys: tuple[tuple[str, str], ...]) -> dict[tuple[str, str], Any]:
    condition = or_(
        *(and_(login_throttle.c.username == u, login_throttle.c.remote == r) for u, r in keys)
    )
    rows = conn.execute(select(login_throttle).where(condition).with_for_update())
    return {(row.username, row.remote): row for row in rows}


def reserve(
    conn: Connection, policy: ThrottlePolicy, username: str, remote: str | None
) -> Refusal | None:
    """Count one password attempt of `username` from `remote`, or refuse it (counting nothing).

    Call in its own short transaction before verifying the password; call `give_back` when
    the password was right.
    """
    stamp = now()
    pair, address = keys = _keys(username, remote)
    conn.execute(
        delete(login_throttle).where(login_throttle.c.last_failure_at < stamp - policy.memory_s)
    )
    _ensure_rows(conn, keys, stamp)
    rows = _locked_rows(conn, keys)
    waits = {key: (rows[key].blocked_until or 0) - stamp for key in keys}
    if max(waits.values()) > 0:
        whole = waits[address] >= waits[pair]
        return Refusal(retry_after=max(waits.values()), whole_address=whole)
    for key, allowance in ((pair, policy.max_failures), (address, policy.address_max_failures)):
        failures = rows[key].failures + 1
        wait = policy.wait_after(failures, allowance)
        conn.execute(
            update(login_throttle)
            .where(login_throttle.c.id == rows[key].id)
            .values(
                failures=failures,
                last_failure_at=stamp,
                blocked_until=stamp + wait if wait else None,
            )
        )
    return None


def give_back(conn: Connection, policy: ThrottlePolicy, username: str, remote: str | None) -> None:
    """The password was right: forget the pair's failures and return the address's count."""
    pair, address = keys = _keys(username, remote)
    rows = _locked_rows(conn, keys)
    conn.execute(
        delete(login_throttle).where(
            login_throttle.c.username == pair[0], login_throttle.c.remote == pair[1]
        )
    )
    row = rows.get(address)
    if row is None:
        return
    failures = max(0, row.failures - 1)
    wait = policy.wait_after(failures, policy.address_max_failures)
    conn.execute(
        update(login_throttle)
        .where(login_throttle.c.id == row.id)
        .values(failures=failures, blocked_until=row.last_failure_at + wait if wait else None)
    )


def clear_account(conn: Connection, username: str) -> int:
    """Forget every address's failures for `username` (an administrator's unlock)."""
    result = conn.execute(
        delete(login_throttle).where(
            login_throttle.c.username == username, login_throttle.c.username != EVERY_ACCOUNT
        )
    )
    return int(result.rowcount)


@dataclass(frozen=True)
class AccountState:
    """An account's throttle state over every address."""

    failures: int
    """Counted failures, summed over the addresses."""
    blocked_until: int | None
    """When the last address waiting for this account may try again (None: none waits)."""


def account_states(conn: Connection, usernames: list[str]) -> dict[str, AccountState]:
    """The throttle state of each of `usernames` that has one."""
    names = [name for name in usernames if name != EVERY_ACCOUNT]
    if not names:
        return {}
    rows = conn.execute(
        select(
            login_throttle.c.username,
            func.sum(login_throttle.c.failures).label("failures"),
            func.max(login_throttle.c.blocked_until).label("blocked_until"),
        )
        .where(login_throttle.c.username.in_(names))
        .group_by(login_throttle.c.username)
    )
    stamp = now()
    return {
        row.username: AccountState(
            failures=int(row.failures or 0),
            blocked_until=row.blocked_until if (row.blocked_until or 0) > stamp else None,
        )
        for row in rows
    }
