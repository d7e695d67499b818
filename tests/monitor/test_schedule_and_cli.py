"""The schedule inside the API process and the on-demand command line."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date

import crafted
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nenghao.app import create_app
from nenghao.cli.main import app as cli
from nenghao.config import Settings
from nenghao.monitor.scheduler import Scheduler
from nenghao.standards.calendar import cst_midnight


@dataclass
class Recorder:
    calls: list = field(default_factory=list)

    def run_day(self, day, as_of=None):
        self.calls.append(("day", day.isoformat()))

    def live(self, as_of=None):
        self.calls.append(("live",))

    def run_month(self, year, month, as_of=None):
        self.calls.append(("month", f"{year}-{month:02d}"))


def test_tick_runs_yesterday_live_and_last_month_once_a_day():
    recorder = Recorder()
    scheduler = Scheduler(recorder)  # type: ignore[arg-type]
    morning = cst_midnight(date(2025, 10, 1)) + 3600
    scheduler.tick(morning)
    scheduler.tick(morning + 900)
    scheduler.tick(cst_midnight(date(2025, 10, 2)) + 60)
    assert recorder.calls == [
        ("day", "2025-09-30"),
        ("live",),
        ("month", "2025-09"),
        ("day", "2025-09-30"),
        ("live",),
        ("day", "2025-10-01"),
        ("live",),
        ("month", "2025-09"),
    ]


def test_api_lifespan_starts_and_stops_the_schedule(engine, db_url, tmp_path):
    settings = Settings(
        database_url=db_url, data_dir=tmp_path, monitor_enabled=True, monitor_interval_s=3600
    )
    with TestClient(create_app(settings, engine)) as client:
        scheduler = client.app.state.monitor
        deadline = time.monotonic() + 20
        while scheduler.ticks == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scheduler.ticks == 1
        thread = scheduler._thread
    assert not thread.is_alive()
    quiet = create_app(Settings(database_url=db_url, data_dir=tmp_path), engine)
    with TestClient(quiet) as client:
        assert client.app.state.monitor is None


def test_cli_run_day_month_and_alerts_list(engine, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    with engine.begin() as conn:
        crafted.build(conn)
    runner = CliRunner()
    as_of = "2025-04-10T00:00:00+08:00"
    day = runner.invoke(cli, ["monitor", "run", "--day", "2025-03-05", "--as-of", as_of, "--json"])
    assert day.exit_code == 0, day.output
    assert json.loads(day.output)["events"]["completeness"] == 1
    month = runner.invoke(cli, ["monitor", "run", "--month", "2025-03", "--as-of", as_of, "--json"])
    summary = json.loads(month.output)
    assert summary["scores"] == 1
    assert summary["alerts_opened"] >= 8
    listed = runner.invoke(cli, ["alerts", "list", "--rule", "spike", "--json"])
    (alert,) = [json.loads(line) for line in listed.output.splitlines()]
    assert alert["status"] == "open"
    both = runner.invoke(cli, ["monitor", "run", "--day", "2025-03-05", "--month", "2025-03"])
    assert both.exit_code == 2
    assert "exactly one" in both.stderr
