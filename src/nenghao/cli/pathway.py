"""``nenghao pathway``: the city's carbon-peak pathway (碳达峰路径) — scenarios against actual
CO2 (and the XLSX), one scenario's projection and peak, tracking, the LMDI decomposition, and
adding scenarios, growth assumptions and measures (audited). Commands act for the city."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.analytics.periods import today_cst
from nenghao.cli.common import AsJson, actor, console, fail, print_json, say, session
from nenghao.pathway import answers, scenarios
from nenghao.pathway.decomposition import decompose_years
from nenghao.pathway.tracking import track
from nenghao.reports.pathway_xlsx import pathway_workbook
from nenghao.store import pathway as store
from nenghao.store.scope import Scope

app = typer.Typer(help="The carbon-peak pathway (碳达峰路径).", no_args_is_help=True)
Id = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The scenario id.")]
YearArg = Annotated[int, typer.Argument(min=2000, max=2035, help="A year.")]
Sector = Annotated[str | None, typer.Option(help="steel, magnesia, equipment, chemicals, rest")]
EFFECTS_ZH = {"activity": "规模效应", "structure": "结构效应", "intensity": "强度效应"}
EFFECTS_ZH["carbon_factor"] = "碳排放因子效应"


def _t(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


@app.command("show")
def show(
    xlsx: Annotated[Path | None, typer.Option(help="Write the pathway as XLSX here.")] = None,
    as_json: AsJson = False,
) -> None:
    """Every scenario's peak and the actual CO2 of each year (tCO2)."""
    with session() as conn:
        if xlsx is not None:
            content = pathway_workbook(conn, Scope.all(), today_cst())
            xlsx.write_bytes(content)
            say(f"wrote {xlsx} ({len(content)} bytes)")
            return
        answer = answers.pathway_answer(conn, Scope.all(), today_cst())
    if as_json:
        print_json(answer)
        return
    table = Table(title="碳达峰路径 (tCO2)")
    for column in ("id", "情景", "类型", "基准年", "达峰年份", "峰值", "2035年"):
        table.add_column(column)
    for s in answer["scenarios"]:
        peak = str(s["peak_year"]) if s["peaked_by_2035"] else "2035年前未达峰"
        kind = "基准" if s["kind"] == "bau" else "政策"
        row = [str(s["id"]), s["name"], kind, str(s["base_year"]), peak]
        table.add_row(*row, _t(s["peak_tco2"]), _t(s["years"][-1]["tco2"]))
    console.print(table)
    for a in answer["actual"]:
        span = f"截至 {a['through']}" if a["partial"] else "全年"
        say(f"实际 {a['year']} ({span}): {_t(a['tco2'])} tCO2")


@app.command("scenario")
def scenario(scenario_id: Id, as_json: AsJson = False) -> None:
    """One scenario: base year by sector, the projection to 2035 and its peak."""
    with session() as conn:
        answer = answers.scenario_answer(conn, Scope.all(), scenario_id)
    if as_json:
        print_json(answer)
        return
    projection = answer["projection"]
    say(
        f"{answer['scenario']['name']}: peak {projection['peak_year']} "
        f"{_t(projection['peak_tco2'])} tCO2"
        + ("" if projection["peaked_by_2035"] else " (not by 2035)")
    )
    for y in projection["years"]:
        say(f"  {y['year']}  {_t(y['tco2'])}")


@app.command("add-scenario")
def add_scenario(
    name: Annotated[str, typer.Argument(help="The scenario's name.")],
    kind: Annotated[str, typer.Option(help="bau or policy")] = "bau",
    base_year: Annotated[int, typer.Option(min=2000, max=2034)] = 2024,
    baseline: Annotated[int | None, typer.Option(help="policy: the bau scenario id")] = None,
) -> None:
    """Add a business-as-usual or policy scenario (audited)."""
    fields = {"name": name, "kind": kind, "base_year": base_year, "baseline_id": baseline}
    if kind not in ("bau", "policy"):
        fail(f"kind: {kind!r} is not bau or policy [validation_error]")
    with session(write=True) as conn:
        say(f"scenario {store.create_scenario(conn, actor(), fields)}")


