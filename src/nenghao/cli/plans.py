"""``nenghao plans``: an enterprise's collection plan (采集方案) — show it, submit it, approve
or return it, and list the plans awaiting review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.cli.common import actor, console, engine, reported
from nenghao.cli.users import resolve_enterprise
from nenghao.standards.calendar import to_cst
from nenghao.store import plans
from nenghao.store.scope import Scope

app = typer.Typer(help="The collection plan (采集方案) of an enterprise.", no_args_is_help=True)

Enterprise = Annotated[
    str, typer.Option("--enterprise", "-e", help="Enterprise id or credit code.")
]
STATUS_ZH = {"draft": "草稿", "submitted": "已提交", "approved": "已批准", "returned": "已退回"}
APPROVAL_ZH = {"draft": "待审核", "approved": "已批准", "changed": "已变更待审核"}


def _print(text: str) -> None:
    console.print(text, markup=False, highlight=False)


def _counts(row: dict[str, Any]) -> str:
    c = row["counts"]
    return f"新增 {c['added']} · 变更 {c['changed']} · 停用 {c['deactivated']}"


def _when(instant: int | None) -> str:
    return "" if instant is None else to_cst(instant).strftime("%Y-%m-%d %H:%M")


def _run(enterprise: str, step: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """`step` (a write of `nenghao.store.plans`) on the enterprise, in one transaction,
    audited as the command line."""
    db = engine()
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            return step(conn, Scope.all(), enterprise_id, actor=actor(), **kwargs)
    finally:
        db.dispose()


def _show_version(row: dict[str, Any], verb: str) -> None:
    _print(f"{verb}: version {row['version']} {STATUS_ZH[row['status']]} ({_counts(row)})")
    if row["comment"]:
        _print(f"审核意见 comment: {row['comment']}")


@app.command("show")
def show(enterprise: Enterprise) -> None:
    """The plan now: status, latest version and every item's approval state."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            plan = plans.current(conn, Scope.all(), resolve_enterprise(conn, enterprise))
    finally:
        db.dispose()
    latest = plan["latest"]
    _print(f"{plan['enterprise_name']}: 采集方案 {STATUS_ZH[plan['status']]} ({plan['status']})")
    if latest is not None:
        _show_version(latest, "latest")
    pending = plan["pending_counts"]
    _print(f"待提交 pending: 新增 {pending['added']} · 变更 {pending['changed']} · "
           f"停用 {pending['deactivated']}")  # fmt: skip
    table = Table(title=f"{len(plan['plan_items'])} items")
    for column in ("code", "name", "active", "approval"):
        table.add_column(column)
    for item in plan["plan_items"]:
        active = "启用" if item["active"] else "停用"
        table.add_row(item["code"], item["name"], active, APPROVAL_ZH[item["approval"]])
    console.print(table)


@app.command("submit")
def submit(
    enterprise: Enterprise,
    note: Annotated[str | None, typer.Option(help="A note to the reviewer.")] = None,
) -> None:
    """Submit the enterprise's items as the next version, for review."""
    _show_version(_run(enterprise, plans.submit, note=note), "submitted")


@app.command("approve")
def approve(
    enterprise: Enterprise,
    comment: Annotated[str | None, typer.Option(help="The reviewer's comment.")] = None,
) -> None:
    """Approve the submitted version: its items accept data."""
    row = _run(enterprise, plans.review, decision="approved", comment=comment)
    _show_version(row, "approved")


@app.command("return")
def return_command(
    enterprise: Enterprise,
    comment: Annotated[str, typer.Option(help="What to change (required).")],
) -> None:
    """Return the submitted version to the enterprise with a comment."""
    row = _run(enterprise, plans.review, decision="returned", comment=comment)
    _show_version(row, "returned")


@app.command("pending")
def pending() -> None:
    """The plans awaiting review, oldest submission first."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            page = plans.awaiting(conn, Scope.all(), limit=None)
    finally:
        db.dispose()
    table = Table(title=f"{page.total} plans awaiting review (待审核采集方案)")
    for column in ("enterprise", "version", "submitted", "by", "changes"):
        table.add_column(column)
    for row in page.items:
        table.add_row(
            row["enterprise_name"],
            str(row["version"]),
            _when(row["submitted_at"]),
            row["submitted_by"],
            _counts(row),
        )
    console.print(table)
