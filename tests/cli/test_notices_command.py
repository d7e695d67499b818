"""``nenghao notices``: send with an attachment, list, read receipts, and refusals that
store nothing."""

from __future__ import annotations

import json

import pytest
from cli_support import NAME
from sqlalchemy import func, select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import notices, users
from nenghao.store.schema import audit_log
from nenghao.store.schema import notices as notices_table
from nenghao.store.scope import Scope
from notice_files import EXE, PDF

runner = CliRunner()


def _notices(*args: str):
    return runner.invoke(app, ["notices", *args])


def test_send_list_and_receipts(registered, engine, tmp_path) -> None:
    pdf = tmp_path / "年报填报通知.pdf"
    pdf.write_bytes(PDF)
    title = "关于填报2025年度能源利用状况报告的通知"
    sent = _notices(
        "send", "--title", title, "--body", "请于3月31日前填报。",
        "--to", "divisions:210302", "--attach", str(pdf),
    )  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert "to 1 enterprises, 1 attachments" in sent.stdout
    listed = json.loads(_notices("list", "--json").stdout)
    assert [(n["title"], n["audience_codes"], n["addressed"], n["read_count"]) for n in listed] == [
        ("关于填报2025年度能源利用状况报告的通知", ["210302"], 1, 0)
    ]
    assert listed[0]["attachments"][0]["size"] == len(PDF)
    notice_id = str(listed[0]["id"])
    unread = json.loads(_notices("receipts", notice_id, "--json").stdout)
    assert [r["enterprise_name"] for r in unread["unread"]] == [NAME]
    with engine.begin() as conn:
        user = users.create(
            conn, username="qiye", password="Secret-pass-1", role="enterprise",
            enterprise_id=registered, actor="test",
        )  # fmt: skip
        notices.read(conn, Scope.for_user(user), int(notice_id), user)
    receipts = _notices("receipts", notice_id)
    assert "已读 read 1 / 送达 addressed 1" in receipts.stdout, receipts.output
    assert "1/1" in _notices("list").stdout
    with engine.connect() as conn:
        action = select(audit_log.c.actor).where(audit_log.c.action == "notice.send")
        assert conn.execute(action).scalar_one().startswith("cli")


@pytest.mark.parametrize(
    ("to", "attachment", "code"),
    [
        ("divisions:210303", None, "empty_audience"),
        ("all:210302", None, "invalid_audience"),
        ("everyone", None, "invalid_audience"),
        ("all", EXE, "attachment_type_forbidden"),
    ],
)
def test_refused_notices_store_nothing(registered, engine, tmp_path, to, attachment, code):
    args = ["send", "--title", "通知", "--body", "正文", "--to", to]
    if attachment is not None:
        (tmp_path / "a.pdf").write_bytes(attachment)
        args += ["--attach", str(tmp_path / "a.pdf")]
    refused = _notices(*args)
    assert (refused.exit_code, f"[{code}]" in refused.output) == (2, True), refused.output
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(notices_table)).scalar() == 0
    missing = _notices("receipts", "99")
    assert (missing.exit_code, "[notice_not_found]" in missing.output) == (2, True)
