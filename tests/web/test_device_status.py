"""The device online status page and fault reports (故障报备): the regulator sees the offline
enterprises of the demo city (its data stops yesterday) in the district grid and the list;
an enterprise reports a fault on its status tab; the regulator sees it beside the enterprise
and, its expected repair date being past, among the overdue repairs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .web_helpers import Server, login, ready, settle, shoot


def rows(page, testid: str):
    return page.get_by_test_id(testid).locator(".el-table__body-wrapper tr.el-table__row")


def test_offline_grid_fault_report_and_overdue(page, server: Server) -> None:
    login(page, server, "regulator")
    page.locator("nav .el-menu-item[data-page='device-status']").click()
    ready(page, "device-status")
    settle(page)
    grid = server.api("regulator", "/status/districts")["districts"]
    offline = [d for d in grid if d["offline"] + d["offline_long"] > 0]
    assert offline, "the demo city's data stops yesterday: some enterprise is offline"
    tiles = page.get_by_test_id("district-grid").locator("button.tile")
    assert tiles.count() == len(grid)
    cell = offline[0]
    tile = page.locator(f"button.tile[data-division='{cell['division_code']}']")
    assert cell["division_name"] in tile.inner_text()
    assert f"{cell['offline_long']}" in tile.get_by_test_id("tile-long").inner_text()
    tile.click()  # the list shows that district only
    listing = server.api("regulator", "/status/enterprises", division=cell["division_code"])
    page.get_by_text(f"共 {listing['total']} 家").wait_for()
    ready(page, "device-status")
    settle(page)
    shown = rows(page, "status-table")
    assert shown.count() == min(20, listing["total"])
    assert shown.locator("[data-state^='offline']").count() >= 1
    shoot(page, "regulator-device-status")

    own = server.api("enterprise", "/auth/me")["scope"]["enterprise_id"]
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    start = (now - timedelta(days=6)).strftime("%Y-%m-%dT%H:%M")
    due = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    page.context.clear_cookies()
    login(page, server, "enterprise")
    page.goto(f"/enterprises/{own}?tab=status")
    ready(page, "enterprise-status")
    settle(page)
    page.get_by_test_id("enterprise-state").wait_for()
    page.get_by_test_id("report-fault").click()
    dialog = page.get_by_test_id("fault-dialog")
    dialog.get_by_test_id("fault-text").fill("光纤被挖断")
    dialog.get_by_test_id("fault-start").fill(start)
    dialog.get_by_test_id("fault-due").fill(due)
    dialog.get_by_test_id("fault-submit").click()
    rows(page, "faults-table").filter(has_text="光纤被挖断").wait_for()
    assert "通信中断" in rows(page, "faults-table").first.inner_text()
    shoot(page, "enterprise-fault-report")

    reports = server.api("regulator", "/faults", overdue="true")
    assert [r["enterprise_id"] for r in reports["items"]] == [own]
    page.context.clear_cookies()
    login(page, server, "regulator")
    page.goto("/monitor/status")
    ready(page, "device-status")
    settle(page)
    page.get_by_test_id("overdue-tab").click()
    overdue = rows(page, "overdue-table")
    overdue.filter(has_text="光纤被挖断").wait_for()
    assert overdue.count() == 1
    assert reports["items"][0]["enterprise_name"] in overdue.first.inner_text()
    assert "逾期 2 天" in overdue.first.inner_text()
