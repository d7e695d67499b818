"""``nenghao import FILE --enterprise ...``: summary, row errors and exit codes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from hostile_workbooks import HOSTILE
from nenghao.cli.main import app
from nenghao.store import enterprises
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import data_items, readings, uplink_archive
from nenghao.store.scope import Scope

runner = CliRunner()
CODE = make_credit_code("210302", "MA0CLE001")
HEADER = "数据项编码,统计周期,周期开始,数值,单位\n"


@pytest.fixture
def plant(db_url, tmp_path, monkeypatch, engine) -> int:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    with engine.begin() as conn:
        row = enterprises.create(
            conn,
            Scope.all(),
            {
                "credit_code": CODE,
                "name": "鞍山菱镁",
                "division_code": "210302",
                "industry_code": "3089",
            },
            actor="test",
        )
        conn.execute(
            insert(data_items).values(
                enterprise_id=row["id"],
                code="E-01",
                name="用电",
                measures="energy",
                usage="consumption",
                unit="kWh",
                period="month",
                created_at=0,
            )
        )
    return row["id"]


def write(tmp_path, text: str, name: str = "data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_import_by_credit_code_then_again_as_duplicates(tmp_path, plant, engine) -> None:
    rows = "".join(f"E-01,月,2025-{m:02d}-01,{m},kWh\n" for m in range(1, 13))
    path = write(tmp_path, HEADER + rows)
    result = runner.invoke(app, ["import", str(path), "--enterprise", CODE, "--actor", "张工"])
    assert result.exit_code == 0, result.output
    assert "12 rows — accepted 12, duplicate 0, revised 0, rejected 0" in result.stdout
    again = runner.invoke(app, ["import", str(path), "-e", str(plant)])
    assert again.exit_code == 0, again.output
    assert "duplicate 12" in again.stdout
    assert count(engine, readings) == 12
    with engine.connect() as conn:
        actors = conn.execute(select(uplink_archive.c.actor).order_by(uplink_archive.c.id))
        assert next(a for (a,) in actors) == "张工"


def test_rejected_rows_are_listed_and_exit_1(tmp_path, plant, engine) -> None:
    path = write(tmp_path, HEADER + "E-01,月,2025-01-01,1,kWh\nE-01,月,2025-02-15,1,kWh\n")
    result = runner.invoke(app, ["import", str(path), "--enterprise", CODE])
    assert result.exit_code == 1, result.output
    assert "accepted 1" in result.stdout
    assert "rejected 1" in result.stdout
    assert "misaligned_start" in result.stderr
    assert count(engine, readings) == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--enterprise", "999"], "unknown enterprise '999'"),
        (["--enterprise", "91210302MA0NOPE00X"], "unknown enterprise"),
    ],
)
def test_unknown_enterprise_is_bad_input(tmp_path, plant, args, fragment) -> None:
    path = write(tmp_path, HEADER + "E-01,月,2025-01-01,1,kWh\n")
    result = runner.invoke(app, ["import", str(path), *args])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr


def test_unreadable_and_unusable_files_are_bad_input(tmp_path, plant, engine) -> None:
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "-e", CODE])
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    path = write(tmp_path, "item,period\nE-01,month\n")
    bad = runner.invoke(app, ["import", str(path), "-e", CODE])
    assert bad.exit_code == 2
    assert "[missing_column]" in bad.stderr
    assert "周期开始" in bad.stderr
    assert count(engine, uplink_archive) == 0


def test_mqtt_command_runs_the_subscriber_in_the_foreground(plant, monkeypatch) -> None:
    from nenghao.ingest import mqtt

    ran = []
    monkeypatch.setenv("NENGHAO_MQTT_CLIENT_ID", "nenghao-cli-test")
    monkeypatch.setattr(mqtt.UplinkSubscriber, "run_forever", lambda self: ran.append(self))
    result = runner.invoke(app, ["mqtt"])
    assert result.exit_code == 0, result.output
    assert "nenghao/v1/+/up" in result.stdout
    assert ran[0].settings.mqtt_client_id == "nenghao-cli-test"


def test_hostile_workbooks_are_bad_input(tmp_path, plant, engine) -> None:
    for name, build in HOSTILE.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(build())
        result = runner.invoke(app, ["import", str(path), "-e", CODE])
        assert result.exit_code == 2, (name, result.output)
        assert "[unreadable_file]" in result.stderr
    assert count(engine, uplink_archive) == 0
