"""``nenghao filings``: monthly and annual filings (月报 / 年报) — a period's form, filing or
revising it, its revisions and the filings to review (需复核)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.cli.common import (
    AsJson,
    Enterprise,
    actor,
    console,
    engine,
    fail,
    print_json,
    reported,
    say,
    session,
    settings,
    uplink,
    when,
)
from nenghao.cli.users import resolve_enterprise
from nenghao.ingest.filing import FilingRequest, file_period, form_lines
from nenghao.ingest.filing_lines import FilingRefusedError, LineIn, label_period
from nenghao.store import filings
from nenghao.store.filings import line_name
from nenghao.store.items import enterprise_in_scope
from nenghao.store.scope import Scope

app = typer.Typer(help="Monthly and annual filings (月报 / 年报).", no_args_is_help=True)
Label = Annotated[str, typer.Argument(metavar="PERIOD", help="A month YYYY-MM or a year YYYY.")]
NAMED_KINDS = ("output_value", "added_value")
MODE_ZH = {"reading": "读数", "boundary": "边界", "compared": "比对"}


@contextmanager
def refusals() -> Iterator[None]:
    """A refused filing as one line ``message [code]`` and exit 2."""
    try:
        yield
    except FilingRefusedError as exc:
        fail(f"{exc.zh} {exc.message} [{exc.code}]")


def parse_line(text: str) -> LineIn:
    """``电力=84000 kWh``, ``energy:原煤=120 t``, ``product:CODE=3500 t``,
    ``output_value=1250 万元`` or ``added_value=300 万元`` as a line."""
    name, sep, figure = text.partition("=")
    value, _space, unit = figure.strip().partition(" ")
    kind, colon, subject = name.strip().partition(":")
    if not colon:
        kind, subject = ("energy", kind) if kind not in NAMED_KINDS else (kind, "")
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not sep or not unit.strip() or number < 0 or kind not in ("energy", "product", *NAMED_KINDS):
        fail(
            f'line {text!r}: write NAME=VALUE UNIT, e.g. "电力=84000 kWh" or '
            f'"output_value=1250 万元" [invalid_filing_line]'
        )
    return LineIn(kind, subject.strip() or None, number, unit.strip())


def _print_lines(lines: list[dict[str, Any]]) -> None:
    table = Table()
    for column in ("line", "filed", "unit", "mode", "online", "difference", ""):
        table.add_column(column)
    for line in lines:
        diff = line["difference"]
        table.add_row(
            line_name(line["kind"], line["subject"]),
            f"{line['value']:g}",
            line["unit"],
            MODE_ZH[line["mode"]],
            "" if line["online"] is None else f"{line['online']:g}",
            "" if diff is None else f"{diff:+.1%}",
            "需复核" if line["flagged"] else "",
        )
    console.print(table)


def _print_filing(filing: dict[str, Any], verb: str) -> None:
    status = "需复核" if filing["status"] == "review" else "已填报"
    say(
        f"{verb}: {filing.get('enterprise_name', '')} {filing.get('label', '')} revision"
        f" {filing['revision']} {status} ({filing['status']}), {filing['filed_by']}"
        f" {when(filing['filed_at'])}"
        + (f", 原因 reason: {filing['reason']}" if filing["reason"] else "")
    )
    _print_lines(filing["lines"])


@app.command("show")
def show(enterprise: Enterprise, label: Label, as_json: AsJson = False) -> None:
    """The period's filing (if any) and the lines of its form with the online figures."""
    with refusals():
        span = label_period(label)
    with session() as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        found = filings.get(conn, Scope.all(), enterprise_id, span.period, span.start)
        lines = form_lines(conn, enterprise_id, span)
    if as_json:
        print_json({"label": span.label, "period": span.period, "filing": found, "lines": lines})
        return
    if found is None:
        say(f"{span.label}: 未填报 not filed")
    else:
        _print_filing(found, "filed")
    table = Table(title=f"form 填报项 ({len(lines)})")
    for column in ("line", "unit", "mode", "online"):
        table.add_column(column)
    for line in lines:
        online = line.get("online")
        table.add_row(
            line_name(line["kind"], line["subject"]),
            str(line.get("unit") or ""),
            MODE_ZH.get(str(line.get("mode")), ""),
            "" if online is None else f"{online:g}",
        )
    console.print(table)


@app.command("file")
def file_command(
    enterprise: Enterprise,
    label: Label,
    line: Annotated[
        list[str], typer.Option("--line", help='NAME=VALUE UNIT, e.g. "电力=84000 kWh" (repeat).')
    ],
    reason: Annotated[str | None, typer.Option(help="Why (required to revise).")] = None,
) -> None:
    """File (or revise) the period's figures, checked whole: one bad line stores nothing."""
    lines = [parse_line(text) for text in line]
    current = settings()
    db = engine(current)
    try:
        with reported(), refusals():
            with db.connect() as conn:
                found = enterprise_in_scope(conn, Scope.all(), resolve_enterprise(conn, enterprise))
            request = FilingRequest(found, label, lines, reason, actor())
            filed = file_period(uplink(current, db), request)
            with db.connect() as conn:
                stored = filings.get(
                    conn, Scope.all(), found["id"], filed["period"], filed["period_start"]
                )
    finally:
        db.dispose()
    assert stored is not None
    _print_filing(stored, "filed")


@app.command("history")
def history(enterprise: Enterprise, label: Label, as_json: AsJson = False) -> None:
    """Every revision of the period's filing, newest first."""
    with refusals():
        span = label_period(label)
    with session() as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        found = filings.get(conn, Scope.all(), enterprise_id, span.period, span.start)
        if found is None:
            fail(f"{span.label} 未填报 no filing for {span.label} [filing_not_found]")
        page = filings.history(conn, found["id"])
    if as_json:
        print_json(page.items)
        return
    for revision in page.items:
        _print_filing(revision, f"{found['enterprise_name']} {span.label}")


@app.command("flagged")
def flagged(
    period: Annotated[str | None, typer.Option(help="Only this YYYY-MM or YYYY.")] = None,
    as_json: AsJson = False,
) -> None:
    """Filings differing from the online data by more than 5 % (需复核), newest first."""
    if period is not None:
        with refusals():
            label_period(period)
    with session() as conn:
        page = filings.list_filings(conn, Scope.all(), label=period, flagged=True, limit=None)
    if as_json:
        print_json(page.items)
        return
    table = Table(title=f"{page.total} filings to review (需复核)")
    for column in ("enterprise", "period", "revision", "filed by", "filed at", "flagged lines"):
        table.add_column(column)
    for row in page.items:
        names = [line_name(x["kind"], x["subject"]) for x in row["lines"] if x["flagged"]]
        table.add_row(
            row["enterprise_name"],
            row["label"],
            str(row["revision"]),
            row["filed_by"],
            when(row["filed_at"]),
            "、".join(names),
        )
    console.print(table)
