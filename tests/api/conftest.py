"""API fixtures: an app on each backend, a small world of enterprises and one user per role.

The world: enterprises ``a`` and ``b`` in 铁东区 (210302), ``c`` in 海城市 (210381); users
``admin``, ``regulator``, ``district`` (210302), ``enterprise`` (of ``a``), ``auditor``;
one device credential ``key`` of ``a``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from api_support import ENTERPRISES, PASSWORD, ROLES, credit_code, from_address
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from databases import empty_pg_database
from nenghao.app import build_uplink, create_app
from nenghao.config import Settings
from nenghao.store import audit, common, devices, enterprises, throttle, tokens, users
from nenghao.store.engine import make_engine
from nenghao.store.scope import Scope

CLOCKED_MODULES = (common, users, tokens, audit, enterprises, devices, throttle)


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny cost parameters, so tests stay fast."""
    monkeypatch.setattr(users, "HASHER", CHEAP_HASHER)


@dataclass
class Clock:
    """A settable clock patched into every store module."""

    t: int

    def __call__(self) -> int:
        return self.t

    def advance(self, seconds: int) -> None:
        self.t += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze the store's clock; tests move it with ``clock.advance``."""
    fake = Clock(int(time.time()))
    for module in CLOCKED_MODULES:
        monkeypatch.setattr(module, "now", fake)
    return fake


def api_settings(db_url: str, data_dir: Path) -> Settings:
    """The settings of the API tests' apps (short token life, strict login throttle)."""
    return Settings(
        database_url=db_url,
        data_dir=data_dir,
        token_ttl_minutes=30,
        login_max_failures=3,
        login_address_max_failures=8,
        login_first_wait_s=30,
        login_lock_minutes=10,
    )


@pytest.fixture
def settings(db_url: str, tmp_path) -> Settings:
    return api_settings(db_url, tmp_path)


