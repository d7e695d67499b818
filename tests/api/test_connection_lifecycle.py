"""Every request ends its connection's transaction, whatever way it leaves.

A request that fails after a read used to hand its pooled connection back with the read
still open (SQLite keeps the snapshot of an unfinished statement), so later requests on that
connection saw the database as it was: revoked tokens and deactivated users were accepted.
Here a route fails after a read it never finished, on many pooled connections at once; then
a logout and a deactivation must be seen by every request and on every pooled connection.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select

from nenghao.store import enterprises as enterprise_store
from nenghao.store.schema import auth_tokens, users
from nenghao.store.tokens import hash_token

PARALLEL = 6


class ReadThenFailError(RuntimeError):
    """Raised by the patched route after its read."""


@pytest.fixture
def failing_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """``GET /enterprises`` reads a row, leaves its cursor unfinished and raises."""

    def read_then_fail(conn: Connection, *_args: Any, **_kwargs: Any) -> Any:
        pending = conn.execute(select(users.c.id))  # a result left open, as a bug would
        pending.fetchone()
        raise ReadThenFailError("failed after a read")

    monkeypatch.setattr(enterprise_store, "list_enterprises", read_then_fail)


def _parallel(call: Any, count: int) -> list[Any]:
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(lambda _i: call(), range(count)))


def _visible_on_every_pooled_connection(engine: Engine, token: str) -> list[tuple[Any, bool]]:
    """Check out every pooled connection at once and read the token's state through each."""
    size = engine.pool.checkedin()  # type: ignore[attr-defined]
    held = [engine.connect() for _ in range(size)]
    try:
        return [
            conn.execute(
                select(auth_tokens.c.revoked_at, users.c.active)
                .join(users, users.c.id == auth_tokens.c.user_id)
                .where(auth_tokens.c.token_hash == hash_token(token))
            ).one()
            for conn in held
        ]
    finally:
        for conn in held:
            conn.close()


@pytest.mark.usefixtures("failing_list")
def test_failed_reads_leave_no_stale_connection(client, world, engine) -> None:
    admin = world.headers("admin")
    failed = _parallel(lambda: client.get("/api/v1/enterprises", headers=admin).status_code, 24)
    assert set(failed) == {500}
    assert engine.pool.checkedin() >= 2, "the failures should have used several connections"

    # A logout: the token is refused by every later request and on every connection.
    regulator = world.headers("regulator")
    assert client.get("/api/v1/auth/me", headers=regulator).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=regulator).status_code == 200
    seen = _parallel(lambda: client.get("/api/v1/auth/me", headers=regulator).status_code, 40)
    assert set(seen) == {401}, seen
    states = _visible_on_every_pooled_connection(engine, world.tokens["regulator"])
    assert all(revoked is not None for revoked, _active in states), states

    # A deactivation: the user's token is refused everywhere at once.
    auditor = world.headers("auditor")
    changed = client.patch(
        f"/api/v1/users/{world.user_ids['auditor']}", json={"active": False}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    seen = _parallel(lambda: client.get("/api/v1/auth/me", headers=auditor).status_code, 40)
    assert set(seen) == {401}, seen
    states = _visible_on_every_pooled_connection(engine, world.tokens["auditor"])
    assert not any(active for _revoked, active in states), states


@pytest.mark.usefixtures("failing_list")
def test_writes_after_failed_reads_are_not_locked_out(client, world) -> None:
    """Logins and user changes write on connections that failed requests handed back."""
    admin = world.headers("admin")
    _parallel(lambda: client.get("/api/v1/enterprises", headers=admin), 24)
    for name in ("regulator", "district", "enterprise", "auditor"):
        login = client.post(
            "/api/v1/auth/login", json={"username": name, "password": world.secrets[0]}
        )
        assert login.status_code == 200, login.text
        patched = client.patch(
            f"/api/v1/users/{world.user_ids[name]}",
            json={"display_name": f"{name} 2"},
            headers=admin,
        )
        assert patched.status_code == 200, patched.text
