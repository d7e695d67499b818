"""``nenghao projects``: the project register and its energy-saving review (节能审查) — list,
show, create from a TOML/JSON file, attach documents, take review steps, the reviewer's inbox.

Writes act as a platform user (``--user``): the review workflow decides by that user's
role, level and division, as the API does (docs/projects.md).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from nenghao.api.models.projects import ProjectIn
from nenghao.cli.common import AsJson, console, fail, print_json, say, session, settings, when
from nenghao.ingest.attachments import AttachmentError, check
from nenghao.review import documents, register, views, workflow
from nenghao.store import projects as projects_store
from nenghao.store import users
from nenghao.store.scope import Scope

app = typer.Typer(help="Projects under energy-saving review (节能审查).", no_args_is_help=True)
ProjectId = Annotated[int, typer.Argument(metavar="ID", help="The project's id.")]
User = Annotated[str, typer.Option("--user", "-u", help="Act as this platform user.")]
Comment = Annotated[str | None, typer.Option(help="Comment or reason.")]
KINDS = tuple(documents.KIND_NAMES_ZH)


def _user(conn: Any, username: str) -> dict[str, Any]:
    found = users.get_by_username(conn, username)
    if found is None or not found["active"]:
        fail(f"no active user {username!r} [unknown_user]")
    return found


def read_project_file(path: Path) -> dict[str, Any]:
    """A project from a ``.toml`` or ``.json`` file, checked as the API checks its body."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        raw = tomllib.loads(text.decode()) if path.suffix == ".toml" else json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path.name}: not valid {path.suffix.lstrip('.') or 'JSON'}: {exc} [invalid_file]")
    try:
        return ProjectIn.model_validate(raw).model_dump()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        fail(f"{path.name}: {where}: {first['msg']} [invalid_project]")


def _table(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title)
    for column in ("id", "code", "name", "applicant", "division", "tier", "status", "due"):
        table.add_column(column)
    for row in rows:
        due = when(row["due_at"]) + (" 逾期" if row["overdue"] else "")
        tier = row["tier_zh"] + (" 两高" if row["two_high"] else "")
        table.add_row(
            str(row["id"]), row["code"], row["name"], row["applicant"] or "",
            row["division_name"], tier, row["status_zh"], due,
        )  # fmt: skip
    console.print(table)


@app.command("list")
def list_command(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only overdue projects.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many, newest first.")] = 50,
    as_json: AsJson = False,
) -> None:
    """Every project, newest first (all divisions)."""
    where = views.filters(status=status, overdue=True if overdue else None)
    with session() as conn:
        page = views.listing(conn, Scope.all(), where, 0, limit)
    if as_json:
        print_json(page.items)
        return
    _table(page.items, f"{page.total} projects (项目)")


@app.command("show")
def show(project_id: ProjectId, as_json: AsJson = False) -> None:
    """A project: the assessment line by line and the headroom in the region's targets."""
    with session() as conn:
        found = views.detail(conn, {"role": "auditor", "id": 0}, Scope.all(), project_id)
    if as_json:
        print_json(found)
        return
    say(f"{found['code']} {found['name']} — {found['status_zh']}，{found['tier_zh']}")
    say(f"申报单位 {found['applicant']}，{found['division_name']}，{found['industry_name']}")
    for line in found["explanation"]:
        say(f"  {line}")
    for subject in found["headroom"]["subjects"]:
        if subject.get("note"):
            say(f"  {subject['note']}")
        for entry in subject["indicators"]:
            say(f"  {entry['line_zh']}")


@app.command("create")
def create(
    file: Annotated[Path, typer.Option("--file", "-f", help="project.toml or project.json")],
    user: User,
) -> None:
    """Store a draft project from a file, assessed; audited."""
    fields = read_project_file(file)
    with session(write=True) as conn:
        acting = _user(conn, user)
        pid = register.create(conn, acting, Scope.for_user(acting), fields, remote="cli")
        found = views.named(projects_store.require(conn, Scope.all(), pid))
    say(f"created: 项目 {pid} {found['code']} — {found['tier_zh']}，{found['status_zh']}")


