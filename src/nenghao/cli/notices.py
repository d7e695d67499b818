"""``nenghao notices``: notices (通知公告) to the enterprises — list, send (with attachments)
and who has read one (read receipts)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.cli.common import (
    AsJson,
    actor,
    console,
    fail,
    print_json,
    say,
    session,
    settings,
    when,
)
from nenghao.config import Settings
from nenghao.ingest.attachments import Attachment, AttachmentError, check
from nenghao.store import notices
from nenghao.store.scope import Scope

app = typer.Typer(help="Notices (通知公告) to the enterprises.", no_args_is_help=True)
AUDIENCE_ZH = {"all": "全部企业", "divisions": "按区县", "industries": "按行业"}
NoticeId = Annotated[int, typer.Argument(metavar="ID", help="The notice's id.")]


def parse_audience(text: str) -> tuple[str, list[str]]:
    """``all``, ``divisions:210302,210303`` or ``industries:31`` as (audience, codes)."""
    audience, _colon, listed = text.partition(":")
    codes = [code.strip() for code in listed.split(",") if code.strip()]
    if audience not in AUDIENCE_ZH or (audience == "all") != (not codes):
        fail(
            f"--to {text!r}: write all, divisions:CODE[,CODE…] or industries:CODE[,CODE…]"
            " [invalid_audience]"
        )
    return audience, codes


def _attachments(paths: list[Path], current: Settings) -> list[Attachment]:
    """The files checked as the API checks uploads, or the first refusal (exit 2)."""
    limit = current.notice_attachment_max_files
    if len(paths) > limit:
        fail(
            f"附件过多 {len(paths)} attachments; a notice carries at most {limit}"
            " [too_many_attachments]"
        )
    checked = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror or exc}")
        try:
            checked.append(
                check(
                    data,
                    path.name,
                    max_bytes=current.notice_attachment_max_bytes,
                    max_unzipped=current.notice_attachment_max_unzipped_bytes,
                )
            )
        except AttachmentError as exc:
            fail(f"{path.name}: {exc.zh} {exc.message} [{exc.code}]")
    return checked


@app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many, newest first.")] = 50,
    as_json: AsJson = False,
) -> None:
    """The notices sent, newest first, with how many addressed enterprises have read each."""
    with session() as conn:
        page = notices.list_notices(conn, Scope.all(), 0, limit=limit)
    if as_json:
        print_json(page.items)
        return
    table = Table(title=f"{page.total} notices (通知公告)")
    for column in ("id", "title", "to", "sent", "sender", "read", "files"):
        table.add_column(column)
    for row in page.items:
        to = AUDIENCE_ZH[row["audience"]] + "".join(f" {c}" for c in row["audience_codes"])
        table.add_row(
            str(row["id"]),
            row["title"],
            to,
            when(row["sent_at"]),
            row["sender"],
            f"{row['read_count']}/{row['addressed']}",
            str(len(row["attachments"])),
        )
    console.print(table)


@app.command("send")
def send(
    title: Annotated[str, typer.Option(help="The title.")],
    body: Annotated[str, typer.Option(help="The text.")],
    to: Annotated[
        str, typer.Option(help="all, divisions:210302[,…] or industries:31[,…] (GB/T 4754).")
    ],
    attach: Annotated[
        list[Path] | None, typer.Option(help="PDF, DOCX, XLSX, PNG or JPEG (repeat).")
    ] = None,
) -> None:
    """Send a notice to the enterprises its audience addresses now; audited."""
    if not title.strip() or not body.strip() or len(title) > 200 or len(body) > 20000:
        fail("title (≤200) and body (≤20000) must not be blank [invalid_notice]")
    audience, codes = parse_audience(to)
    files = _attachments(attach or [], settings())
    fields: dict[str, Any] = {"title": title.strip(), "body": body, "audience": audience}
    fields |= {"audience_codes": codes, "publish_at": None, "expire_at": None}
    sender = {"username": actor(), "role": "admin"}
    with session(write=True) as conn:
        row = notices.send(conn, Scope.all(), sender, fields, [asdict(a) for a in files])
    say(
        f"sent: 通知 {row['id']} 《{row['title']}》 to {row['addressed']} enterprises,"
        f" {len(row['attachments'])} attachments"
    )


@app.command("receipts")
def receipts(notice_id: NoticeId, as_json: AsJson = False) -> None:
    """The addressed enterprises that have read the notice, and those that have not."""
    with session() as conn:
        found = notices.receipts(conn, Scope.all(), notice_id)
    if as_json:
        print_json(found)
        return
    say(f"通知 {notice_id}: 已读 read {found['read_count']} / 送达 addressed {found['addressed']}")
    table = Table()
    for column in ("enterprise", "division", "read at", "readers"):
        table.add_column(column)
    for row in [*found["read"], *found["unread"]]:
        table.add_row(
            row["enterprise_name"],
            row["division_code"],
            when(row["read_at"]) or "未读",
            str(row["readers"]),
        )
    console.print(table)
