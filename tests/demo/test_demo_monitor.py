"""``nenghao demo`` evaluates and scores the history it builds: a newcomer sees quality
scores, events and alerts without running the monitor."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.standards.calendar import CST, cst_date
from nenghao.store.schema import alerts, enterprises, monitor_runs, quality_scores


def test_demo_build_scores_every_month_it_covers(db_url, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    result = CliRunner().invoke(
        app, ["demo", "--data-dir", str(tmp_path / "demo"), "--no-serve", "--days", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "monitor:" in result.stdout
    last = datetime.now(CST) - timedelta(days=1)  # the demo runs to yesterday (CST)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(enterprises)).scalar_one()
        months = {
            cst_date(month).strftime("%Y-%m")
            for (month,) in conn.execute(select(quality_scores.c.month).distinct())
        }
        scored = conn.execute(select(func.count()).select_from(quality_scores)).scalar_one()
        runs = conn.execute(select(func.count()).select_from(monitor_runs)).scalar_one()
        alert_rules = set(conn.execute(select(alerts.c.rule).distinct()).scalars())
    assert runs >= 1
    assert (
        last.strftime("%Y-%m") in months or (last + timedelta(days=1)).strftime("%Y-%m") in months
    )
    assert scored == count * len(months)
    assert alert_rules  # the demo's enterprises raise alerts (at least missing filings)
