"""The 数据项 tab of the enterprise detail page as the enterprise user: the rows are the API's
items, an item added through the form (with the proposed code) is listed, and a change of its
name with a reason becomes a new version, a unit change under stored readings shows the API's
error; at 390 px the table scrolls inside its card."""

from __future__ import annotations

from typing import Any

from .web_helpers import Server, login, ready, settle, shoot

NAME = "二号变压器电力"
RENAMED = "二号主变电力"
REASON = "更换电能表"
ROWS = "[data-testid=items-table] .el-table__body tr"


def _rows(page: Any, testid: str) -> list[str]:
    cells = page.locator(f"[data-testid=items-table] .el-table__body [data-testid={testid}]")
    return cells.all_inner_texts()


def test_items_tab_add_and_change(page: Any, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    listed = server.api("enterprise", f"/enterprises/{own}/items", page_size=200)["items"]
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, server, "enterprise")
    page.goto(f"/enterprises/{own}?tab=items")
    ready(page, "items")
    assert _rows(page, "item-row-code") == [i["code"] for i in listed]
    assert _rows(page, "item-row-name") == [i["name"] for i in listed]
    assert page.get_by_role("tab", name="数据项").count() == 1

    # Add: the default attributes (electricity bought at the fence); the code is proposed.
    page.get_by_test_id("item-add").click()
    dialog = page.get_by_test_id("item-dialog")
    dialog.get_by_label("数据项名称").fill(NAME)
    proposed = dialog.get_by_test_id("item-proposed")
    page.wait_for_function(
        "() => /^ent\\.electricity/.test("
        "document.querySelector('[data-testid=item-proposed]').textContent)"
    )
    code = proposed.inner_text().strip()
    dialog.get_by_test_id("item-save").click()
    row = page.locator(ROWS, has_text=code).first
    row.wait_for()
    assert NAME in row.inner_text()
    shoot(page, "items-tab")

    # Change the name from today with a reason.
    row.get_by_test_id("item-change").click()
    dialog = page.get_by_test_id("item-dialog")
    dialog.get_by_label("数据项名称").fill(RENAMED)
    dialog.get_by_label("原因").fill(REASON)
    dialog.get_by_test_id("item-save").click()
    page.locator(ROWS, has_text=RENAMED).first.wait_for()
    item = next(
        i
        for i in server.api("enterprise", f"/enterprises/{own}/items", q=code)["items"]
        if i["code"] == code
    )
    versions = server.api("enterprise", f"/enterprises/{own}/items/{item['id']}/versions")
    assert [v["attributes"]["name"] for v in versions["versions"]] == [NAME, RENAMED]
    assert versions["versions"][-1]["reason"] == REASON

    # A field that interprets stored readings cannot change: the API's error in the dialog.
    metered = page.locator(ROWS, has_text="ent.electricity")
    metered.first.get_by_test_id("item-change").click()
    dialog = page.get_by_test_id("item-dialog")
    dialog.get_by_label("单位").fill("MWh")
    dialog.get_by_test_id("item-save").click()
    dialog.locator("[data-testid=error][data-code=item_has_readings]").wait_for()
    dialog.get_by_role("button", name="取消").click()

    # Narrow: the page does not overflow; the table scrolls inside its card.
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "items-tab-390")
