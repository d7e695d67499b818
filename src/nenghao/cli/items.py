"""``nenghao items``: an enterprise's data items — list, add, change, deactivate, and the
XLSX item list (template, import)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.cli.common import actor, console, engine, err_console, fail, reported, settings
from nenghao.cli.importer import REJECTED_ROWS, print_result
from nenghao.cli.users import resolve_enterprise
from nenghao.ingest.files.layout import FileLimits, FileRejected
from nenghao.ingest.item_import import import_items, template_xlsx
from nenghao.standards.calendar import PeriodName
from nenghao.standards.vocabulary import Measure, Stage, Usage, ValueKind
from nenghao.store import enterprises, items
from nenghao.store.scope import Scope

app = typer.Typer(help="Data items (采集数据项) of an enterprise.", no_args_is_help=True)

Enterprise = Annotated[
    str, typer.Option("--enterprise", "-e", help="Enterprise id or credit code.")
]
Code = Annotated[str, typer.Argument(help="Item code, e.g. ent.electricity.")]
ValidFrom = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="CST date the change takes effect (default today)."),
]
Reason = Annotated[str | None, typer.Option(help="Why (kept with the version).")]
Number = Annotated[float | None, typer.Option(min=0.0)]
Due = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Calibration valid until (检定有效期)."),
]


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def _meter(
    register_max: float | None,
    register_resolution: float | None,
    ct_ratio: float | None,
    pt_ratio: float | None,
    accuracy_class: str | None,
    calibration_due: datetime | None,
) -> dict[str, Any]:
    given = {
        "register_max": register_max,
        "register_resolution": register_resolution,
        "ct_ratio": ct_ratio,
        "pt_ratio": pt_ratio,
        "accuracy_class": accuracy_class,
        "calibration_due": _day(calibration_due),
    }
    return {key: value for key, value in given.items() if value is not None}


def _show(row: dict[str, Any], verb: str) -> None:
    console.print(
        f"{verb} {row['code']} {row['name']} (id {row['id']}, {row['unit']}, {row['period']},"
        f" {'active' if row['active'] else 'inactive'})",
        markup=False,
        highlight=False,
    )


def _write_item(
    enterprise: str,
    code: str,
    write: Callable[..., dict[str, Any]],
    changes: dict[str, Any] | None,
    valid_from: datetime | None,
    reason: str | None,
) -> dict[str, Any]:
    """Apply `write` (items.change with `changes`, or items.deactivate) to the enterprise's item
    `code` from `valid_from`, in one transaction, audited as the command line."""
    db = engine()
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            item = items.get_by_code(conn, Scope.all(), enterprise_id, code)
            args = (conn, Scope.all(), enterprise_id, item["id"])
            return write(
                *args,
                *(() if changes is None else (changes,)),
                actor=actor(),
                valid_from=_day(valid_from),
                reason=reason,
            )
    finally:
        db.dispose()


@app.command("list")
def list_command(
    enterprise: Enterprise,
    all_items: Annotated[bool, typer.Option("--all", help="Include inactive items.")] = False,
) -> None:
    """List the enterprise's items, by code."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            page = items.list_items(
                conn, Scope.all(), enterprise_id, active=None if all_items else True, limit=None
            )
    finally:
        db.dispose()
    table = Table(title=f"{page.total} items")
    for column in ("code", "name", "measures", "kind/product", "unit", "period", "meter", "due"):
        table.add_column(column)
    for i in page.items:
        meter = "×".join(f"{r:g}" for r in (i["ct_ratio"], i["pt_ratio"]) if r) or ""
        table.add_row(
            i["code"] + ("" if i["active"] else " (inactive)"),
            i["name"],
            i["measures"],
            i["energy_kind"] or i["product_code"] or "",
            i["unit"],
            i["period"],
            meter,
            str(i["calibration_due"] or ""),
        )
    console.print(table)


