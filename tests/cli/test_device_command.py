"""``nenghao device issue|rotate|revoke|list``: secrets printed once, never logged."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import audit, devices, enterprises
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.scope import Scope

runner = CliRunner()
KEY = "cli-test-master-key-0123456789abcdef"


def test_issue_rotate_revoke_list(db_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NENGHAO_SECRET_KEY", KEY)
    engine = make_engine(db_url)
    code = make_credit_code("210302", "MA0CLDE81")
    with engine.begin() as conn:
        enterprises.create(
            conn,
            Scope.all(),
            {
                "credit_code": code,
                "name": "设备测试",
                "division_code": "210302",
                "industry_code": "3110",
            },
            actor="t",
        )
    issued = runner.invoke(app, ["device", "issue", code, "--label", "gw"])
    assert issued.exit_code == 0, issued.output
    key_id = re.search(r"issued key (\S+)", issued.stdout).group(1)
    secret = re.search(r"secret (\S+)", issued.stdout).group(1)
    with engine.connect() as conn:
        assert devices.authenticate(conn, key_id, secret, master_key=KEY.encode())
    rotated = runner.invoke(app, ["device", "rotate", key_id])
    assert rotated.exit_code == 0, rotated.output
    new_secret = re.search(r"secret (\S+)", rotated.stdout).group(1)
    with engine.connect() as conn:
        assert devices.authenticate(conn, key_id, secret, master_key=KEY.encode()) is None
        assert devices.authenticate(conn, key_id, new_secret, master_key=KEY.encode())
    assert runner.invoke(app, ["device", "revoke", key_id]).exit_code == 0
    listed = runner.invoke(app, ["device", "list", code])
    assert key_id in listed.stdout
    assert "no" in listed.stdout
    assert runner.invoke(app, ["device", "rotate", key_id]).exit_code == 2
    with engine.connect() as conn:
        log = audit.list_entries(conn, entity="device_credential").items
    assert [e["action"] for e in log] == ["revoke", "rotate", "issue"]
    assert all(secret not in str(e) and new_secret not in str(e) for e in log)
    engine.dispose()