@pytest.fixture
def client(settings: Settings, engine) -> Iterator[TestClient]:
    app = create_app(settings, engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@dataclass
class World:
    """Ids, tokens and helpers of the seeded world."""

    enterprise_ids: dict[str, int]
    user_ids: dict[str, int]
    tokens: dict[str, str]
    key_id: str
    device_secret: str
    secrets: list[str] = field(default_factory=list)

    def headers(self, role: str | None) -> dict[str, str]:
        """Authorization header of a role (empty for anonymous)."""
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def fill(self, template: str) -> str:
        """A path with ``{a}``, ``{b}``, ``{c}``, ``{key}``, ``{user:<role>}``, ``{quarantine}``,
        ``{item}``, ``{version}``, ``{year}``, ``{period}``, ``{project}``, ``{document}``,
        ``{action}``, ``{scenario}``, ``{row}`` filled in."""
        values: dict[str, Any] = {**self.enterprise_ids, "key": self.key_id}
        values["quarantine"] = 999_999  # no such quarantine entry (see matrix_uplink.py)
        values["item"] = 999_999  # no such data item (see matrix_items.py)
        values["version"] = 999_999  # no such collection plan version (see matrix_plans.py)
        values["project"] = values["document"] = 999_999  # see matrix_projects.py
        values["action"] = "submit"
        values["year"] = 2020
        values["period"] = "2025-11"  # a month to file (see matrix_filings.py)
        values["project_id"] = 999_999  # no such project (see matrix_project_operation.py)
        values["scenario"] = values["row"] = 999_999  # see matrix_pathway.py
        values.update({f"user_{role}": uid for role, uid in self.user_ids.items()})
        return template.format(**values)


def seed_world(engine, ttl_minutes: int = 30, master_key: bytes = b"m" * 32) -> World:
    """Create the world's enterprises, users, tokens and device credential."""
    with engine.begin() as conn:
        ids = {}
        for label, (division, industry, name) in ENTERPRISES.items():
            row = enterprises.create(
                conn,
                Scope.all(),
                {
                    "credit_code": credit_code(label, division),
                    "name": name,
                    "division_code": division,
                    "industry_code": industry,
                },
                actor="seed",
            )
            ids[label] = row["id"]
        user_ids, issued = {}, {}
        for role in ROLES:
            row = users.create(
                conn,
                username=role,
                password=PASSWORD,
                role=role,
                division_code="210302" if role == "district" else None,
                enterprise_id=ids["a"] if role == "enterprise" else None,
                actor="seed",
            )
            user_ids[role] = row["id"]
            issued[role] = tokens.issue(conn, row["id"], ttl_minutes).token
        device, secret = devices.issue(
            conn, Scope.all(), ids["a"], master_key=master_key, label="gw-1", actor="seed"
        )
    return World(
        ids, user_ids, issued, device["key_id"], secret, [PASSWORD, secret, *issued.values()]
    )


@pytest.fixture
def world(engine, settings: Settings) -> World:
    return seed_world(engine, master_key=build_uplink(settings, engine).credentials.master_key())


@pytest.fixture
def login(client: TestClient) -> Callable[..., Any]:
    """Log in through the API (from client address `address`); returns the response."""

    def _login(username: str, password: str = PASSWORD, address: str | None = None) -> Any:
        body = {"username": username, "password": password}
        if address is None:
            return client.post("/api/v1/auth/login", json=body)
        return from_address(client, address).post("/api/v1/auth/login", json=body)

    return _login


@dataclass
class SharedApp:
    """One app on one backend for many one-request tests; `restore` sets its database back
    to the seeded world (the same world on SQLite, a freshly seeded one on PostgreSQL)."""

    client: TestClient
    engine: Engine
    restore: Callable[[], World]


@contextmanager
def _open_shared_app(
    request: pytest.FixtureRequest, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedApp]:
    data_dir = tmp_path_factory.mktemp(f"shared-app-{backend}")
    if backend == "sqlite":
        path = data_dir / "nenghao.db"
        path.write_bytes(request.getfixturevalue("sqlite_template").read_bytes())
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
        empty_pg_database(url)
    settings = api_settings(url, data_dir)
    engine = make_engine(url)
    master_key = build_uplink(settings, engine).credentials.master_key()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "HASHER", CHEAP_HASHER)
        # tokens for a whole module's run on a loaded machine (the settings' 30 minutes are
        # for the tokens the app issues)
        world = seed_world(engine, ttl_minutes=24 * 60, master_key=master_key)
    if backend == "sqlite":
        # SQLite's online backup copies the seeded pages back in one transaction, under the
        # database's own locks (safe beside the app's pooled connections)
        seeded, live = sqlite3.connect(":memory:"), sqlite3.connect(path, timeout=30)
        live.backup(seeded)

        def restore() -> World:
            seeded.backup(live)
            return world

    else:

        def restore() -> World:
            empty_pg_database(url)
            return seed_world(engine, ttl_minutes=24 * 60, master_key=master_key)

    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        yield SharedApp(client, engine, restore)
    if backend == "sqlite":
        seeded.close()
        live.close()
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedApp]:
    """An app (settings as `settings`) kept for the whole module on each backend, for tests
    that each make a request or two: building an app and its routes once, not per test.
    Take `shared_world` in each test, which restores the seeded database first."""
    with _open_shared_app(request, request.param, tmp_path_factory) as shared:
        yield shared


@pytest.fixture(scope="module")
def shared_sqlite_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedApp]:
    """`shared_app` on SQLite alone (call its `restore` before each test)."""
    with _open_shared_app(request, "sqlite", tmp_path_factory) as shared:
        yield shared


@pytest.fixture
def shared_world(shared_app: SharedApp) -> World:
    """The seeded world of `shared_app`, its database restored for this test."""
    return shared_app.restore()


# The role x route matrix runs whole on SQLite. On PostgreSQL it runs the rows whose answer
# depends on the database's scope queries: the district's and the enterprise's, and every row
# that checks which enterprises a list shows. The other roles' rows decide on the role alone
# (api/access.py), the same code on either backend.
SCOPE_BOUND_ROLES = ("district", "enterprise")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        matrix = getattr(item, "originalname", "") == "test_role_route_matrix"
        case = spec.params.get("case") if spec and matrix else None
        backend = spec.params.get("shared_app", spec.params.get("db_url")) if spec else None
        on_pg = backend == "postgresql"
        role_only = case is not None and case.role not in SCOPE_BOUND_ROLES and not case.visible
        (dropped if on_pg and role_only else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
