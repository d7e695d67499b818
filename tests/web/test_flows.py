"""Log-in errors, keyboard and language; the administration and tool pages against the API."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from .web_helpers import Server, login, settle, shoot


def test_login_errors_in_the_api_shape(page, server: Server) -> None:
    page.goto("/login")
    page.get_by_test_id("login-submit").click()
    page.get_by_text("请输入用户名").wait_for()
    page.get_by_text("请输入密码").wait_for()
    page.get_by_label("用户名").fill("nobody-here")
    page.get_by_label("密码", exact=True).fill("wrong-password")
    page.get_by_test_id("login-submit").click()
    alert = page.get_by_test_id("error")
    alert.wait_for()
    api = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "nobody-here", "password": "wrong-password"},
        headers={"Accept-Language": "zh-CN"},  # as the page sends it
    ).json()["error"]
    assert alert.get_attribute("data-code") == api["code"]
    assert api["message"] == "用户名或密码错误"
    assert api["message"] in alert.inner_text()
    assert page.get_by_role("alert").count() >= 1
    shoot(page, "login-error")


def test_keyboard_only_login(page, server: Server) -> None:
    page.goto("/login")
    page.get_by_label("用户名").wait_for()
    page.locator("body").focus()
    for _ in range(12):  # Tab until the username field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "login-username":
            break
    assert page.evaluate("document.activeElement.id") == "login-username"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    box = page.evaluate(
        "getComputedStyle(document.activeElement.closest('.el-input__wrapper')).boxShadow"
    )
    assert outline != "none" or box != "none"  # the focus is visible
    page.keyboard.type(server.username("regulator"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "login-password"
    page.keyboard.type(server.passwords["regulator"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/overview$"))
    # The skip link is the first stop and moves the focus to the main region.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_persists(page, server: Server) -> None:
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_test_id("language").click()
    page.get_by_role("option", name="English").click()
    page.get_by_label("Username").fill(server.username("district"))
    page.get_by_label("Password", exact=True).fill(server.passwords["district"])
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("logout").wait_for()
    assert "Log out" in page.get_by_test_id("logout").inner_text()
    assert page.get_by_test_id("role").inner_text() == "District regulator"
    page.wait_for_url(re.compile(r"/overview$"))
    page.goto("/enterprises")
    settle(page)
    page.reload()
    settle(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Enterprise register" in page.locator(".el-breadcrumb").inner_text()
    assert "Key units" in page.get_by_test_id("stat-key").inner_text()
    shoot(page, "district-enterprises-en")
    page.get_by_test_id("language").click()
    page.get_by_role("option", name="中文").click()
    assert "退出登录" in page.get_by_test_id("logout").inner_text()


def test_deep_link_survives_login_and_reload(page, server: Server) -> None:
    enterprise = server.api("admin", "/enterprises", page=2, page_size=1)["items"][0]
    page.goto(f"/enterprises/{enterprise['id']}")
    page.wait_for_url(re.compile(r"/login\?redirect="))
    page.get_by_label("用户名").fill(server.username("admin"))
    page.get_by_label("密码", exact=True).fill(server.passwords["admin"])
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(rf"/enterprises/{enterprise['id']}$"))
    page.get_by_test_id("credit-code").wait_for()
    page.reload()
    assert page.get_by_test_id("credit-code").inner_text() == enterprise["credit_code"]
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/login"))


def test_serving_headers(server: Server) -> None:
    index = httpx.get(f"{server.url}/admin/users")
    assert index.status_code == 200
    assert index.headers["cache-control"] == "no-cache"
    asset = re.search(r'src="(/assets/index-[^"]+\.js)"', index.text).group(1)
    hashed = httpx.get(f"{server.url}{asset}", headers={"Accept-Encoding": "gzip"})
    assert hashed.status_code == 200
    assert "immutable" in hashed.headers["cache-control"]
    assert hashed.headers["content-type"].startswith("text/javascript")
    assert httpx.get(f"{server.url}/assets/missing-0000.js").status_code == 404
    api = httpx.get(f"{server.url}/api/v1/no/such/route")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    assert httpx.get(f"{server.url}/api/v1").json()["links"]["openapi"] == "/api/v1/openapi.json"


def test_convert_tool(page, server: Server) -> None:
    login(page, server, "enterprise")
    page.locator("nav .el-menu-item[data-page='convert']").click()
    page.get_by_test_id("convert-submit").click()
    page.get_by_test_id("convert-result").wait_for()
    expected = server.api("enterprise", "/convert", value=1200, unit="t", energy="coke")
    assert float(page.get_by_test_id("tce").inner_text().replace(",", "")) == expected["tce"]
    assert page.get_by_test_id("coefficient").inner_text() == str(expected["coefficient"])
    assert page.get_by_test_id("convert-source").inner_text() == expected["source"]
    status = page.get_by_test_id("convert-status").locator("[data-status]")
    assert status.get_attribute("data-status") == expected["status"]
    shoot(page, "convert-result")
    # A unit of the wrong dimension: the API's error, shown with its code.
    page.get_by_test_id("c-unit").click()
    page.keyboard.type("kWh")
    page.keyboard.press("Enter")
    page.get_by_test_id("convert-submit").click()
    alert = page.get_by_test_id("error")
    alert.wait_for()
    assert alert.get_attribute("data-code") == "unit_dimension_mismatch"
    shoot(page, "convert-error")


def test_catalog_marks_unverified_values(page, server: Server) -> None:
    login(page, server, "district")
    page.goto("/tools/catalog")
    tabs = {
        "energy-kinds": "能源品种及折标系数",
        "quotas": "单位产品能耗限额",
        "emission-factors": "排放因子",
        "divisions": "行政区划",
        "industries": "行业分类",
    }
    for section, label in tabs.items():
        page.get_by_role("tab", name=label).click()
        page.wait_for_url(re.compile(rf"section={section}"))
        settle(page)
        items = server.api("district", f"/catalog/{section}")["items"]

        def unverified(item: dict) -> bool:
            values = [item.get("status")]
            values += [v.get("status") for v in item.values() if isinstance(v, dict)]
            return "unverified" in values

        count = page.get_by_test_id("catalog-count")
        assert int(count.get_attribute("data-count")) == len(items), section
        assert int(count.get_attribute("data-unverified")) == sum(map(unverified, items))
        marked = page.locator("[data-testid=catalog-table] .el-table__body tr.row-unverified")
        assert marked.count() == sum(map(unverified, items)), section
        if section == "quotas":
            shoot(page, "catalog-quotas")


def test_device_credentials_issue_and_revoke(page, server: Server) -> None:
    enterprise = server.api("admin", "/enterprises", page=3, page_size=1)["items"][0]
    login(page, server, "regulator")
    page.goto(f"/admin/devices?enterprise={enterprise['id']}")
    settle(page)
    before = shown = int(page.get_by_test_id("total").get_attribute("data-total"))
    assert shown == server.api("admin", f"/enterprises/{enterprise['id']}/devices")["total"]
    page.get_by_test_id("issue").click()
    page.get_by_label("标签").fill("1号网关")
    page.get_by_test_id("issue-submit").click()
    secret_box = page.locator("#d-secret")
    secret_box.wait_for()
    secret = secret_box.input_value()
    key_id = page.get_by_test_id("issued-key").inner_text()
    assert len(secret) >= 20
    listed = server.api("admin", f"/enterprises/{enterprise['id']}/devices")["items"]
    assert any(d["key_id"] == key_id and d["label"] == "1号网关" for d in listed)
    assert all("secret" not in d for d in listed)
    shoot(page, "device-issued")
    page.get_by_test_id("issued-close").click()
    page.get_by_test_id("issued").wait_for(state="detached")
    assert secret not in page.content()  # shown once
    settle(page)
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == before + 1
    page.get_by_role("button", name=f"吊销 {key_id}").click()
    page.locator(".el-message-box").get_by_role("button", name="吊销").click()
    page.get_by_role("button", name=f"吊销 {key_id}").wait_for(state="detached")
    revoked = next(
        d
        for d in server.api("admin", f"/enterprises/{enterprise['id']}/devices")["items"]
        if d["key_id"] == key_id
    )
    assert revoked["active"] is False
    assert revoked["revoked_at"]


def test_users_create_edit_deactivate(page, server: Server) -> None:
    login(page, server, "admin")
    page.goto("/admin/users")
    settle(page)
    expect(page.get_by_test_id("total")).to_have_attribute(
        "data-total", str(server.api("admin", "/users")["total"])
    )
    page.get_by_test_id("create-user").click()
    form = page.get_by_test_id("user-form")
    form.get_by_label("用户名").fill("web-district")
    form.get_by_label("姓名").fill("王科长")
    form.locator(".el-select:has(#uf-role)").click()
    page.get_by_role("option", name="区县监管").click()
    form.locator(".el-select:has(#uf-division)").click()
    page.get_by_role("option", name=re.compile(r"海城市")).click()
    form.get_by_label("初始密码").fill("Str0ng-pass-web")
    shoot(page, "user-create")
    page.get_by_test_id("save-user").click()
    page.get_by_test_id("user-form").wait_for(state="hidden")
    settle(page)
    users = server.api("admin", "/users", page_size=200)["items"]
    created = next(u for u in users if u["username"] == "web-district")
    assert (created["role"], created["division_code"]) == ("district", "210381")
    assert created["display_name"] == "王科长"
    row = page.locator("[data-testid=user-table] .el-table__body tr", has_text="web-district")
    assert "海城市" in row.inner_text()
    # A bad change is refused with the API's message (district without division).
    page.get_by_role("button", name="编辑 web-district").click()
    page.get_by_test_id("user-form").locator("#uf-display").fill("王处长")
    page.get_by_test_id("save-user").click()
    page.get_by_test_id("user-form").wait_for(state="hidden")
    settle(page)
    assert server.api(
        "admin", f"/users/{created['id']}".replace("/users/", "/users?page_size=200#")
    )
    page.get_by_role("button", name="停用 web-district").click()
    page.locator(".el-message-box").get_by_role("button", name="确定").click()
    page.get_by_role("button", name="启用 web-district").wait_for()
    users = server.api("admin", "/users", page_size=200)["items"]
    changed = next(u for u in users if u["username"] == "web-district")
    assert changed["display_name"] == "王处长"
    assert changed["active"] is False


def test_auditor_reads_but_does_not_write(page, server: Server) -> None:
    login(page, server, "auditor")
    page.goto("/admin/users")
    settle(page)
    assert page.get_by_test_id("create-user").count() == 0
    assert page.get_by_test_id("edit-user").count() == 0
    page.goto("/admin/audit")
    settle(page)
    page.get_by_label("操作人").fill("demo-admin")
    page.get_by_test_id("search").click()
    settle(page)
    expected = server.api("auditor", "/audit", actor="demo-admin", page_size=20)
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == expected["total"]
    actors = page.locator(
        "[data-testid=audit-table] .el-table__body tr.el-table__row td:nth-child(4)"
    )
    assert {actors.nth(i).inner_text() for i in range(actors.count())} <= {"demo-admin"}
    shoot(page, "auditor-audit")


def test_catalog_equal_values_set_by_an_administrator(page, server: Server) -> None:
    login(page, server, "admin")
    page.goto("/tools/catalog?section=equal-values")
    settle(page)
    page.get_by_test_id("equal-set").click()
    page.get_by_test_id("equal-year").locator("input").fill("2019")
    page.get_by_test_id("equal-year").locator("input").press("Tab")
    page.get_by_test_id("equal-value").locator("input").fill("0.3064")
    page.get_by_test_id("equal-value").locator("input").press("Tab")
    page.get_by_test_id("equal-source").fill("中电联 2019 年统计快报")
    page.get_by_test_id("equal-save").click()
    row = page.locator("[data-testid=equal-table] .el-table__body tr", has_text="2019")
    expect(row).to_contain_text("管理员设定")
    expect(row).to_contain_text("0.3064")
    years = {y["year"]: y for y in server.api("regulator", "/catalog/equal-values")["years"]}
    assert (years[2019]["value"], years[2019]["origin"]) == (0.3064, "administrator")
    shoot(page, "catalog-equal-values")


def test_catalog_equal_values_read_only_and_hidden(page, server: Server) -> None:
    login(page, server, "regulator")
    page.goto("/tools/catalog?section=equal-values")
    settle(page)
    expect(page.get_by_test_id("equal-table")).to_be_visible()
    expect(page.get_by_test_id("equal-set")).to_have_count(0)
    expect(page.get_by_test_id("equal-table")).to_contain_text("已发布")  # the packaged 2010
    page.context.clear_cookies()
    login(page, server, "enterprise")
    page.goto("/tools/catalog")
    settle(page)
    expect(page.get_by_role("tab", name="电力等价值（按年）")).to_have_count(0)
