"""The nenghao command line, driven in-process with typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import enterprises, users
from nenghao.store.credit_code import make_credit_code
from nenghao.store.migrate import head_revision
from nenghao.store.schema import users as users_table
from nenghao.store.scope import Scope

runner = CliRunner()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def env_db(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    return db_url


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def assert_bad_input(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_convert_json_has_the_promised_fields() -> None:
    result = invoke("convert", "1200", "t", "焦炭", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    for key in ("kgce", "tce", "coefficient", "coefficient_unit", "basis", "source", "status"):
        assert key in body
    assert body["method"]
    assert body["tce"] == pytest.approx(1200 * body["coefficient"])


def test_convert_table_marks_unverified_values() -> None:
    result = invoke("convert", "1", "万kWh", "电力", "--basis", "equal", "--year", "2024")
    assert result.exit_code == 0, result.output
    assert "tce" in result.stdout
    if "unverified" in result.stdout:
        assert "⚠ unverified" in result.stdout


def test_convert_with_heating_value_and_negative_value() -> None:
    hv = invoke("convert", "500", "t", "原煤", "--heating-value", "5000 kcal/kg", "--json")
    assert json.loads(hv.stdout)["method"] == "measured heating value"
    negative = invoke("convert", "-5", "t", "coke", "--json")
    assert json.loads(negative.stdout)["tce"] < 0


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("1", "t", "unobtainium"), ("unobtainium", "[unknown_energy_kind]")),
        (("1", "furlong", "原煤"), ("furlong", "[unknown_unit]")),
        (("1", "kWh", "原煤"), ("kWh", "[unit_dimension_mismatch]")),
        (("abc", "t", "原煤"), ("'abc'", "[invalid_quantity]")),
        (("inf", "t", "原煤"), ("[invalid_quantity]",)),
        (("1", "t", "原煤", "--heating-value", "hot"), ("[invalid_heating_value]",)),
        (("１２００", "t", "原煤"), ("'１２００'", "[invalid_quantity]")),
        (("1", "t", "原煤", "--heating-value", "５０００ kcal/kg"), ("[invalid_heating_value]",)),
    ],
)
def test_convert_bad_input_is_one_line_exit_2(args, fragments) -> None:
    assert_bad_input(invoke("convert", *args), *fragments)


@pytest.mark.parametrize(
    "section", ["energy-kinds", "quotas", "factors", "divisions", "industries"]
)
def test_catalog_tables_show_source_and_status(section) -> None:
    result = invoke("catalog", section)
    assert result.exit_code == 0, result.output
    assert "source" in result.stdout
    assert "status" in result.stdout
    if "unverified" in result.stdout:
        assert "⚠" in result.stdout


def test_db_upgrade_and_users(env_db) -> None:
    result = invoke("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert head_revision() in result.stdout
    result = invoke("user", "add", "boss", "--role", "admin", "--password", "boss-password-1")
    assert result.exit_code == 0, result.output
    prompted = invoke("user", "add", "watcher", "--role", "auditor", input="pw-watcher-1\n" * 2)
    assert prompted.exit_code == 0, prompted.output
    result = invoke("user", "list")
    assert "boss" in result.stdout
    assert "watcher" in result.stdout
    assert invoke("user", "passwd", "boss", "--password", "new-boss-pw-2").exit_code == 0
    from nenghao.store.engine import make_engine

    engine = make_engine(env_db)
    with engine.connect() as conn:
        stored = conn.execute(
            select(users_table.c.password_hash).where(users_table.c.username == "boss")
        ).scalar_one()
    engine.dispose()
    assert users.verify_password(stored, "new-boss-pw-2")


@pytest.mark.parametrize("password", ["password", "12345678", "aaaaaaaa", "password123"])
def test_user_add_and_passwd_refuse_weak_passwords(env_db, password) -> None:
    invoke("db", "upgrade")
    assert_bad_input(
        invoke("user", "add", "weakling", "--role", "auditor", "--password", password),
        "[weak_password]",
    )
    added = invoke("user", "add", "weakling", "--role", "auditor", "--password", "pw-long-enough")
    assert added.exit_code == 0, added.output
    assert_bad_input(
        invoke("user", "passwd", "weakling", "--password", password), "[weak_password]"
    )


def test_user_add_for_enterprise_by_credit_code_and_errors(env_db, engine) -> None:
    code = make_credit_code("210381", "MA0TEXT0Q")
    with engine.begin() as conn:
        row = enterprises.create(
            conn,
            Scope.all(),
            {
                "credit_code": code,
                "name": "海城镁厂",
                "division_code": "210381",
                "industry_code": "3089",
            },
            actor="test",
        )
    ok = invoke(
        "user",
        "add",
        "mgr",
        "--role",
        "enterprise",
        "--enterprise",
        code,
        "--password",
        "mgr-password-1",
    )
    assert ok.exit_code == 0, ok.output
    with engine.connect() as conn:
        assert users.get_by_username(conn, "mgr")["enterprise_id"] == row["id"]
    assert_bad_input(
        invoke(
            "user",
            "add",
            "x1",
            "--role",
            "enterprise",
            "--enterprise",
            code[:-1] + "0",
            "--password",
            "pw-long-enough",
        ),
        "[invalid_credit_code]",
    )
    assert_bad_input(
        invoke("user", "add", "newbie2", "--role", "district", "--password", "pw-long-enough"),
        "[scope_required]",
    )
    assert_bad_input(
        invoke("user", "add", "mgr", "--role", "auditor", "--password", "pw-long-enough"),
        "[duplicate_username]",
    )
    assert_bad_input(invoke("user", "passwd", "nobody", "--password", "pw-long-enough"), "nobody")
