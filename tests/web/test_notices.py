"""Send a notice and read it: a regulator sends a notice with a PDF to one district; an
enterprise there is shown it on log-in, opens it and downloads the file; the regulator sees
the receipt; an enterprise of another district does not see it."""

from __future__ import annotations

import time

from .conftest import opened
from .web_helpers import Server, login, login_as, ready, settle, shoot

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FILE_NAME = "关于报送能源利用状况报告的通知.pdf"
OUTSIDER_PASSWORD = "notice-reader-7"


def _outsider(server: Server, division: str) -> str:
    """A user of an enterprise outside `division` (created through the API)."""
    listed = server.api("admin", "/enterprises", page_size=200)["items"]
    other = next(e for e in listed if e["division_code"] != division)
    username = f"outsider-{other['id']}"
    created = server.send(
        "admin",
        "POST",
        "/users",
        json={
            "username": username,
            "password": OUTSIDER_PASSWORD,
            "role": "enterprise",
            "enterprise_id": other["id"],
        },
    )
    assert created.status_code in (201, 409), created.text
    return username


def test_send_a_notice_and_read_it(browser, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    enterprise = server.api("regulator", f"/enterprises/{own}")
    division = enterprise["division_code"]
    division_name = next(
        d["name_zh"]
        for d in server.api("regulator", "/catalog/divisions")["items"]
        if d["code"] == division
    )
    in_division = server.api("regulator", "/enterprises", division=division, page_size=200)
    addressed = sum(1 for e in in_division["items"] if e["active"])
    unread_before = server.api("enterprise", "/notices/unread")["unread"]
    title = f"关于报送年度能源利用状况报告的通知 {time.time_ns()}"
    outsider = _outsider(server, division)

    with opened(browser, server, viewport={"width": 1440, "height": 900}) as page:
        login(page, server, "regulator")
        page.goto("/notices")
        ready(page, "notices-table")
        page.get_by_test_id("notice-compose").click()
        dialog = page.get_by_test_id("compose-dialog")
        dialog.get_by_test_id("notice-title-input").fill(title)
        dialog.get_by_test_id("notice-body-input").fill(
            "请各单位于3月31日前报送上一年度能源利用状况报告。"
        )
        dialog.get_by_text("按区县", exact=True).click()
        dialog.get_by_test_id("notice-divisions").click()
        page.get_by_role("option", name=division_name, exact=True).click()
        dialog.get_by_test_id("notice-title-input").click()
        dialog.get_by_test_id("notice-files").set_input_files(
            {"name": FILE_NAME, "mimeType": "application/pdf", "buffer": PDF}
        )
        shoot(page, "notice-compose")
        dialog.get_by_test_id("notice-send").click()
        row = page.get_by_test_id("notices-table").locator("tr.el-table__row", has_text=title)
        row.wait_for()
        assert row.get_by_test_id("notice-read-count").inner_text() == f"0 / {addressed} 家已读"

    with opened(browser, server, viewport={"width": 1440, "height": 900}) as page:
        login(page, server, "enterprise")
        unread = page.get_by_test_id("unread-dialog")
        item = unread.get_by_test_id("unread-item").filter(has_text=title)
        item.wait_for()
        bell = page.get_by_test_id("notice-bell")
        assert bell.get_attribute("data-unread") == str(unread_before + 1)
        shoot(page, "notice-unread-dialog")
        item.click()
        ready(page, "notice-view")
        view = page.get_by_test_id("notice-view")
        assert view.get_by_test_id("notice-title").inner_text() == title
        with page.expect_download() as download:
            view.get_by_test_id("attachment-download").click()
        assert download.value.suggested_filename == FILE_NAME
        assert download.value.path().read_bytes() == PDF
        page.locator(f"[data-testid=notice-bell][data-unread='{unread_before}']").wait_for()
        settle(page)
        shoot(page, "notice-read")

    with opened(browser, server, viewport={"width": 1440, "height": 900}) as page:
        login(page, server, "regulator")
        page.goto("/notices")
        ready(page, "notices-table")
        page.get_by_test_id("notices-table").locator("tr.el-table__row", has_text=title).click()
        ready(page, "notice-view")
        receipts = page.get_by_test_id("notice-receipts")
        receipts.wait_for()
        assert receipts.get_by_test_id("receipts-summary").inner_text() == (
            f"已读 1 家 / 共 {addressed} 家"
        )
        assert enterprise["name"] in receipts.get_by_test_id("receipts-read").inner_text()
        if addressed > 1:
            assert enterprise["name"] not in receipts.get_by_test_id("receipts-unread").inner_text()
        settle(page)
        shoot(page, "notice-receipts")

    with opened(browser, server, viewport={"width": 1440, "height": 900}) as page:
        login_as(page, outsider, OUTSIDER_PASSWORD)
        page.goto("/notices")
        ready(page, "notices-table")
        settle(page)
        table = page.get_by_test_id("notices-table")
        assert table.locator("tr.el-table__row", has_text=title).count() == 0
        assert page.get_by_test_id("notice-bell").get_attribute("data-unread") == "0"
        assert not page.get_by_test_id("unread-dialog").is_visible()
