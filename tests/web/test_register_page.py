"""The enterprise register (企业名录): the admin creates an enterprise through the form (a
wrong credit-code check character is refused in the form, in Chinese; a duplicate by the API),
finds it in the list and opens it; the enterprise user changes its own energy manager."""

from __future__ import annotations

import re
from typing import Any

from .review_steps import pick as _pick
from .web_helpers import Server, login, settle, shoot

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_char(first17: str) -> str:
    """GB 32100-2015 4.5, written out here: C18 = 31 - sum(Ci * 3^(i-1) mod 31) mod 31."""
    total = sum(CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CHARS[(31 - total % 31) % 31]


FIRST17 = "91210381MA0WEBT01"
CODE = FIRST17 + check_char(FIRST17)
WRONG = FIRST17 + CHARS[(CHARS.index(CODE[-1]) + 1) % 31]
NAME = "海城网页登记测试有限公司"


def _place(page: Any, dialog: Any) -> None:
    """海城市 and industry 3089 picked, and shown as picked before anything else happens."""
    _pick(page, dialog.get_by_test_id("ent-division"), "海城市")
    dialog.get_by_test_id("ent-division").filter(has_text="海城市").wait_for()
    _pick(page, dialog.get_by_test_id("ent-industry"), re.compile(r"^3089"))
    dialog.get_by_test_id("ent-industry").filter(has_text="3089").wait_for()


def test_admin_creates_an_enterprise(page: Any, server: Server) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, server, "admin")
    page.goto("/enterprises")
    settle(page)
    page.get_by_test_id("add-enterprise").click()
    dialog = page.get_by_test_id("enterprise-dialog")
    dialog.get_by_label("统一社会信用代码").fill(WRONG)
    dialog.get_by_label("企业名称").fill(NAME)  # leaving the code field checks it
    dialog.locator(".el-form-item__error", has_text="统一社会信用代码校验位不正确").wait_for()
    shoot(page, "register-bad-code")
    dialog.get_by_label("统一社会信用代码").fill(CODE.lower())
    dialog.get_by_label("企业名称").click()
    _place(page, dialog)
    dialog.get_by_test_id("mgr-name").fill("王能源")
    dialog.get_by_test_id("mgr-phone").fill("13904121234")
    dialog.get_by_test_id("mgr-cert").fill("辽能管(2024)-0031")
    dialog.get_by_test_id("add-contact").click()
    row = dialog.get_by_test_id("contact-row").first
    row.get_by_label("联系人姓名").fill("李联络")
    row.get_by_label("职务").fill("能源科科长")
    row.get_by_label("联系电话").fill("0412-5551234")
    dialog.get_by_test_id("ent-save").click()
    dialog.wait_for(state="hidden")

    # The list shows it (found by its code); it opens with its register data.
    link = page.get_by_test_id("enterprise-link").filter(has_text=NAME)
    link.wait_for()
    stored = server.api("admin", "/enterprises", q=CODE)["items"]
    assert [(e["credit_code"], e["division_code"], e["industry_code"]) for e in stored] == [
        (CODE, "210381", "3089")
    ]
    link.click()
    page.get_by_test_id("manager-name").filter(has_text="王能源").wait_for()
    assert page.get_by_test_id("credit-code").inner_text() == CODE
    assert page.get_by_test_id("manager-cert").inner_text() == "辽能管(2024)-0031"
    assert "0412-5551234" in page.get_by_test_id("contacts").inner_text()
    shoot(page, "register-detail")

    # The API is the authority: the same code again is refused, its error in the form.
    page.goto("/enterprises")
    settle(page)
    page.get_by_test_id("add-enterprise").click()
    dialog = page.get_by_test_id("enterprise-dialog")
    dialog.get_by_label("统一社会信用代码").fill(CODE)
    dialog.get_by_label("企业名称").fill("重复登记")
    _place(page, dialog)
    dialog.get_by_test_id("ent-save").click()
    # the first refusal shown, from the form or from the API: it must be the API's duplicate
    shown = dialog.locator("[data-testid=error], .el-form-item__error").first
    shown.wait_for()
    assert shown.get_attribute("data-code") == "duplicate_credit_code", shown.inner_text()
    assert "已登记" in shown.inner_text()


def test_enterprise_edits_its_energy_manager(page: Any, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    login(page, server, "enterprise")
    page.goto(f"/enterprises/{own}")
    settle(page)
    assert page.get_by_test_id("edit-enterprise").count() == 0
    page.get_by_test_id("edit-contacts").click()
    dialog = page.get_by_test_id("enterprise-dialog")
    assert dialog.get_by_label("统一社会信用代码").count() == 0  # name, code, division: not here
    dialog.get_by_test_id("mgr-name").fill("周节能")
    dialog.get_by_test_id("mgr-phone").fill("0412-123")
    dialog.get_by_test_id("mgr-cert").fill("AS-2025-118")
    dialog.locator(".el-form-item__error", has_text="电话号码不正确").wait_for()
    dialog.get_by_test_id("mgr-phone").fill("18641200001")
    dialog.get_by_test_id("ent-save").click()
    dialog.wait_for(state="hidden")
    page.get_by_test_id("manager-name").filter(has_text="周节能").wait_for()
    assert page.get_by_test_id("manager-phone").inner_text() == "18641200001"
    manager = server.api("enterprise", f"/enterprises/{own}")["manager"]
    assert manager == {
        "name": "周节能",
        "phone": "18641200001",
        "certificate_number": "AS-2025-118",
        "email": None,
    }
