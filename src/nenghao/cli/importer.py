"""``nenghao import FILE``: CSV/XLSX import with a progress bar."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nenghao.cli.common import actor as cli_actor
from nenghao.cli.common import console, engine, err_console, fail, reported, settings, uplink
from nenghao.ingest.files.importing import ImportResult, RowResult, ingest_parsed, parse_file
from nenghao.ingest.files.layout import FileLimits, FileRejected, ParsedFile, RowError
from nenghao.ingest.sender import Sender
from nenghao.standards.digits import is_digits
from nenghao.standards.vocabulary import RecordStatus
from nenghao.store import enterprises
from nenghao.store.scope import Scope

REJECTED_ROWS = 1
"""Exit code when the file was read but some rows were rejected."""


def _enterprise(conn: Any, ref: str) -> dict[str, Any]:
    scope = Scope.all()
    found = (
        enterprises.get(conn, scope, int(ref))
        if is_digits(ref) and len(ref) < 10
        else enterprises.get_by_credit_code(conn, scope, ref)
    )
    if found is None:
        fail(f"unknown enterprise {ref!r} (give its id or unified social credit code)")
    return found


def _parse(data: bytes, name: str, limits: FileLimits) -> ParsedFile:
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} 行"))
    with Progress(*columns, TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("读取 reading", total=None)
        parsed = parse_file(
            data, name, limits=limits, on_rows=lambda n: bar.update(task, completed=n)
        )
        bar.update(task, total=parsed.data_rows, completed=parsed.data_rows)
    return parsed


def _print_errors(errors: Iterable[RowError | RowResult]) -> None:
    table = Table("行 row", "列 column", "代码 code", "说明 message", title="问题 problems")
    for error in errors:
        table.add_row(str(error.row), error.column or "", error.code or "", error.message or "")
    err_console.print(table)


def print_result(result: ImportResult) -> None:
    """The summary line of an import, then a table of the rejected rows' problems."""
    summary = result.summary
    console.print(
        f"{result.filename}: {result.data_rows} rows — accepted {summary['accepted']},"
        f" duplicate {summary['duplicate']}, revised {summary['revised']},"
        f" rejected {summary['rejected']}" + (f" [{result.reference}]" if result.reference else ""),
        markup=False,
        highlight=False,
    )
    rejected = [r for r in result.results if r.status is RecordStatus.REJECTED]
    if rejected:
        _print_errors(rejected)


def import_file(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GB18030) or XLSX file.")],
    enterprise: Annotated[
        str, typer.Option("--enterprise", "-e", help="Enterprise id or credit code.")
    ],
    actor: Annotated[
        str | None, typer.Option(help="Who files it (audit); default the OS user.")
    ] = None,
) -> None:
    """Import records from a file, row by row; exit 1 when rows were rejected, 2 on bad input."""
    current = settings()
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    db = engine(current)
    with reported():
        with db.connect() as conn:
            found = _enterprise(conn, enterprise)
        try:
            parsed = _parse(data, file.name, FileLimits(max_bytes=current.import_max_bytes))
        except FileRejected as exc:
            _print_errors(exc.errors)
            fail(f"{file.name}: {exc.message} [{exc.code}]")
        sender = Sender(found["id"], found["credit_code"], "file", actor or cli_actor())
        with err_console.status("入库 storing"):
            result = ingest_parsed(
                uplink(current, db), parsed, data, sender=sender, filename=file.name
            )
    print_result(result)
    if result.rejected_rows:
        raise typer.Exit(REJECTED_ROWS)
