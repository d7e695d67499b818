"""``nenghao two-high``: existing two-high installations (存量两高项目) — the ledger (and its
XLSX), registering installations, rectification plans, progress notes, completion and the
overdue plans. Commands act as a city regulator (the whole city)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.analytics.periods import today_cst
from nenghao.cli.common import (
    AsJson,
    Enterprise,
    actor,
    console,
    fail,
    print_json,
    say,
    session,
)
from nenghao.cli.common import settings as current_settings
from nenghao.cli.users import resolve_enterprise
from nenghao.reports.key_units_xlsx import place_name
from nenghao.reports.two_high_xlsx import ledger_workbook
from nenghao.review import rectification
from nenghao.review.two_high_ledger import ledger as read_ledger
from nenghao.store import two_high, two_high_plans
from nenghao.store.scope import Scope

app = typer.Typer(help="Existing two-high installations (存量两高项目).", no_args_is_help=True)
Id = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The id.")]
Day = Annotated[str, typer.Option(help="A CST day, YYYY-MM-DD.")]


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{field}: {text!r} is not a date YYYY-MM-DD [validation_error]")


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@app.command("ledger")
def ledger(
    year: Annotated[int | None, typer.Option(min=2000, max=2100, help="A CST year.")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Write the ledger as XLSX here.")] = None,
    as_json: AsJson = False,
) -> None:
    """Every installation with its measured unit consumption (the latest 12 complete months,
    or --year) against the benchmark and baseline, and its position."""
    if xlsx is not None:
        place = place_name(Scope.all(), current_settings().city_division)
        with session() as conn:
            content = ledger_workbook(conn, Scope.all(), place, year=year)
        xlsx.write_bytes(content)
        say(f"wrote {xlsx} ({len(content)} bytes)")
        return
    with session() as conn:
        answer = read_ledger(conn, Scope.all(), year=year)
    if as_json:
        print_json(answer)
        return
    span = f"{answer['start']} 至 {answer['end']}" + (" (partial)" if answer["partial"] else "")
    table = Table(title=f"存量两高项目台账 {span}")
    for column in ("id", "enterprise", "installation", "product", "kgce/t", "标杆", "基准"):
        table.add_column(column)
    for column in ("status", "position", "plan"):
        table.add_column(column)
    for row in answer["rows"]:
        plan = (
            f"{row['open_plan_id']} 至 {row['open_plan_deadline']}" if row["open_plan_id"] else ""
        )
        table.add_row(
            str(row["id"]),
            row["enterprise_name"],
            row["name"],
            row["product_name"] or "",
            _figure(row["unit_consumption"]),
            _figure(row["benchmark"]),
            _figure(row["baseline"]),
            row["level_status_zh"] or "",
            row["position_zh"],
            plan or row["flag_zh"] or "",
        )
    console.print(table)


@app.command("add-installation")
def add_installation(
    enterprise: Enterprise,
    sector: Annotated[str, typer.Option(help="A sector code of two_high.toml (steel ...).")],
    name: Annotated[str, typer.Option(help="The installation's name, e.g. 2号高炉.")],
    product: Annotated[str | None, typer.Option(help="A quota-catalogue product.")] = None,
    item_id: Annotated[int | None, typer.Option(help="The product data item metering it.")] = None,
    capacity: Annotated[float | None, typer.Option(help="Capacity (with --capacity-unit).")] = None,
    capacity_unit: Annotated[str | None, typer.Option(help="e.g. 万t/a")] = None,
    commissioned: Annotated[int | None, typer.Option(help="Commissioning year.")] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
) -> None:
    """Register a two-high installation of an enterprise; audited."""
    fields: dict[str, Any] = {"sector": sector, "name": name, "product": product}
    fields |= {"item_id": item_id, "capacity": capacity, "capacity_unit": capacity_unit}
    fields |= {"commissioned_year": commissioned, "note": note}
    with session(write=True) as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        row = two_high.create(conn, Scope.all(), enterprise_id, fields, actor=actor())
    say(f"registered: 装置 {row['id']} {row['enterprise_name']} {row['name']}")


@app.command("plan")
def plan(
    installation: Id,
    measures: Annotated[str, typer.Option(help="The rectification measures.")],
    deadline: Day,
    responsible: Annotated[str, typer.Option(help="The responsible person's name.")],
    phone: Annotated[str, typer.Option(help="The responsible person's phone.")],
    target: Annotated[
        float | None, typer.Option(help="Target [kgce/t]; the baseline by default.")
    ] = None,
) -> None:
    """Make a rectification plan for an installation; audited."""
    fields = {"measures": measures, "deadline": _day(deadline, "deadline")}
    fields |= {"responsible_name": responsible, "responsible_phone": phone}
    fields |= {"target_unit_consumption": target}
    with session(write=True) as conn:
        row = rectification.create_plan(
            conn, Scope.all(), installation, fields, today=today_cst(), actor=actor()
        )
    say(
        f"plan {row['id']}: {row['installation_name']} 目标 {row['target_unit_consumption']:g}"
        f" kgce/t, 期限 {row['deadline']}"
    )


@app.command("update")
def update(
    plan_id: Id,
    text: Annotated[str, typer.Option(help="What progress was made.")],
    on: Annotated[str | None, typer.Option(help="The day it refers to (today).")] = None,
) -> None:
    """Add a progress note to a plan; audited."""
    day = _day(on, "on") if on else today_cst()
    with session(write=True) as conn:
        row = two_high_plans.add_update(
            conn, Scope.all(), plan_id, {"on_date": day, "text": text}, actor=actor(), role="admin"
        )
    say(f"progress note {row['id']} on plan {plan_id} ({row['on_date']})")


@app.command("complete")
def complete(plan_id: Id, note: Annotated[str | None, typer.Option(help="A note.")] = None) -> None:
    """Confirm a plan completed: refused unless the last 3 complete months meet its target."""
    with session(write=True) as conn:
        row = rectification.complete_plan(
            conn,
            Scope.all(),
            plan_id,
            version=None,
            note=note,
            today=today_cst(),
            actor=actor(),
        )
    say(f"plan {row['id']} completed (version {row['version']})")


@app.command("overdue")
def overdue(as_json: AsJson = False) -> None:
    """Open plans past their deadline (the rectification_overdue alerts' subjects)."""
    with session() as conn:
        rows = rectification.overdue_plans(conn, today_cst())
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} overdue rectification plans (整改逾期)")
    for column in ("plan", "enterprise", "installation", "deadline", "responsible", "certain"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["enterprise_name"],
            row["installation_name"],
            str(row["deadline"]),
            f"{row['responsible_name']} {row['responsible_phone']}",
            "基准已核实" if row["baseline_confirmed"] else "基准未核实",
        )
    console.print(table)
