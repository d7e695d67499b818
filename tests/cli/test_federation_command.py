"""``nenghao federation``: the upstream's member credential printed once, the member's
upstream configured with it (the secret sealed, never shown), status, backfill, revoke."""

from __future__ import annotations

import json
import re

from cli_support import CREDIT_CODE
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import federation
from nenghao.store.schema import federation_outbox, federation_upstream

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["federation", *args])


def test_members_and_upstream_from_the_command_line(registered, engine, tmp_path) -> None:
    added = _run("add-member", "鞍山市", "--divisions", "2103")
    assert added.exit_code == 0, added.output
    key_id = re.search(r"key (nhp_[0-9a-f]{16})", added.output).group(1)
    secret = re.search(r"secret (\S+)", added.output).group(1)
    again = _run("add-member", "鞍山市", "--divisions", "2103")
    assert (again.exit_code, "[conflict]" in again.output) == (2, True)
    unknown = _run("add-member", "大连市", "--divisions", "2102")
    assert (unknown.exit_code, "[unknown_division]" in unknown.output) == (2, True)
    listed = json.loads(_run("members", "--json").stdout)
    assert [(m["name"], m["divisions"], m["key_id"]) for m in listed] == [
        ("鞍山市", ["2103"], key_id)
    ]
    assert listed[0]["enterprises"] == 1  # the registered enterprise lies in 210302

    no_file = _run(
        "set-upstream",
        "https://ln.example.cn",
        "--key-id",
        key_id,
        "--secret-file",
        str(tmp_path / "missing"),
    )
    assert no_file.exit_code == 2
    (tmp_path / "upstream.secret").write_text(secret + "\n")
    configured = _run(
        "set-upstream",
        "https://ln.example.cn/",
        "--key-id",
        key_id,
        "--secret-file",
        str(tmp_path / "upstream.secret"),
    )
    assert configured.exit_code == 0, configured.output
    with engine.connect() as conn:
        sealed = conn.execute(select(federation_upstream.c.sealed_secret)).scalar_one()
    assert secret.encode() not in sealed  # sealed, not stored in clear

    queued = _run("backfill")
    assert queued.exit_code == 0, queued.output
    assert f"{CREDIT_CODE}: 0 readings queued" in queued.output
    status = json.loads(_run("status", "--json").stdout)
    assert status["upstream"]["url"] == "https://ln.example.cn"
    assert (status["outbox_entries"], status["outbox_records"]) == (1, 1)  # the register row
    with engine.connect() as conn:
        assert conn.execute(select(federation_outbox.c.kind)).scalars().all() == ["enterprise"]

    revoked = _run("revoke-member", "鞍山市")
    assert revoked.exit_code == 0
    with engine.connect() as conn:
        assert federation.member(conn, "鞍山市")["revoked_at"] is not None
    missing = _run("revoke-member", "大连市")
    assert (missing.exit_code, "[member_not_found]" in missing.output) == (2, True)
    assert _run("clear-upstream").output.strip() == "forwarding stopped"
