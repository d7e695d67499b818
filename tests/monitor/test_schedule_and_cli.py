"""The schedule inside the API process and the on-demand command line."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date

import crafted
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.app import create_app
from nenghao.app.monitoring import build_monitor
from nenghao.cli.main import app as cli
from nenghao.config import Settings
from nenghao.monitor.scheduler import Scheduler
from nenghao.standards.calendar import cst_date, cst_midnight
from nenghao.store.schema import alerts, quality_scores


@dataclass
class Recorder:
    calls: list = field(default_factory=list)

    def live(self, as_of=None):
        self.calls.append(("live",))

    def run_month(self, year, month, as_of=None):
        self.calls.append(("month", f"{year}-{month:02d}"))

    def run_window(self, window, kind="range"):
        self.calls.append(
            (kind, cst_date(window.start).isoformat(), cst_date(window.end - 1).isoformat())
        )


def test_daily_run_after_one_oclock_previous_month_then_month_to_date():
    recorder = Recorder()
    scheduler = Scheduler(recorder)  # type: ignore[arg-type]
    scheduler.tick(cst_midnight(date(2025, 10, 1)) + 600)  # 00:10: live checks only
    scheduler.tick(cst_midnight(date(2025, 10, 1)) + 3600)  # 01:00: September, once
    scheduler.tick(cst_midnight(date(2025, 10, 1)) + 4500)
    scheduler.tick(cst_midnight(date(2025, 10, 2)) + 3700)  # September again, October so far
    scheduler.tick(cst_midnight(date(2025, 10, 11)) + 3700)  # October so far only
    assert recorder.calls == [
        ("live",),
        ("live",),
        ("month", "2025-09"),
        ("live",),
        ("live",),
        ("month", "2025-09"),
        ("range", "2025-10-01", "2025-10-31"),
        ("live",),
        ("range", "2025-10-01", "2025-10-31"),
    ]


def test_a_served_platform_scores_without_a_manual_step(engine, db_url, tmp_path, monkeypatch):
    """The schedule is on by default; its daily run scores the previous month."""
    monkeypatch.delenv("NENGHAO_MONITOR_ENABLED", raising=False)
    settings = Settings(database_url=db_url, data_dir=tmp_path)
    assert settings.monitor_enabled is True
    with engine.begin() as conn:
        crafted.build(conn)
    scheduler = Scheduler(build_monitor(engine, settings))
    scheduler.tick(cst_midnight(date(2025, 4, 2)) + 2 * 3600)
    with engine.connect() as conn:
        scores = conn.execute(select(quality_scores)).all()
        opened = conn.execute(select(alerts)).all()
    assert "2025-03-01" in {cst_date(row.month).isoformat() for row in scores}
    assert opened


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
    quiet = create_app(
        Settings(database_url=db_url, data_dir=tmp_path, monitor_enabled=False), engine
    )
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