@app.command("attach")
def attach(
    project_id: ProjectId,
    path: Annotated[Path, typer.Argument(help="PDF, DOCX, XLSX, PNG or JPEG.")],
    user: User,
    kind: Annotated[str, typer.Option(help=", ".join(KINDS))] = "energy_report",
) -> None:
    """Attach a document, checked by content as the API checks uploads."""
    if kind not in KINDS:
        fail(f"--kind must be one of {', '.join(KINDS)} [invalid_input]")
    current = settings()
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        checked = check(
            data,
            path.name,
            max_bytes=current.project_document_max_bytes,
            max_unzipped=current.notice_attachment_max_unzipped_bytes,
        )
    except AttachmentError as exc:
        fail(f"{path.name}: {exc.zh} {exc.message} [{exc.code}]")
    with session(write=True) as conn:
        acting = _user(conn, user)
        stored = documents.upload(
            conn, acting, Scope.for_user(acting), project_id, kind, asdict(checked), remote="cli"
        )
    say(f"attached: 文件 {stored['id']} {stored['filename']} ({documents.KIND_NAMES_ZH[kind]})")


def _step(project_id: int, username: str, action: str, payload: dict[str, Any]) -> None:
    with session(write=True) as conn:
        acting = _user(conn, username)
        done = workflow.act(
            conn, acting, Scope.for_user(acting), project_id, action, payload, remote="cli"
        )
    say(
        f"{workflow.ACTION_NAMES_ZH[action]}: 项目 {project_id} "
        f"{workflow.STATUS_NAMES_ZH[done['from_status']]} → "
        f"{workflow.STATUS_NAMES_ZH[done['to_status']]}"
    )


@app.command("submit")
def submit(project_id: ProjectId, user: User) -> None:
    """Submit a draft (an energy report, or a commitment for the exempt tier, attached)."""
    _step(project_id, user, "submit", {})


@app.command("withdraw")
def withdraw(project_id: ProjectId, user: User, comment: Comment = None) -> None:
    """Withdraw the project before a decision."""
    _step(project_id, user, "withdraw", {"comment": comment})


@app.command("return")
def return_command(project_id: ProjectId, user: User, comment: Comment = None) -> None:
    """Return a submitted project to draft (a comment is required)."""
    _step(project_id, user, "return", {"comment": comment})


@app.command("accept")
def accept(project_id: ProjectId, user: User) -> None:
    """Accept (受理) a submitted project; the statutory deadline starts."""
    _step(project_id, user, "accept", {})


@app.command("file")
def file_command(project_id: ProjectId, user: User) -> None:
    """Record an exempt project's commitment as filed (备案)."""
    _step(project_id, user, "file", {})


@app.command("opinion")
def opinion(
    project_id: ProjectId,
    user: User,
    expert: Annotated[str, typer.Option(help="The expert's name.")],
    text: Annotated[str, typer.Option("--text", help="The opinion.")],
    document: Annotated[int | None, typer.Option(help="An attached document's id.")] = None,
) -> None:
    """Record an expert opinion (several allowed)."""
    _step(project_id, user, "opinion", {"expert": expert, "opinion": text, "document_id": document})


@app.command("approve")
def approve(
    project_id: ProjectId,
    user: User,
    conditions: Annotated[str | None, typer.Option(help="Conditions of the approval.")] = None,
) -> None:
    """Approve (with conditions); needs the configured number of expert opinions."""
    _step(project_id, user, "approve", {"conditions": conditions})


@app.command("reject")
def reject(
    project_id: ProjectId,
    user: User,
    reason: Annotated[str | None, typer.Option(help="Why (required).")] = None,
) -> None:
    """Reject the project (a reason is required)."""
    _step(project_id, user, "reject", {"comment": reason})


@app.command("inbox")
def inbox(user: User, as_json: AsJson = False) -> None:
    """What the user reviews and may act on now, the oldest deadline first."""
    with session() as conn:
        acting = _user(conn, user)
        page = views.inbox(conn, acting, Scope.for_user(acting), 0, 200)
    if as_json:
        print_json(page.items)
        return
    _table(page.items, f"{page.total} projects waiting for {user}")
