"""The whole life of a new enterprise in the browser, as the admin, the enterprise and the
district regulator (one browser, a context each): the admin registers the enterprise and its
user; the enterprise imports its items from XLSX and submits the plan; the district returns
it, the enterprise fixes an item and submits again, the district approves it; the admin issues
a device key on 设备密钥 and a gateway (this test, over HTTP) sends a signed upload; the
enterprise sees the figure, reports a fault and files the month; the annual report is
submitted, returned, resubmitted and accepted; the district sends a notice that the
enterprise reads. The API side of the same life is tests/api/test_enterprise_life.py."""

from __future__ import annotations

import io
import json
import re
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import openpyxl

from nenghao.ingest.signing import signed_headers
from nenghao.store.credit_code import make_credit_code

from .conftest import opened
from .review_steps import pick, plan_card, report_field, report_state, review_plan
from .web_helpers import Server, last_complete_month, login, login_as, ready, settle, shoot

CST = ZoneInfo("Asia/Shanghai")
NAME = "鞍山全程新材料有限公司"
USER, PASSWORD = "life-energy-manager", "life-of-a-firm-7"
METER, RENAMED, OUTPUT = "全厂电力消耗", "全厂电力消耗（关口表）", "工业总产值"
PLAN_COMMENT = "电力名称请写明关口表"
REPORT_COMMENT = "请补充节能措施的实施效果"
KWH_PER_HOUR, HOURS = 2000.0, 6
TCE_PER_KWH = 0.1229 / 1000  # GB/T 2589-2020 Appendix A: electricity, equivalent value
VIEWPORT = {"width": 1440, "height": 900}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _items_workbook(valid_from: str) -> bytes:
    """The item list: grid electricity at the fence (hourly) and the output value (monthly,
    filed by hand), both in force from `valid_from`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据项"
    sheet.append(["数据项名称", "计量对象", "能源品种", "单位", "统计周期", "人工填报", "生效日期"])
    sheet.append([METER, "能源", "电力", "kWh", "小时", "否", valid_from])
    sheet.append([OUTPUT, "工业总产值", None, "万元", "月", "是", valid_from])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _register(page: Any, code: str, division_name: str) -> None:
    """As the admin: the enterprise through the register's form."""
    page.goto("/enterprises")
    settle(page)
    page.get_by_test_id("add-enterprise").click()
    dialog = page.get_by_test_id("enterprise-dialog")
    dialog.get_by_label("统一社会信用代码").fill(code)
    dialog.get_by_label("企业名称").fill(NAME)
    pick(page, dialog.get_by_test_id("ent-division"), division_name)
    dialog.get_by_test_id("ent-industry").click()
    page.keyboard.type("3089")
    page.get_by_role("option", name=re.compile(r"^3089")).first.click()
    dialog.get_by_test_id("mgr-name").fill("李工")
    dialog.get_by_test_id("mgr-phone").fill("13904120001")
    dialog.get_by_test_id("ent-save").click()
    dialog.wait_for(state="hidden")
    page.get_by_test_id("enterprise-link").filter(has_text=NAME).wait_for()


def _add_user(page: Any, code: str) -> None:
    """As the admin: the enterprise's user on the users page (the enterprise found by code)."""
    page.goto("/admin/users")
    settle(page)
    page.get_by_test_id("create-user").click()
    form = page.get_by_test_id("user-form")
    form.get_by_label("用户名").fill(USER)
    form.get_by_label("姓名").fill("李工")
    pick(page, form.locator(".el-select:has(#uf-role)"), "企业用户")
    form.locator(".el-select:has(#uf-enterprise)").click()
    page.keyboard.type(code)
    page.get_by_role("option", name=re.compile(re.escape(code))).click()
    form.get_by_label("初始密码").fill(PASSWORD)
    page.get_by_test_id("save-user").click()
    form.wait_for(state="hidden")
    page.locator("[data-testid=user-table] .el-table__body tr", has_text=USER).wait_for()


def _items_row(page: Any, text: str) -> Any:
    return page.locator("[data-testid=items-table] .el-table__body tr", has_text=text).first


def _issue_key(page: Any, enterprise_id: int) -> tuple[str, str]:
    """As the admin on 设备密钥: a new key; its id and the secret shown once."""
    page.goto(f"/admin/devices?enterprise={enterprise_id}")
    settle(page)
    page.get_by_test_id("issue").click()
    page.get_by_label("标签").fill("网关1")
    page.get_by_test_id("issue-submit").click()
    secret_box = page.locator("#d-secret")
    secret_box.wait_for()
    secret, key_id = secret_box.input_value(), page.get_by_test_id("issued-key").inner_text()
    page.get_by_test_id("issued-close").click()
    page.get_by_test_id("issued").wait_for(state="detached")
    return key_id, secret


