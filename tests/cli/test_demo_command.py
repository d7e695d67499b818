"""``nenghao demo`` against a stand-in demo builder (the real one has its own tests)."""

from __future__ import annotations

import stat
import sys
import types
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import enterprises, users
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import enterprises as enterprise_table
from nenghao.store.schema import users as user_table
from nenghao.store.scope import Scope


@dataclass
class Summary:
    enterprises: int
    items: int
    readings: int
    manifest_path: Path | None
    district_division: str
    showcase_enterprise_id: int
    start: datetime = datetime(2025, 3, 1, tzinfo=UTC) - timedelta(hours=8)
    end: datetime = datetime(2025, 3, 4, tzinfo=UTC) - timedelta(hours=8)
    seconds: float = 0.0


@pytest.fixture
def fake_demo(monkeypatch):
    """A nenghao.demo stand-in that registers two enterprises in 海城市 per build."""
    calls: list[int | None] = []

    def build_demo(engine, *, days=None, seed=2026, end=None, progress=None):
        calls.append(days)
        with engine.begin() as conn:
            ids = []
            for n in range(2):
                code = make_credit_code("210381", f"MA0DEM{len(calls)}0{n}")
                row = enterprises.create(
                    conn,
                    Scope.all(),
                    {
                        "credit_code": code,
                        "name": f"演示{n}",
                        "division_code": "210381",
                        "industry_code": "3089",
                    },
                    actor="demo",
                )
                ids.append(row["id"])
                if progress:
                    progress("enterprises", n + 1, 2)
        return Summary(2, 0, 0, None, "210381", ids[0])

    def demo_present(engine):
        with engine.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(enterprise_table)).scalar())

    def remove_demo(engine):
        with engine.begin() as conn:
            return conn.execute(enterprise_table.delete()).rowcount

    module = types.ModuleType("nenghao.demo")
    module.build_demo, module.demo_present = build_demo, demo_present
    module.remove_demo = remove_demo
    monkeypatch.setitem(sys.modules, "nenghao.demo", module)
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    return calls


def _accounts(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    return dict(line.split("\t") for line in lines)


def test_demo_builds_once_creates_accounts_and_reuses(
    fake_demo, db_url, engine, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    runner = CliRunner()
    data_dir = tmp_path / "demo"
    first = runner.invoke(app, ["demo", "--data-dir", str(data_dir), "--no-serve", "--days", "3"])
    assert first.exit_code == 0, first.output
    assert fake_demo == [3]
    path = data_dir / "demo-accounts.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    accounts = _accounts(path)
    assert set(accounts) == {
        f"demo-{r}" for r in ("admin", "regulator", "district", "enterprise", "auditor")
    }
    for name, password in accounts.items():
        assert password in first.stdout
        users.check_password(password, name)  # strong enough for the policy
        with engine.connect() as conn:
            stored = conn.execute(
                select(user_table.c.password_hash).where(user_table.c.username == name)
            ).scalar_one()
        assert users.verify_password(stored, password), name
    with engine.connect() as conn:
        assert users.get_by_username(conn, "demo-district")["division_code"] == "210381"
        showcase = users.get_by_username(conn, "demo-enterprise")["enterprise_id"]

    again = runner.invoke(app, ["demo", "--data-dir", str(data_dir), "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "reusing" in again.stdout
    assert fake_demo == [3]
    assert _accounts(path) != accounts  # fresh passwords each run
    with engine.connect() as conn:
        assert users.get_by_username(conn, "demo-enterprise")["enterprise_id"] == showcase

    rebuilt = runner.invoke(app, ["demo", "--data-dir", str(data_dir), "--no-serve", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert fake_demo == [3, None]
    with engine.connect() as conn:
        rebuilt_showcase = users.get_by_username(conn, "demo-enterprise")["enterprise_id"]
        ids = set(conn.execute(select(enterprise_table.c.id)).scalars())
    assert len(ids) == 2
    assert rebuilt_showcase in ids
