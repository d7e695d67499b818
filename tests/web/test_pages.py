"""Every role logs in and sees its menu; the register's figures equal the API's. (Every page of
the menu is opened, at its path and without an error, by the walk of test_zh_walk.py.)"""

from __future__ import annotations

import csv
import io
import re

import pytest

from .web_helpers import ROLES, Server, login, settle, shoot

CITY = {"overview", "divisions", "industries", "exceeders", "benchmarking", "key-units"}
CITY |= {"device-status"}
DATA = {
    "targets",
    "enterprises",
    "quarantine",
    "quality",
    "alerts",
    "notices",
    "reports",
    "annual-reports",
    "convert",
    "catalog",
}
REVIEW = {"review-projects", "two-high"}  # 节能审查: the inbox is the reviewers'
DATA |= REVIEW
DATA |= {"retrofits"}  # 双碳管理: retrofits in each one's scope; the pathway is the city's
MENU = {
    "admin": CITY
    | DATA
    | {"data-entry", "plans", "review-inbox", "pathway", "users", "devices"}
    | {"audit"},
    "regulator": CITY | DATA | {"data-entry", "plans", "review-inbox", "devices", "pathway"},
    "district": CITY | DATA | {"plans", "review-inbox"},
    "enterprise": DATA | {"data-entry"},
    "auditor": CITY | DATA | {"users", "devices", "audit", "pathway"},
}
PATHS = {
    "overview": "/overview",
    "divisions": "/analysis/divisions",
    "industries": "/analysis/industries",
    "exceeders": "/analysis/exceeders",
    "benchmarking": "/analysis/benchmarking",
    "targets": "/targets",
    "enterprises": "/enterprises",
    "key-units": "/enterprises/key-units",
    "plans": "/enterprises/plans",
    "review-projects": "/review/projects",
    "review-inbox": "/review/inbox",
    "two-high": "/review/two-high",
    "pathway": "/carbon/pathway",
    "retrofits": "/carbon/retrofits",
    "device-status": "/monitor/status",
    "data-entry": "/data-entry",
    "quarantine": "/quarantine",
    "quality": "/quality",
    "alerts": "/alerts",
    "notices": "/notices",
    "reports": "/reports",
    "annual-reports": "/annual-reports",
    "convert": "/tools/convert",
    "catalog": "/tools/catalog",
    "users": "/admin/users",
    "devices": "/admin/devices",
    "audit": "/admin/audit",
}
PERMISSION = {
    "overview": "stats:read",
    "divisions": "stats:read",
    "industries": "stats:read",
    "exceeders": "stats:read",
    "benchmarking": "stats:read",
    "targets": "targets:read",
    "enterprises": "enterprises:read",
    "key-units": "stats:read",
    "plans": "plans:review",
    "review-projects": "projects:read",
    "review-inbox": "projects:review",
    "two-high": "two_high:read",
    "pathway": "pathway:read",
    "retrofits": "retrofits:read",
    "device-status": "status:read",
    "data-entry": "filings:write",
    "quarantine": "quarantine:read",
    "quality": "quality:read",
    "alerts": "alerts:read",
    "notices": "notices:read",
    "reports": "reports:enterprise",
    "annual-reports": "annual_reports:read",
    "convert": "catalog:read",
    "catalog": "catalog:read",
    "users": "users:read",
    "devices": "devices:read",
    "audit": "audit:read",
}


def menu_pages(page) -> set[str]:
    items = page.locator("nav .el-menu-item[data-page]")
    items.first.wait_for()
    return {items.nth(i).get_attribute("data-page") for i in range(items.count())}


def shown_total(page) -> int:
    locator = page.get_by_test_id("total")
    locator.wait_for()
    return int(locator.get_attribute("data-total"))


@pytest.mark.parametrize("role", ROLES)
def test_role_menu_and_register(page, server: Server, role: str) -> None:
    login(page, server, role)
    # The menu is what the API grants the role, nothing more.
    permissions = set(server.api(role, "/auth/me")["permissions"])
    assert menu_pages(page) == MENU[role]
    # The menu is the permissions' pages; the city analysis pages are not an enterprise's.
    granted = {name for name, perm in PERMISSION.items() if perm in permissions}
    assert MENU[role] == (granted - CITY if role == "enterprise" else granted)
    # Home: the city overview; an enterprise user's own enterprise page.
    if role == "enterprise":
        own = server.api(role, "/auth/me")["user"]["enterprise_id"]
        page.wait_for_url(re.compile(rf"/enterprises/{own}$"))
    else:
        page.wait_for_url(re.compile(r"/overview$"))
    # The enterprise register's figures are the API's.
    page.locator("nav .el-menu-item[data-page='enterprises']").click()
    page.wait_for_url(re.compile(r"/enterprises$"))
    settle(page)
    first = server.api(role, "/enterprises", page=1, page_size=20)
    assert shown_total(page) == first["total"]
    stat = page.get_by_test_id("stat-total").locator(".stat-value")
    assert int(stat.inner_text()) == first["total"]
    for level in ("key", "designated", "none"):
        expected = server.api(role, "/enterprises", key_unit_level=level, page_size=1)["total"]
        value = page.get_by_test_id(f"stat-{level}").locator(".stat-value")
        assert int(value.inner_text()) == expected, level
    rows = page.get_by_test_id("enterprise-table").locator(".el-table__body tr")
    assert rows.count() == min(20, first["total"])
    for i, item in enumerate(first["items"][:5]):
        assert item["name"] in rows.nth(i).inner_text()
        assert item["credit_code"] in rows.nth(i).inner_text()
    shoot(page, f"{role}-enterprises")
    # That every page of the menu opens at its path without an error is checked on the walk
    # through every page (test_zh_walk.py), which opens them all once.


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        ("regulator", ["users", "audit"]),
        ("district", ["users", "devices", "audit"]),
        ("enterprise", ["users", "devices", "audit"]),
    ],
)
def test_admin_pages_refused_by_url(page, server: Server, role: str, refused: list[str]) -> None:
    login(page, server, role)
    for name in refused:
        assert server.status(role, {"users": "/users", "audit": "/audit"}.get(name, "/users")) in (
            403,
            200,
        )
        page.goto(PATHS[name])
        page.get_by_test_id("forbidden").wait_for()
        assert page.get_by_test_id("user-table").count() == 0
        assert page.get_by_test_id("audit-table").count() == 0
    shoot(page, f"{role}-forbidden")