def _upload(server: Server, code: str, key_id: str, secret: str, item: str, month: str) -> None:
    """As the gateway: HOURS hourly readings of the 15th of `month` (08:00 CST on), signed."""
    first = datetime.strptime(f"{month}-15 08:00", "%Y-%m-%d %H:%M").replace(tzinfo=CST)
    records = [
        {"item": item, "period": "hour", "unit": "kWh", "value": KWH_PER_HOUR}
        | {"start": (first + timedelta(hours=h)).isoformat()}
        for h in range(HOURS)
    ]
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": code,
            "device_id": key_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "message_id": "life-web-1",
            "records": records,
        }
    ).encode()
    headers = signed_headers(key_id, secret.encode(), "POST", "/api/v1/uplink", body)
    answer = httpx.post(f"{server.url}/api/v1/uplink", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["accepted"] * HOURS


def _fill_report(page: Any) -> None:
    """As the enterprise: the parts of the annual report a submission needs."""
    page.get_by_test_id("ar-add-measure").click()
    report_field(page, "ar-measure-0", "textarea").fill("空压机变频改造")
    report_field(page, "ar-manager").fill("李工")
    report_field(page, "ar-phone").fill("13904120001")
    page.get_by_test_id("ar-system").get_by_text("是", exact=True).click()
    report_field(page, "ar-metering").fill("95")
    report_field(page, "ar-metering").press("Tab")
    page.get_by_test_id("ar-statement").click()


def _open_report(page: Any, year: int, enterprise_id: int) -> None:
    page.goto(f"/annual-reports?year={year}&enterprise={enterprise_id}")
    page.get_by_test_id("annual-report").wait_for()
    settle(page)


def test_the_life_of_an_enterprise_in_the_browser(browser: Any, server: Server) -> None:
    division = server.api("district", "/auth/me")["user"]["division_code"]
    division_name = next(
        d["name_zh"]
        for d in server.api("admin", "/catalog/divisions")["items"]
        if d["code"] == division
    )
    code = make_credit_code(division, "MA0QC0W01")
    month = last_complete_month()
    year = datetime.now(CST).year - 1
    with ExitStack() as stack:
        admin, firm, district = (
            stack.enter_context(opened(browser, server, viewport=VIEWPORT)) for _ in range(3)
        )

        # 1. The admin registers the enterprise and its user.
        login(admin, server, "admin")
        _register(admin, code, division_name)
        [record] = server.api("admin", "/enterprises", q=code)["items"]
        own = record["id"]
        assert (record["name"], record["division_code"]) == (NAME, division)
        _add_user(admin, code)

        # 2. The enterprise imports its items from XLSX and submits the plan.
        login_as(firm, USER, PASSWORD)
        firm.goto(f"/enterprises/{own}?tab=items")
        ready(firm, "items")
        firm.get_by_test_id("item-import-file").set_input_files(
            {"name": "数据项.xlsx", "mimeType": XLSX, "buffer": _items_workbook(f"{month}-01")}
        )
        firm.get_by_test_id("item-import-submit").click()
        firm.locator(
            "[data-testid=import-summary] [data-status=accepted][data-count='2']"
        ).wait_for()
        _items_row(firm, OUTPUT).wait_for()
        assert _items_row(firm, METER).get_by_test_id("item-approval").inner_text() == "待审核"
        plan_card(firm, "draft").get_by_test_id("plan-submit").click()
        plan_card(firm, "submitted")

        # 3. The district returns the plan; the enterprise renames the meter and submits
        # again; the district approves.
        login(district, server, "district")
        review_plan(district, own, "return", PLAN_COMMENT)
        plan_card(district, "returned")
        firm.reload()
        assert (
            PLAN_COMMENT in plan_card(firm, "returned").get_by_test_id("plan-comment").inner_text()
        )
        _items_row(firm, METER).get_by_test_id("item-change").click()
        dialog = firm.get_by_test_id("item-dialog")
        dialog.get_by_label("数据项名称").fill(RENAMED)
        dialog.get_by_label("原因").fill("按审核意见改名")
        dialog.get_by_test_id("item-save").click()
        _items_row(firm, RENAMED).wait_for()
        plan_card(firm, "returned").get_by_test_id("plan-submit").click()
        assert "第 2 版" in plan_card(firm, "submitted").get_by_test_id("plan-version").inner_text()
        review_plan(district, own, "approve", "同意")
        plan_card(district, "approved")
        firm.reload()
        plan_card(firm, "approved")
        ready(firm, "items")
        assert firm.get_by_test_id("item-approval").count() == 0
        meter = next(
            i
            for i in server.api("admin", f"/enterprises/{own}/items")["items"]
            if i["name"] == RENAMED
        )

        # 4. The admin issues a device key; the gateway sends a signed upload.
        key_id, secret = _issue_key(admin, own)
        assert len(secret) >= 20
        _upload(server, code, key_id, secret, meter["code"], month)

        # 5. The enterprise sees the month's figure: the tce of the uploaded kWh.
        expected = HOURS * KWH_PER_HOUR * TCE_PER_KWH
        firm.goto(f"/enterprises/{own}?tab=energy")
        figure = firm.locator("[data-testid=ent-month-tce] .value:not([data-value=''])")
        figure.wait_for()
        settle(firm)
        assert month in firm.get_by_test_id("ent-month-tce").inner_text()
        assert abs(float(figure.get_attribute("data-value")) - expected) < 1e-9
        assert figure.inner_text() == f"{expected:.2f}"
        shoot(firm, "life-figure")

        # 6. The enterprise reports a fault; the district sees it.
        now = datetime.now(CST)
        firm.goto(f"/enterprises/{own}?tab=status")
        ready(firm, "enterprise-status")
        settle(firm)
        firm.get_by_test_id("report-fault").click()
        dialog = firm.get_by_test_id("fault-dialog")
        dialog.get_by_test_id("fault-text").fill("网关通信中断")
        dialog.get_by_test_id("fault-start").fill(
            (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        )
        dialog.get_by_test_id("fault-due").fill((now + timedelta(days=2)).strftime("%Y-%m-%d"))
        dialog.get_by_test_id("fault-submit").click()
        firm.get_by_test_id("faults-table").locator("tr", has_text="网关通信中断").wait_for()
        faults = server.api("district", "/faults")["items"]
        assert own in {f["enterprise_id"] for f in faults}

        # 7. The enterprise files the month: electricity beside its online figure, output value.
        firm.goto("/data-entry")
        firm.get_by_test_id("filing").wait_for()
        settle(firm)
        lines = firm.get_by_test_id("filing-lines")
        electricity = lines.locator("tr", has_text="电力").first
        online = f"{HOURS * KWH_PER_HOUR:,.0f} kWh"
        assert online in electricity.get_by_test_id("filing-online").inner_text()
        electricity.get_by_test_id("filing-value-energy-electricity").locator("input").fill("12000")
        firm.get_by_test_id("filing-value-output_value-").locator("input").fill("1250")
        firm.get_by_test_id("filing-submit").click()
        firm.get_by_test_id("filing-saved").wait_for()
        filed = server.api("admin", f"/enterprises/{own}/filings", period=month)["items"]
        assert [f["label"] for f in filed] == [month]

        # 8. The annual report: submitted, returned, resubmitted, accepted.
        _open_report(firm, year, own)
        report_state(firm, "draft", 0)
        _fill_report(firm)
        firm.get_by_test_id("ar-submit").click()
        report_state(firm, "submitted", 2)
        _open_report(district, year, own)
        district.get_by_test_id("annual-return").click()
        report_field(district, "ar-comment", "textarea").fill(REPORT_COMMENT)
        district.get_by_test_id("ar-return-confirm").click()
        report_state(district, "returned", 2)
        _open_report(firm, year, own)
        report_state(firm, "returned", 2)
        assert REPORT_COMMENT in firm.get_by_test_id("annual-comment").inner_text()
        firm.get_by_test_id("ar-add-measure").click()
        report_field(firm, "ar-measure-1", "textarea").fill("余热回收利用")
        firm.get_by_test_id("ar-submit").click()
        report_state(firm, "submitted", 4)
        _open_report(district, year, own)
        district.get_by_test_id("annual-accept").click()
        report_state(district, "accepted", 4)

        # 9. The district sends a notice to its division; the enterprise reads it.
        title = "关于报送能源利用状况报告的通知"
        district.goto("/notices")
        ready(district, "notices-table")
        district.get_by_test_id("notice-compose").click()
        dialog = district.get_by_test_id("compose-dialog")
        dialog.get_by_test_id("notice-title-input").fill(title)
        dialog.get_by_test_id("notice-body-input").fill("请按时报送上一年度能源利用状况报告。")
        dialog.get_by_test_id("notice-send").click()
        sent = district.get_by_test_id("notices-table").locator("tr.el-table__row", has_text=title)
        sent.first.wait_for()
        firm.goto("/notices")  # the unread notice is shown on arrival
        firm.get_by_test_id("unread-dialog").get_by_test_id("unread-item").filter(
            has_text=title
        ).click()
        ready(firm, "notice-view")
        assert (
            firm.get_by_test_id("notice-view").get_by_test_id("notice-title").inner_text() == title
        )
        notice_id = int(parse_qs(urlsplit(firm.url).query)["open"][0])
        receipts = server.api("district", f"/notices/{notice_id}/receipts")
        assert [r["enterprise_name"] for r in receipts["read"]] == [NAME]
