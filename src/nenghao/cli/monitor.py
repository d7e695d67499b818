"""``nenghao monitor`` (evaluate data quality, raise alerts) and ``nenghao alerts list``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from nenghao.cli.common import actor, console, engine, fail, reported, settings
from nenghao.standards.calendar import CalendarError, parse_day, parse_month, parse_rfc3339

app = typer.Typer(help="Data quality and alerts: run the evaluation.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts raised by the monitor.", no_args_is_help=True)


def _as_of(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        moment = parse_rfc3339(text)
    except CalendarError as exc:
        fail(f"--as-of must be an RFC 3339 date-time, e.g. 2025-10-21T08:00:00+08:00: {exc}")
    return int(moment.timestamp())


@app.command("run")
def run(
    day: Annotated[str | None, typer.Option("--day", help="CST day YYYY-MM-DD.")] = None,
    month: Annotated[str | None, typer.Option("--month", help="CST month YYYY-MM.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge as at this instant (default now).")
    ] = None,
    live: Annotated[bool, typer.Option("--live", help="Also check device contact.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Evaluate one day or one month (scored), raise alerts and send notifications."""
    from nenghao.app.monitoring import build_monitor

    if (day is None) == (month is None):
        fail("give exactly one of --day YYYY-MM-DD or --month YYYY-MM")
    instant = _as_of(as_of)
    with reported():
        current = settings()
        db = engine(current)
        monitor = build_monitor(db, current)
        monitor.actor = actor()
        try:
            if day is not None:
                report = monitor.run_day(parse_day(day), as_of=instant)
            else:
                first = parse_month(month or "")
                report = monitor.run_month(first.year, first.month, as_of=instant)
            summary = report.summary()
            if live:
                summary["live"] = monitor.live(as_of=instant).summary()
        except ValueError as exc:
            fail(f"invalid day or month: {exc}")
        finally:
            db.dispose()
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, sort_keys=True))
        return
    table = Table("figure", "value", title="nenghao monitor run")
    for key, value in summary.items():
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
        table.add_row(key, text)
    console.print(table)


@alerts_app.command("list")
def list_alerts(
    status: Annotated[
        str | None, typer.Option(help="open, acknowledged, resolved or active.")
    ] = "active",
    rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Alerts, most recently seen first."""
    from nenghao.store import alerts
    from nenghao.store.scope import Scope

    with reported():
        db = engine()
        with db.connect() as conn:
            page = alerts.list_alerts(conn, Scope.all(), status=status, rule=rule, limit=limit)
        db.dispose()
    if as_json:
        for row in page.items:
            typer.echo(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str))
        return
    table = Table("id", "rule", "severity", "status", "seen", "title", title=f"{page.total} alerts")
    for row in page.items:
        table.add_row(
            str(row["id"]),
            row["rule"],
            row["severity"],
            row["status"],
            str(row["occurrences"]),
            row["title"],
        )
    console.print(table)
