"""``nenghao project-operation``: after commissioning (事中事后监管) — link a project to its
enterprise's data items, show its monthly comparison with the approval, print the acceptance
report (节能验收报告)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from nenghao.cli.common import AsJson, fail, print_json, say, session
from nenghao.reports.acceptance_pdf import acceptance_report
from nenghao.review import commissioning
from nenghao.review.operation import operation
from nenghao.store import users
from nenghao.store.scope import Scope

app = typer.Typer(
    help="After commissioning: link, monthly comparison, acceptance report.",
    no_args_is_help=True,
)
Project = Annotated[int, typer.Argument(min=1, help="Project id.")]


def _day(text: str | None) -> date | None:
    """A YYYY-MM-DD option, or None; anything else fails with a message."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"not a day (YYYY-MM-DD): {text!r}")


@app.command("link")
def link(
    project: Project,
    items: Annotated[list[int], typer.Option("--item", "-i", help="Data item id (repeat).")],
    acting: Annotated[
        str, typer.Option("--user", "-u", help="Username of the regulator who links.")
    ],
    commissioned_on: Annotated[
        str | None, typer.Option("--commissioned-on", help="投产日期 YYYY-MM-DD.")
    ] = None,
) -> None:
    """Link the project to data items of its applicant enterprise (audited as `--as`)."""
    day = _day(commissioned_on)
    with session(write=True) as conn:
        user = users.get_by_username(conn, acting)
        if user is None or user["role"] not in ("admin", "regulator", "district"):
            fail(f"{acting} is not a regulator's account")
        linked = commissioning.link(conn, user, Scope.for_user(user), project, items, day)
    say(f"投产日期 {linked['commissioned_on']}；已关联 {len(linked['items'])} 个数据项：")
    for item in linked["items"]:
        say(f"  {item['id']}  {item['code']}  {item['name']}  [{item['unit']}]")


@app.command("operation")
def show(
    project: Project,
    as_json: AsJson = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="First day not counted.")] = None,
) -> None:
    """The monthly comparison of actual and approved consumption."""
    with session() as conn:
        answer = operation(conn, Scope.all(), project, as_of=_day(as_of))
    if as_json:
        print_json(answer)
        return
    say(f"{answer['project_name']}（{answer['enterprise_name']}）：{answer['state_zh']}")
    for month in answer["months"]:
        mark = "" if month["complete"] else "（缺测）"
        say(
            f"  {month['month']}  {month['equivalent_tce']:,.2f} tce{mark}  年化"
            f" {month['annualised_equivalent_tce']:,.2f} tce"
        )
    if answer["comparison"]:
        for line in answer["comparison"]["verdicts"]:
            say(line)
    for note in answer["caveats"]:
        say(f"注：{note}")


@app.command("acceptance-pdf")
def acceptance_pdf(
    project: Project,
    output: Annotated[Path, typer.Option("--output", "-o", help="PDF file to write.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="First day not counted.")] = None,
) -> None:
    """Write the acceptance report (节能验收报告) of the project."""
    with session() as conn:
        content = acceptance_report(conn, Scope.all(), project, as_of=_day(as_of))
    output.write_bytes(content)
    say(f"wrote {output} ({len(content)} bytes)")
