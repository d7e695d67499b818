"""Users: hashing, password strength, roles and scope fields, token revocation."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from nenghao.store import audit, tokens, users
from nenghao.store.common import AuthError, ConflictError, InvalidInputError
from nenghao.store.schema import auth_tokens
from nenghao.store.schema import users as users_table


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def _add(conn, name="alice", role="admin", **extra):
    return users.create(
        conn, username=name, password="pw-" + name + "-123", role=role, actor="t", **extra
    )


def test_password_is_stored_as_argon2id_and_never_returned(engine) -> None:
    with engine.begin() as conn:
        row = _add(conn)
        stored = conn.execute(select(users_table.c.password_hash)).scalar_one()
        logged = audit.list_entries(conn).items[0]
    assert stored.startswith("$argon2id$")
    assert "password_hash" not in row
    assert "password_hash" not in logged["after"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"username": "x"}, "invalid_username"),
        ({"password": "short"}, "weak_password"),
        ({"password": "Alice"}, "weak_password"),
        ({"role": "king"}, "invalid_role"),
        ({"role": "district"}, "scope_required"),
        ({"role": "enterprise", "enterprise_id": 42}, "unknown_enterprise"),
        ({"role": "admin", "division_code": "210302"}, "scope_not_applicable"),
    ],
)
def test_create_validates(engine, kwargs, code) -> None:
    values = {"username": "alice", "password": "long-pass-phrase", "role": "admin", **kwargs}
    if values["password"] == "Alice":
        values["password"] = values["username"]
    with engine.begin() as conn, pytest.raises(InvalidInputError) as caught:
        users.create(conn, actor="t", **values)
    assert caught.value.code == code


def test_duplicate_username(engine) -> None:
    with engine.begin() as conn:
        _add(conn)
        with pytest.raises(ConflictError):
            _add(conn)


def test_set_password_revokes_tokens_and_deactivate_too(engine) -> None:
    with engine.begin() as conn:
        admin = _add(conn)
        bob = _add(conn, "bob", "regulator")
        first = tokens.issue(conn, bob["id"], 10)
        users.set_password(conn, bob["id"], "new-bob-pw-1", actor="alice")
        with pytest.raises(AuthError, match="revoked"):
            tokens.resolve(conn, first.token)
        second = tokens.issue(conn, bob["id"], 10)
        assert tokens.resolve(conn, second.token)["user_id"] == bob["id"]
        users.deactivate(conn, bob["id"], actor="alice")
        with pytest.raises(AuthError):
            tokens.resolve(conn, second.token)
        hashes = set(conn.execute(select(auth_tokens.c.token_hash)).scalars())
        assert first.token not in hashes
        assert tokens.hash_token(first.token) in hashes
        with pytest.raises(ConflictError):
            users.deactivate(conn, admin["id"], actor="alice")


WEAK = ["password", "12345678", "aaaaaaaa", "aaaaaaaaaa", "password123", "qwertyuiop"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_on_create_and_reset(engine, password) -> None:
    with engine.begin() as conn:
        alice = _add(conn)
        with pytest.raises(InvalidInputError) as created:
            users.create(conn, username="bob", password=password, role="auditor", actor="t")
        with pytest.raises(InvalidInputError) as reset:
            users.set_password(conn, alice["id"], password, actor="t")
    for caught in (created, reset):
        assert caught.value.code == "weak_password"
        assert caught.value.details["field"] == "password"
    if len(password) >= users.MIN_PASSWORD:  # judged by zxcvbn: its score and advice
        assert caught.value.details["score"] < users.MIN_SCORE
        assert caught.value.details["suggestions"]
        assert "too weak" in caught.value.message


def test_password_built_on_the_username_is_weak(engine) -> None:
    with engine.begin() as conn, pytest.raises(InvalidInputError, match="too weak"):
        users.create(conn, username="zhangwei", password="zhangwei2024", role="admin", actor="t")


def test_role_change_clears_scope_fields(engine) -> None:
    with engine.begin() as conn:
        _add(conn)
        district = _add(conn, "dora", "district", division_code="210381")
        changed = users.update(conn, district["id"], {"role": "auditor"}, actor="alice")
        assert (changed["role"], changed["division_code"]) == ("auditor", None)
        listed = users.list_users(conn, role="auditor")
        assert [u["username"] for u in listed.items] == ["dora"]
