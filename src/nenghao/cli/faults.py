"""``nenghao faults``: device fault reports (故障报备) — list them (the overdue repairs),
report one for an enterprise and mark it repaired."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from nenghao.cli.common import AsJson, Enterprise, actor, console, print_json, say, session, when
from nenghao.cli.users import resolve_enterprise
from nenghao.standards.calendar import CST, cst_date
from nenghao.store import common, faults
from nenghao.store.scope import Scope

app = typer.Typer(help="Device fault reports (故障报备).", no_args_is_help=True)
STATUS_ZH = {"open": "未修复", "repaired": "已修复"}
Note = Annotated[str | None, typer.Option(help="A note kept with the report.")]


def _show(row: dict[str, Any], verb: str) -> None:
    say(
        f"{verb}: 故障 {row['id']} {row['enterprise_name']} {row['cause_name']}"
        f" {STATUS_ZH[row['status']]}, 预计修复 expected {row['expected_repair']}"
    )


@app.command("list")
def list_command(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Open reports past their expected repair date.")
    ] = False,
    status: Annotated[Literal["open", "repaired"] | None, typer.Option()] = None,
    as_json: AsJson = False,
) -> None:
    """Reports of every enterprise, newest first."""
    with session() as conn:
        page = faults.listing(
            conn,
            Scope.all(),
            status=status,
            overdue_on=cst_date(common.now()) if overdue else None,
            limit=None,
        )
    if as_json:
        print_json(page.items)
        return
    table = Table(title=f"{page.total} fault reports (故障报备)")
    for column in ("id", "enterprise", "cause", "started", "expected repair", "status"):
        table.add_column(column)
    for row in page.items:
        table.add_row(
            str(row["id"]),
            row["enterprise_name"],
            row["cause_name"],
            when(row["started_at"]),
            str(row["expected_repair"]),
            STATUS_ZH[row["status"]],
        )
    console.print(table)


@app.command("report")
def report(
    enterprise: Enterprise,
    cause: Annotated[
        str, typer.Option(help="通信中断/communication, collector, meter, shutdown, other.")
    ],
    started: Annotated[
        datetime,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
            help="When the fault began (CST unless an offset is given).",
        ),
    ],
    expected_repair: Annotated[
        datetime, typer.Option(formats=["%Y-%m-%d"], help="CST date of the expected repair.")
    ],
    cause_text: Annotated[str | None, typer.Option(help="Description (cause other).")] = None,
    note: Note = None,
) -> None:
    """Report a device fault of the enterprise (an open report)."""
    begun = started if started.tzinfo else started.replace(tzinfo=CST)
    fields = {
        "cause": cause,
        "cause_text": cause_text,
        "started_at": int(begun.timestamp()),
        "expected_repair": expected_repair.date(),
        "note": note,
    }
    with session(write=True) as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        row = faults.report(conn, Scope.all(), enterprise_id, fields, actor=actor())
    _show(row, "reported")


@app.command("repair")
def repair(
    enterprise: Enterprise,
    report_id: Annotated[int, typer.Argument(metavar="ID", help="The report's id.")],
    note: Note = None,
) -> None:
    """Mark an open report repaired."""
    with session(write=True) as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        row = faults.repair(conn, Scope.all(), enterprise_id, report_id, note=note, actor=actor())
    _show(row, "repaired")
