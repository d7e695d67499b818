"""The annual report in the browser: an enterprise of the demo district opens last year's
report, fills in its parts and submits it; the district returns it with a comment; the
enterprise edits and resubmits it; the district accepts it; the PDF of the accepted version
downloads."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .web_helpers import Server, login, settle, shoot

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
    page.goto("/login")
    page.get_by_label("用户名").fill(FILER)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_test_id("role").wait_for()


def _open_own(page, year: int) -> None:
    page.goto(f"/annual-reports?year={year}")
    page.get_by_test_id("annual-report").wait_for()
    settle(page)


def _field(page, testid: str, tag: str = "input"):
    """The text box of a form item (the test id sits on the box or on its wrapper)."""
    return page.locator(f"{tag}[data-testid='{testid}'], [data-testid='{testid}'] {tag}").first


def _as(page, server: Server, role: str) -> None:
    page.context.clear_cookies()
    login(page, server, role)


def _state(page, status: str, version: int) -> None:
    selector = f"[data-testid=annual-report][data-status={status}][data-version='{version}']"
    page.locator(selector).wait_for()
    settle(page)


def _review(page, year: int, enterprise_id: int) -> None:
    page.goto(f"/annual-reports?year={year}")
    page.get_by_test_id("annual-list").wait_for()
    settle(page)
    page.get_by_test_id(f"ar-open-{enterprise_id}").click()
    page.get_by_test_id("annual-report").wait_for()
    settle(page)


def test_submit_return_resubmit_accept(page, server: Server) -> None:
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year - 1
    own = _filer(server)
    _login_filer(page)
    _open_own(page, year)
    _state(page, "draft", 0)
    assert "数据覆盖" in page.get_by_test_id("annual-coverage").inner_text()
    _field(page, "ar-note", "textarea").fill("年内检修停产两周。")
    page.get_by_test_id("ar-add-measure").click()
    _field(page, "ar-measure-0", "textarea").fill("空压站改造为变频控制")
    page.get_by_test_id("ar-add-project").click()
    _field(page, "ar-project-name-0").fill("烧结余热发电")
    _field(page, "ar-project-investment-0").fill("1200")
    _field(page, "ar-project-saving-0").fill("3500")
    _field(page, "ar-manager").fill("王工")
    _field(page, "ar-phone").fill("0412-5551234")
    page.get_by_test_id("ar-system").get_by_text("是", exact=True).click()
    _field(page, "ar-metering").fill("98.5")
    _field(page, "ar-metering").press("Tab")
    page.get_by_test_id("ar-statement").click()
    page.get_by_test_id("ar-submit").click()
    _state(page, "submitted", 2)
    shoot(page, "annual-report-submitted")

    _as(page, server, "district")
    _review(page, year, own)
    page.get_by_test_id("annual-return").click()
    _field(page, "ar-comment", "textarea").fill(COMMENT)
    page.get_by_test_id("ar-return-confirm").click()
    _state(page, "returned", 2)

    _login_filer(page)
    _open_own(page, year)
    _state(page, "returned", 2)
    assert COMMENT in page.get_by_test_id("annual-comment").inner_text()
    assert page.get_by_test_id("annual-overdue").count() == 1  # returned: not submitted
    _field(page, "ar-note", "textarea").fill("年内检修停产两周；节能量按第三方监测报告测算。")
    page.get_by_test_id("ar-submit").click()
    _state(page, "submitted", 4)

    _as(page, server, "district")
    page.goto(f"/annual-reports?year={year}")
    page.get_by_test_id("annual-list").wait_for()
    settle(page)
    assert page.locator("[data-col=overdue]").count() >= 1  # the others have not filed
    _review(page, year, own)
    page.get_by_test_id("annual-accept").click()
    _state(page, "accepted", 4)
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