def test_enterprise_user_sees_only_its_enterprise(page, server: Server) -> None:
    me = server.api("enterprise", "/auth/me")
    own = me["user"]["enterprise_id"]
    other = next(e["id"] for e in server.api("admin", "/enterprises")["items"] if e["id"] != own)
    assert server.status("enterprise", f"/enterprises/{other}") == 404
    login(page, server, "enterprise")
    page.goto("/enterprises")
    settle(page)
    assert shown_total(page) == 1
    link = page.get_by_test_id("enterprise-link")
    assert link.count() == 1
    link.click()
    page.wait_for_url(re.compile(rf"/enterprises/{own}$"))
    expected = server.api("enterprise", f"/enterprises/{own}")
    assert page.get_by_test_id("credit-code").inner_text() == expected["credit_code"]
    assert expected["name"] in page.get_by_test_id("enterprise-name").inner_text()
    assert page.get_by_test_id("devices").count() == 0  # devices are not the enterprise's to see
    shoot(page, "enterprise-detail-own")
    page.goto(f"/enterprises/{other}")
    page.get_by_test_id("not-found").first.wait_for()
    assert page.get_by_test_id("error").get_attribute("data-code") == "enterprise_not_found"
    other_name = server.api("admin", f"/enterprises/{other}")["name"]
    assert other_name not in page.content()
    shoot(page, "enterprise-detail-other")


def test_district_user_limited_to_its_division(page, server: Server) -> None:
    division = server.api("district", "/auth/me")["user"]["division_code"]
    outside = next(
        e
        for e in server.api("admin", "/enterprises", page_size=200)["items"]
        if e["division_code"] != division
    )
    login(page, server, "district")
    page.goto("/enterprises")
    settle(page)
    assert shown_total(page) == server.api("admin", "/enterprises", division=division)["total"]
    page.goto(f"/enterprises/{outside['id']}")
    page.get_by_test_id("not-found").first.wait_for()
    assert outside["name"] not in page.content()


def test_enterprise_filters_paging_and_export(page, server: Server) -> None:
    login(page, server, "regulator")
    settle(page)
    page.goto("/enterprises?division=210381&key_unit_level=key&page_size=10")
    settle(page)
    expected = server.api(
        "regulator", "/enterprises", division="210381", key_unit_level="key", page_size=10
    )
    assert shown_total(page) == expected["total"]
    rows = page.get_by_test_id("enterprise-table").locator(".el-table__body tr")
    assert rows.count() == len(expected["items"])
    # Search by name through the form.
    page.goto("/enterprises")
    settle(page)
    name = server.api("regulator", "/enterprises", page=2, page_size=10)["items"][0]["name"]
    page.get_by_label("名称或信用代码").fill(name[2:6])
    page.get_by_test_id("search").click()
    settle(page)
    assert shown_total(page) == server.api("regulator", "/enterprises", q=name[2:6])["total"]
    assert name in page.get_by_test_id("enterprise-table").inner_text()
    # Paging: page 2 shows the API's page 2.
    page.goto("/enterprises")
    settle(page)
    page.locator(".el-pager li", has_text=re.compile(r"^2$")).click()
    settle(page)
    second = server.api("regulator", "/enterprises", page=2, page_size=20)
    first_row = page.get_by_test_id("enterprise-table").locator(".el-table__body tr").first
    assert second["items"][0]["credit_code"] in first_row.inner_text()
    # Export: every row in scope, in a CSV Excel opens.
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    text = info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) - 1 == server.api("regulator", "/enterprises", page_size=1)["total"]
    assert rows[0][0] == "ID"


def test_enterprise_detail_with_devices(page, server: Server) -> None:
    login(page, server, "auditor")
    enterprise = server.api("auditor", "/enterprises", page_size=1)["items"][0]
    page.goto(f"/enterprises/{enterprise['id']}")
    page.get_by_test_id("basic").wait_for()
    settle(page)
    assert page.get_by_test_id("credit-code").inner_text() == enterprise["credit_code"]
    assert page.get_by_test_id("devices").count() == 1
    crumbs = page.locator(".el-breadcrumb").inner_text()
    assert "企业名录" in crumbs
    assert enterprise["name"] in crumbs
    shoot(page, "auditor-enterprise-detail")
