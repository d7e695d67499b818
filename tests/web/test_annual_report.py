"""The annual report in the browser: an enterprise of the demo district opens last year's
report, fills in its parts and submits it; the district returns it with a comment; the
enterprise edits and resubmits it; the district accepts it; the PDF of the accepted version
downloads."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .review_steps import open_own_report, open_report_review, report_field, report_state
from .web_helpers import Server, login, login_as, settle, shoot

COMMENT = "请补充变频改造项目的节能量测算依据"


FILER, PASSWORD = "annual-filer", "annual-filer-pass-7"


def _filer(server: Server) -> int:
    """An enterprise account of an enterprise in the demo district's division; its id."""
    listed = server.api("district", "/enterprises", page_size=1)
    enterprise_id = int(listed["items"][0]["id"])
    body = {"username": FILER, "password": PASSWORD, "role": "enterprise"}
    made = server.send("admin", "POST", "/users", json={**body, "enterprise_id": enterprise_id})
    assert made.status_code == 201, made.text
    return enterprise_id


def _login_filer(page) -> None:
    page.context.clear_cookies()
    login_as(page, FILER, PASSWORD)


def _as(page, server: Server, role: str) -> None:
    page.context.clear_cookies()
    login(page, server, role)


def test_submit_return_resubmit_accept(page, server: Server) -> None:
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year - 1
    own = _filer(server)
    _login_filer(page)
    open_own_report(page, year)
    report_state(page, "draft", 0)
    assert "数据覆盖" in page.get_by_test_id("annual-coverage").inner_text()
    report_field(page, "ar-note", "textarea").fill("年内检修停产两周。")
    page.get_by_test_id("ar-add-measure").click()
    report_field(page, "ar-measure-0", "textarea").fill("空压站改造为变频控制")
    page.get_by_test_id("ar-add-project").click()
    report_field(page, "ar-project-name-0").fill("烧结余热发电")
    report_field(page, "ar-project-investment-0").fill("1200")
    report_field(page, "ar-project-saving-0").fill("3500")
    report_field(page, "ar-manager").fill("王工")
    report_field(page, "ar-phone").fill("0412-5551234")
    page.get_by_test_id("ar-system").get_by_text("是", exact=True).click()
    report_field(page, "ar-metering").fill("98.5")
    report_field(page, "ar-metering").press("Tab")
    page.get_by_test_id("ar-statement").click()
    page.get_by_test_id("ar-submit").click()
    report_state(page, "submitted", 2)
    shoot(page, "annual-report-submitted")

    _as(page, server, "district")
    open_report_review(page, year, own)
    page.get_by_test_id("annual-return").click()
    report_field(page, "ar-comment", "textarea").fill(COMMENT)
    page.get_by_test_id("ar-return-confirm").click()
    report_state(page, "returned", 2)

    _login_filer(page)
    open_own_report(page, year)
    report_state(page, "returned", 2)
    assert COMMENT in page.get_by_test_id("annual-comment").inner_text()
    assert page.get_by_test_id("annual-overdue").count() == 1  # returned: not submitted
    report_field(page, "ar-note", "textarea").fill("年内检修停产两周；节能量按第三方监测报告测算。")
    page.get_by_test_id("ar-submit").click()
    report_state(page, "submitted", 4)

    _as(page, server, "district")
    page.goto(f"/annual-reports?year={year}")
    page.get_by_test_id("annual-list").wait_for()
    settle(page)
    assert page.locator("[data-col=overdue]").count() >= 1  # the others have not filed
    open_report_review(page, year, own)
    page.get_by_test_id("annual-accept").click()
    report_state(page, "accepted", 4)
    shoot(page, "annual-report-accepted")
    with page.expect_download() as started:
        page.get_by_test_id("annual-pdf").click()
    path = started.value.path()
    assert path is not None
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    answer = server.send("district", "GET", f"/enterprises/{own}/annual-reports/{year}/pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
