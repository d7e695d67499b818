"""Notices (通知公告): audience and scope, attachments judged by content, read receipts."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from api_support import ENTERPRISES, PASSWORD, assert_error_shape
from sqlalchemy import func, select

from nenghao.config import Settings
from nenghao.store import notices as notice_store
from nenghao.store import tokens, users
from nenghao.store.schema import audit_log
from nenghao.store.schema_notices import notice_attachments, notice_recipients, notices
from notice_files import EXE, HTML, PDF, docx, png, xlsx, zip_bomb

LIMIT = 256 * 1024
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def settings(db_url: str, tmp_path) -> Settings:
    """The API's settings with a small attachment limit (256 KiB, three files)."""
    return Settings(
        database_url=db_url,
        data_dir=tmp_path,
        notice_attachment_max_bytes=LIMIT,
        notice_attachment_max_files=3,
    )


@pytest.fixture
def clock(clock, monkeypatch: pytest.MonkeyPatch):
    """The store's clock, the notices' included."""
    monkeypatch.setattr(notice_store, "now", clock)
    return clock


def send(client, world, role="regulator", files=(), headers=None, **fields):
    """POST a notice as `role` with `files` [(name, bytes)]; returns the response."""
    form = {"title": "关于报送2025年能源利用状况报告的通知", "body": "请于3月31日前报送。"}
    form |= {"audience": "divisions", "audience_codes": ["210302"]} | fields
    upload = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return client.post(
        "/api/v1/notices",
        data=form,
        files=upload or None,
        headers={**world.headers(role), **(headers or {})},
    )


def enterprise_user(engine, world, label: str) -> dict[str, str]:
    """The Authorization header of a new user of enterprise `label`."""
    with engine.begin() as conn:
        row = users.create(
            conn,
            username=f"user-{label}",
            password=PASSWORD,
            role="enterprise",
            enterprise_id=world.enterprise_ids[label],
            actor="test",
        )
        token = tokens.issue(conn, row["id"], 30).token
    return {"Authorization": f"Bearer {token}"}


def count(engine, table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_send_and_read_a_notice_with_a_pdf(client, world, engine) -> None:
    sent = send(client, world, files=[("年报通知.pdf", PDF)])
    assert sent.status_code == 201, sent.text
    notice = sent.json()
    in_district = [x for x, (division, _, _) in ENTERPRISES.items() if division == "210302"]
    assert notice["addressed"] == len(in_district) == 2
    assert notice["read_count"] == 0
    assert notice["audience_names"][0]["name_zh"] == "铁东区"
    (attachment,) = notice["attachments"]
    assert attachment["content_type"] == "application/pdf"
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["size"] == len(PDF)

    reader = world.headers("enterprise")  # a user of enterprise a, in 210302
    listed = client.get("/api/v1/notices", headers=reader).json()
    assert [(n["id"], n["read"]) for n in listed["items"]] == [(notice["id"], False)]
    assert client.get("/api/v1/notices/unread", headers=reader).json() == {"unread": 1}

    opened = client.get(f"/api/v1/notices/{notice['id']}", headers=reader).json()
    assert opened["read"] is True
    assert opened["read_at"] is not None
    assert client.get("/api/v1/notices/unread", headers=reader).json() == {"unread": 0}

    file = client.get(f"/api/v1/notices/attachments/{attachment['id']}", headers=reader)
    assert file.status_code == 200
    assert file.content == PDF
    assert file.headers["content-type"] == "application/pdf"
    assert file.headers["x-content-type-options"] == "nosniff"
    disposition = file.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('年报通知.pdf')}" in disposition

    receipts = client.get(
        f"/api/v1/notices/{notice['id']}/receipts", headers=world.headers("regulator")
    ).json()
    assert (receipts["addressed"], receipts["read_count"]) == (2, 1)
    assert [r["enterprise_name"] for r in receipts["read"]] == [ENTERPRISES["a"][2]]
    assert [r["enterprise_name"] for r in receipts["unread"]] == [ENTERPRISES["b"][2]]
    listed = client.get("/api/v1/notices", headers=world.headers("regulator")).json()
    assert (listed["items"][0]["addressed"], listed["items"][0]["read_count"]) == (2, 1)


def test_an_enterprise_outside_the_audience_sees_nothing(client, world, engine) -> None:
    notice = send(client, world, files=[("a.pdf", PDF)]).json()
    outsider = enterprise_user(engine, world, "c")  # 海城市 210381
    assert client.get("/api/v1/notices", headers=outsider).json()["total"] == 0
    assert client.get("/api/v1/notices/unread", headers=outsider).json() == {"unread": 0}
    missing = client.get(f"/api/v1/notices/{notice['id']}", headers=outsider)
    assert_error_shape(missing, 404, "notice_not_found")
    file_id = notice["attachments"][0]["id"]
    hidden = client.get(f"/api/v1/notices/attachments/{file_id}", headers=outsider)
    assert_error_shape(hidden, 404, "attachment_not_found")