@app.command("assume")
def assume(
    scenario_id: Id,
    parameter: Annotated[
        str, typer.Option(help="output_growth, intensity_change, grid_factor_change")
    ],
    from_year: Annotated[int, typer.Option(min=2000, max=2035)],
    value_pct: Annotated[float, typer.Option(help="% per year")],
    sector: Sector = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Add a growth assumption to a business-as-usual scenario (audited)."""
    fields: dict[str, Any] = {"parameter": parameter, "sector": sector, "from_year": from_year}
    fields |= {"value_pct": value_pct, "note": note}
    with session(write=True) as conn:
        say(f"assumption {scenarios.add_assumption(conn, actor(), scenario_id, fields)}")


@app.command("measure")
def measure(
    scenario_id: Id,
    kind: Annotated[
        str, typer.Option(help="retrofit, fuel_switch, renewable_electricity, capacity_change")
    ],
    name: Annotated[str, typer.Option()],
    sector: Annotated[str, typer.Option()],
    year: Annotated[int, typer.Option(min=2000, max=2035)],
    saving_tco2: Annotated[float | None, typer.Option()] = None,
    saving_tce: Annotated[float | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option(help="verified or claimed")] = None,
    from_kind: Annotated[str | None, typer.Option()] = None,
    to_kind: Annotated[str | None, typer.Option()] = None,
    amount_tce: Annotated[float | None, typer.Option()] = None,
    mwh: Annotated[float | None, typer.Option()] = None,
    change_pct: Annotated[float | None, typer.Option()] = None,
) -> None:
    """Add a measure to a policy scenario (audited)."""
    fields: dict[str, Any] = {"kind": kind, "name": name, "sector": sector, "year": year}
    optional = {
        "saving_tco2": saving_tco2,
        "saving_tce": saving_tce,
        "status": status,
        "from_kind": from_kind,
        "to_kind": to_kind,
        "amount_tce": amount_tce,
        "mwh": mwh,
        "change_pct": change_pct,
    }
    fields |= {k: v for k, v in optional.items() if v is not None}
    with session(write=True) as conn:
        say(f"measure {scenarios.add_measure(conn, actor(), scenario_id, fields)}")


@app.command("track")
def tracking(scenario_id: Id, year: YearArg, as_json: AsJson = False) -> None:
    """Actual CO2 against the scenario: each year, each month of YEAR, the year to date."""
    with session() as conn:
        projection, _base = scenarios.run(conn, Scope.all(), store.get_scenario(conn, scenario_id))
        answer = track(conn, Scope.all(), projection, year, today_cst())
    if as_json:
        print_json(answer)
        return
    for line in [*answer["years"][:-1], *answer["months"], answer["year_to_date"]]:
        partial = f" ({line['through_label']})" if line["partial"] else ""
        figures = f"实际 {_t(line['actual_tco2'])}  路径 {_t(line['pathway_tco2'])}"
        say(f"{line['period']}{partial}: {figures}")


@app.command("decompose")
def decompose(base_year: YearArg, target_year: YearArg, as_json: AsJson = False) -> None:
    """LMDI decomposition of the change in CO2 between two years (tCO2)."""
    with session() as conn:
        answer = decompose_years(conn, Scope.all(), base_year, target_year, today_cst())
    if as_json:
        print_json(answer)
        return
    partial = f" ({answer['through_label']})" if answer["partial"] else ""
    say(f"{base_year} → {target_year}{partial}: {_t(answer['change_tco2'])} tCO2")
    for effect in answer["effects"]:
        say(f"  {EFFECTS_ZH[effect['effect']]}: {_t(effect['tco2'])}")
