"""The carbon-peak pathway in the browser: the regulator opens 双碳管理 › 碳达峰路径 on the demo
city, sees both demo scenarios with their peaks and the chart, opens the business-as-usual
scenario and adds a growth assumption, which the API then holds (and audits)."""

from __future__ import annotations

from typing import Any

from .web_helpers import Server, login, settle, shoot


def test_pathway_and_an_assumption(page: Any, server: Server) -> None:
    login(page, server, "regulator")
    page.goto("/carbon/pathway")
    settle(page)
    page.locator("[data-testid=pathway][data-ready=true]").wait_for()
    assert page.get_by_test_id("pathway-chart").is_visible()
    links = page.get_by_test_id("scenario-link")
    assert links.count() == 2
    assert "基准情景" in links.first.inner_text()
    assert page.get_by_test_id("peak-year").count() == 2
    assert page.get_by_role("menuitem", name="碳达峰路径").is_visible()
    shoot(page, "pathway")

    links.first.click()
    page.locator("[data-testid=scenario][data-ready=true]").wait_for()
    rows = page.locator("[data-testid=assumptions] .el-table__body tr")
    before = rows.count()
    page.get_by_test_id("add-assumption").click()
    page.get_by_test_id("save-assumption").click()
    page.get_by_test_id("save-assumption").wait_for(state="hidden")
    settle(page)
    assert rows.count() == before + 1
    assert page.get_by_test_id("scenario-peak").inner_text().startswith("达峰年份")
    shoot(page, "pathway-scenario")
    scenario_id = int(page.url.rsplit("/", 1)[-1])
    detail = server.api("regulator", f"/pathway/scenarios/{scenario_id}")
    assert len(detail["scenario"]["assumptions"]) == before + 1