@pytest.mark.parametrize(
    ("audience", "codes", "labels"),
    [
        ("all", [], "abc"),
        ("divisions", ["210381"], "c"),
        ("divisions", ["210302", "210381"], "abc"),
        ("industries", ["3110"], "a"),
        ("industries", ["31"], "ab"),  # a prefix: every class starting 31
        ("industries", ["3089", "312"], "bc"),
    ],
)
def test_audience_resolution(client, world, engine, audience, codes, labels) -> None:
    sent = send(client, world, audience=audience, audience_codes=codes)
    assert sent.status_code == 201, sent.text
    with engine.connect() as conn:
        query = select(notice_recipients.c.enterprise_id).where(
            notice_recipients.c.notice_id == sent.json()["id"]
        )
        addressed = set(conn.execute(query).scalars())
    assert addressed == {world.enterprise_ids[x] for x in labels}


@pytest.mark.parametrize(
    ("audience", "codes", "code"),
    [
        ("divisions", ["999999"], "unknown_division"),
        ("divisions", [], "invalid_audience"),
        ("industries", ["0000"], "unknown_industry"),
        ("all", ["210302"], "invalid_audience"),
        ("industries", ["1013"], "empty_audience"),  # in the catalogue, no enterprise of it
    ],
)
def test_bad_audience_is_a_422_and_stores_nothing(client, world, engine, audience, codes, code):
    refused = send(client, world, audience=audience, audience_codes=codes)
    assert_error_shape(refused, 422, code)
    assert count(engine, notices) == 0


def test_a_district_sends_to_its_own_division_only(client, world, engine) -> None:
    own = send(client, world, "district", audience_codes=["210302"])
    assert own.status_code == 201, own.text
    for fields in ({"audience_codes": ["210381"]}, {"audience": "all", "audience_codes": []}):
        refused = send(client, world, "district", **fields)
        assert_error_shape(refused, 403, "outside_scope")
    other = send(client, world, audience_codes=["210381"]).json()  # the city's, to 海城市
    seen = client.get("/api/v1/notices", headers=world.headers("district")).json()
    assert [n["id"] for n in seen["items"]] == [own.json()["id"]]
    district = world.headers("district")
    hidden = client.get(f"/api/v1/notices/{other['id']}/receipts", headers=district)
    assert_error_shape(hidden, 404, "notice_not_found")
    assert count(engine, notices) == 2


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("通知.pdf", EXE, 422, "attachment_type_forbidden"),
        ("通知.pdf", HTML, 422, "attachment_type_forbidden"),
        ("地图.pdf", None, 422, "attachment_type_mismatch"),  # a PNG named .pdf
        ("大文件.pdf", b"%PDF-1.4\n" + b"0" * LIMIT + b"\n%%EOF", 413, "attachment_too_large"),
        ("bomb.xlsx", None, 413, "attachment_too_large"),
    ],
)
def test_bad_attachment_refused_and_nothing_stored(client, world, engine, name, data, status, code):
    data = data if data is not None else (png() if code.endswith("mismatch") else zip_bomb())
    audited = count(engine, audit_log)
    refused = send(client, world, files=[("ok.pdf", PDF), (name, data)], headers=ZH)
    error = assert_error_shape(refused, status, code)
    assert error["details"]["position"] == 2
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])  # said in Chinese
    assert count(engine, notices) == count(engine, notice_attachments) == 0
    assert count(engine, audit_log) == audited


def test_office_images_and_the_file_limit(client, world, engine) -> None:
    files = [("表.xlsx", xlsx()), ("说明.docx", docx()), ("图.png", png())]
    sent = send(client, world, files=files)
    assert sent.status_code == 201, sent.text
    kinds = [a["content_type"].rsplit(".", 1)[-1] for a in sent.json()["attachments"]]
    assert kinds == ["sheet", "document", "image/png"]
    too_many = send(client, world, files=[*files, ("再一个.pdf", PDF)])
    assert_error_shape(too_many, 422, "too_many_attachments")
    assert count(engine, notices) == 1


def test_every_reader_of_an_enterprise_and_the_audit(client, world, engine, clock) -> None:
    notice = send(client, world).json()
    colleague = enterprise_user(engine, world, "a")
    client.get(f"/api/v1/notices/{notice['id']}", headers=world.headers("enterprise"))
    clock.advance(60)
    client.get(f"/api/v1/notices/{notice['id']}", headers=colleague)
    client.get(f"/api/v1/notices/{notice['id']}", headers=colleague)  # once only
    receipts = client.get(
        f"/api/v1/notices/{notice['id']}/receipts", headers=world.headers("admin")
    ).json()
    (first,) = receipts["read"]
    assert (first["readers"], receipts["read_count"], receipts["addressed"]) == (2, 1, 2)
    with engine.connect() as conn:
        actions = conn.execute(
            select(audit_log.c.action, audit_log.c.actor)
            .where(audit_log.c.entity == "notice")
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(a) for a in actions] == [
        ("notice.send", "regulator"),
        ("notice.read", "enterprise"),
        ("notice.read", "user-a"),
    ]


def test_publish_and_expiry_bound_what_enterprises_see(client, world, clock) -> None:
    later = send(client, world, publish_at=str(clock.t + 600)).json()
    reader = world.headers("enterprise")
    assert client.get("/api/v1/notices", headers=reader).json()["total"] == 0
    assert client.get("/api/v1/notices", headers=world.headers("regulator")).json()["total"] == 1
    clock.advance(600)
    assert client.get("/api/v1/notices/unread", headers=reader).json() == {"unread": 1}
    bad = send(client, world, publish_at=str(clock.t + 10), expire_at=str(clock.t + 5))
    assert_error_shape(bad, 422, "invalid_notice_dates")
    assert later["publish_at"] == clock.t