@app.command("add")
def add(
    enterprise: Enterprise,
    name: Annotated[str, typer.Option(help="Name, e.g. 全厂电力消耗.")],
    measures: Annotated[Measure, typer.Option(help="What it measures.")],
    unit: Annotated[str, typer.Option(help="Unit, e.g. kWh, t, 万元.")],
    period: Annotated[PeriodName, typer.Option(help="Statistic period.")],
    energy_kind: Annotated[str | None, typer.Option(help="Energy kind (code or 中文名).")] = None,
    product: Annotated[str | None, typer.Option(help="Product code (product items).")] = None,
    usage: Annotated[Usage | None, typer.Option(help="Usage (default by measures).")] = None,
    stage: Annotated[Stage, typer.Option(help="Stage of the energy flow.")] = "fence",
    process: Annotated[str | None, typer.Option(help="Process (工序) code.")] = None,
    value_kind: Annotated[ValueKind, typer.Option(help="interval or register.")] = "interval",
    code: Annotated[str | None, typer.Option(help="Code (default: proposed).")] = None,
    manual: Annotated[bool, typer.Option(help="Filed by hand.")] = False,
    register_max: Number = None,
    register_resolution: Number = None,
    ct_ratio: Number = None,
    pt_ratio: Number = None,
    accuracy_class: Annotated[str | None, typer.Option(help="e.g. 0.5S.")] = None,
    calibration_due: Due = None,
    valid_from: ValidFrom = None,
) -> None:
    """Register an item; its code follows the scheme of docs/items.md."""
    values: dict[str, Any] = {
        "name": name,
        "measures": measures,
        "unit": unit,
        "period": period,
        "energy_kind": energy_kind,
        "product_code": product,
        "usage": usage,
        "stage": stage,
        "process": process,
        "value_kind": value_kind,
        "code": code,
        "manual": manual,
        **_meter(
            register_max, register_resolution, ct_ratio, pt_ratio, accuracy_class, calibration_due
        ),
    }
    db = engine()
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            row = items.create(
                conn, Scope.all(), enterprise_id, values, actor=actor(), valid_from=_day(valid_from)
            )
    finally:
        db.dispose()
    _show(row, "added")


@app.command("change")
def change(
    enterprise: Enterprise,
    code: Code,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    unit: Annotated[str | None, typer.Option(help="New unit (only without readings).")] = None,
    process: Annotated[
        str | None, typer.Option(help="New process (only without readings).")
    ] = None,
    manual: Annotated[bool | None, typer.Option(help="Filed by hand.")] = None,
    register_max: Number = None,
    register_resolution: Number = None,
    ct_ratio: Number = None,
    pt_ratio: Number = None,
    accuracy_class: Annotated[str | None, typer.Option(help="e.g. 0.5S.")] = None,
    calibration_due: Due = None,
    valid_from: ValidFrom = None,
    reason: Reason = None,
) -> None:
    """Change an item from a date; what interprets stored readings cannot change under them."""
    given = {"name": name, "unit": unit, "process": process, "manual": manual}
    changes = {key: value for key, value in given.items() if value is not None}
    changes |= _meter(
        register_max, register_resolution, ct_ratio, pt_ratio, accuracy_class, calibration_due
    )
    if not changes:
        fail("nothing to change: give at least one option")
    row = _write_item(enterprise, code, items.change, changes, valid_from, reason)
    _show(row, "changed")


@app.command("deactivate")
def deactivate(
    enterprise: Enterprise, code: Code, valid_from: ValidFrom = None, reason: Reason = None
) -> None:
    """Deactivate an item from a date: no further data; its readings stay."""
    row = _write_item(enterprise, code, items.deactivate, None, valid_from, reason)
    _show(row, "deactivated")


@app.command("template")
def template(
    enterprise: Enterprise,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the XLSX.")],
) -> None:
    """Write the XLSX template of an item list (sheets 数据项 and 说明)."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            found = enterprises.get(conn, Scope.all(), resolve_enterprise(conn, enterprise))
    finally:
        db.dispose()
    assert found is not None
    output.write_bytes(template_xlsx(found))
    console.print(f"wrote {output}", markup=False, highlight=False)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="XLSX (sheet 数据项) or CSV item list.")],
    enterprise: Enterprise,
) -> None:
    """Import an item list row by row; exit 1 when rows were rejected, 2 on bad input."""
    current = settings()
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    db = engine(current)
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            with err_console.status("导入数据项 importing items"):
                try:
                    result = import_items(
                        conn,
                        Scope.all(),
                        enterprise_id,
                        data,
                        file.name,
                        actor=actor(),
                        limits=FileLimits(max_bytes=current.import_max_bytes),
                    )
                except FileRejected as exc:
                    fail(f"{file.name}: {exc.message} [{exc.code}]")
    finally:
        db.dispose()
    print_result(result)
    if result.rejected_rows:
        raise typer.Exit(REJECTED_ROWS)
