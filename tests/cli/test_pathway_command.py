"""``nenghao pathway``: add scenarios, an assumption and a measure, read the pathway (table,
JSON, XLSX), track, and the refusals in the one error form (exit code 2).

The enterprise (3110, steel) uses 1 000 000 kWh in January of last year: 1 000 MWh x 0.5122
tCO2/MWh (the Northeast grid factor of 2023, the latest year in the catalogue) = 512.2 tCO2,
the base year. Output value +10 %/year: the next year 563.42 tCO2.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert
from typer.testing import CliRunner

from factories import add_item
from nenghao.analytics.periods import today_cst
from nenghao.cli.main import app
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["pathway", *args])


def test_scenarios_pathway_and_refusals(registered, engine, tmp_path) -> None:
    year = today_cst().year - 1
    with engine.begin() as conn:
        item = add_item(conn, registered, "ent.elec", energy_kind="electricity", unit="kWh")
        conn.execute(
            insert(readings).values(
                item_id=item,
                period="hour",
                period_start=month_start(year, 1),
                value=1e6,
                source="test",
                received_at=month_start(year, 1),
            )
        )
        rebuild(conn)
    made = _run("add-scenario", "基准", "--kind", "bau", "--base-year", str(year))
    assert made.exit_code == 0, made.output
    bau = made.stdout.split()[-1]
    assumed = _run(
        "assume", bau, "--parameter", "output_growth", "--from-year", str(year + 1),
        "--value-pct", "10",
    )  # fmt: skip
    assert assumed.exit_code == 0, assumed.output
    policy = _run("add-scenario", "政策", "--kind", "policy", "--base-year", str(year))
    assert policy.exit_code == 2
    assert "[invalid_pathway_input]" in policy.output
    policy = _run(
        "add-scenario", "政策", "--kind", "policy", "--base-year", str(year), "--baseline", bau
    )
    policy_id = policy.stdout.split()[-1]
    early = _run(
        "measure", policy_id, "--kind", "retrofit", "--name", "窑炉改造", "--sector", "steel",
        "--year", str(year), "--saving-tco2", "10", "--status", "verified",
    )  # fmt: skip
    assert early.exit_code == 2
    assert "[invalid_pathway_input]" in early.output
    answer = json.loads(_run("show", "--json").stdout)
    years = {y["year"]: y["tco2"] for y in answer["scenarios"][0]["years"]}
    assert years[year] == pytest.approx(512.2)
    assert years[year + 1] == pytest.approx(563.42)
    assert "基准" in _run("show").stdout
    out = tmp_path / "pathway.xlsx"
    assert _run("show", "--xlsx", str(out)).exit_code == 0
    assert load_workbook(out).sheetnames[0] == "碳达峰路径"
    tracked = json.loads(_run("track", bau, str(year), "--json").stdout)
    assert tracked["year_to_date"]["actual_tco2"] == pytest.approx(512.2)
    missing = _run("scenario", "999")
    assert missing.exit_code == 2
    assert "[scenario_not_found]" in missing.output
