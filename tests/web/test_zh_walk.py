"""A walk through the dashboard in zh-CN: every role, every page of its menu (read from the
menu itself, so pages added later are walked too) and one enterprise's page with each tab.
Visible text must be Chinese: a Latin word outside the short allow-list below fails, with the
role, the page and the words found. Codes shown on purpose as secondary text (a credit code,
an item or product code, a reason code, a file name, an account name, a catalogue source)
sit in markup marked ``translate="no"``, which the walk skips, as a translator would. The
review's detail pages are walked too: the demo's approved and commissioned project with each
tab (评估, 审查流程, 材料, 投产后) and a two-high installation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .test_pages import PATHS
from .web_helpers import ROLES, Server, login, settle, shoot

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
ALLOWED = {
    # units as officials write them, in Chinese text too
    *("tce", "kgce", "kWh", "MWh", "GJ", "MJ", "kJ", "kcal", "kV", "t", "h", "kg", "m3", "Nm3"),
    *("tCO2", "CO2", "kgCO2", "tC", "MPa"),
    # chemical formulas in names of materials (菱镁矿 MgCO3)
    *("MgCO3", "MgO", "CaCO3"),
    # standard numbers (GB/T 2589, DB21/T ...)
    *("GB", "T", "DB"),
    # equipment named so in Chinese plants' own item names (TRT发电量: 高炉煤气余压透平发电)
    "TRT",
    # file formats and the interface, named so in Chinese too
    *("CSV", "XLSX", "PDF", "DOCX", "PNG", "JPEG", "API", "ID", "JSON", "MQTT", "HTTPS", "UTF"),
    # file sizes
    *("KB", "MB"),
    # the language switch offers English by its own name
    "English",
}
"""Latin words that belong in Chinese text: units, standard numbers, formats, the switch."""

VISIBLE_TEXT = """() => {
  const parts = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement
    if (!el || !node.textContent.trim()) continue
    if (el.closest('[translate="no"], script, style, noscript, svg')) continue
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue
    parts.push(node.textContent.trim())
  }
  for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (input.checkVisibility() && !input.closest('[translate="no"]')) parts.push(input.placeholder)
  }
  return parts.join('\\n')
}"""


def latin_words(page: Any) -> set[str]:
    """The Latin words of the page's visible text outside the allow-list."""
    text = page.evaluate(VISIBLE_TEXT)
    return {word for word in LATIN.findall(text) if word not in ALLOWED}


def menu_pages(page: Any) -> list[str]:
    """The names of the pages in the left menu, as the menu shows them."""
    items = page.locator("nav .el-menu-item[data-page]")
    items.first.wait_for()
    return [items.nth(i).get_attribute("data-page") for i in range(items.count())]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_chinese(page: Any, server: Server, role: str) -> None:
    login(page, server, role)
    settle(page)
    found: dict[str, set[str]] = {}
    where = page.url
    if words := latin_words(page):
        found[f"home {where}"] = words
    names = menu_pages(page)
    assert names, role
    for name in names:
        page.locator(f"nav .el-menu-item[data-page='{name}']").click()
        page.wait_for_function(
            "(name) => document.querySelector(`nav .el-menu-item.is-active[data-page='${name}']`)",
            arg=name,
        )
        # at its path (test_pages.py's PATHS, which also fixes each role's menu)
        page.wait_for_url(re.compile(re.escape(PATHS[name]) + r"(\?.*)?$"))
        settle(page)
        # every page of the menu opens without an error (this walk is where that is checked)
        assert page.get_by_test_id("error").count() == 0, (role, name)
        assert page.get_by_test_id("forbidden").count() == 0, (role, name)
        shoot(page, f"zh-walk-{role}-{name}")  # every page: docs/web.md's pictures come from here
        if words := latin_words(page):
            found[name] = words
    if "alerts" in names:  # the detail of the first alert, when there is one
        page.goto("/alerts")
        settle(page)
        view = page.get_by_test_id("view")
        if view.count():
            view.first.click()
            page.get_by_test_id("alert-detail").get_by_test_id("detail-status").wait_for()
            settle(page)
            if words := latin_words(page):
                found["alert detail"] = words
                shoot(page, f"zh-walk-{role}-alert-detail")
    enterprise = server.api(role, "/enterprises", page_size=1)["items"][0]["id"]
    for tab in ("", "?tab=energy", "?tab=quota", "?tab=uploads", "?tab=items", "?tab=status"):
        page.goto(f"/enterprises/{enterprise}{tab}")
        settle(page)
        if words := latin_words(page):
            found[f"enterprise{tab}"] = words
            shoot(page, f"zh-walk-{role}-enterprise{tab.replace('?tab=', '-')}")
    found |= review_pages(page, server, role)
    assert not found, f"Latin words in zh-CN for {role}: {found}"


PROJECT_TABS = ("assessment", "workflow", "documents", "operation")


def _installation(server: Server) -> int:
    """A two-high installation of the city (the demo has none: one is registered)."""
    ledger = server.api("regulator", "/two-high/installations", page_size=1)
    if ledger["items"]:
        return int(ledger["items"][0]["id"])
    steel = server.api("regulator", "/two-high/unregistered", page_size=200)["items"]
    firm = next(e for e in steel if e["sector"] == "steel")
    body = {"enterprise_id": firm["enterprise_id"], "sector": "steel", "name": "1号高炉"}
    made = server.send(
        "regulator", "POST", "/two-high/installations", json=body | {"product": "hot_metal"}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def review_pages(page: Any, server: Server, role: str) -> dict[str, set[str]]:
    """The review's detail pages the role may open: the approved and commissioned demo
    project with each tab, and a two-high installation; the Latin words found on each."""
    found: dict[str, set[str]] = {}
    operating = []
    if server.status(role, "/projects") == 200:
        projects = server.api(role, "/projects", status="approved", page_size=50)["items"]
        operating = [p for p in projects if p["commissioned_on"]]
    for project in operating[:1]:
        for tab in PROJECT_TABS:
            page.goto(f"/review/projects/{project['id']}?tab={tab}")
            page.locator("[data-testid=project][data-ready=true]").wait_for()
            if tab == "operation":
                page.locator("[data-testid=operation][data-ready=true]").wait_for()
            settle(page)
            if words := latin_words(page):
                found[f"project {tab}"] = words
                shoot(page, f"zh-walk-{role}-project-{tab}")
    if server.status(role, "/two-high/installations") == 200:
        installation = _installation(server)
        visible = server.status(role, f"/two-high/installations/{installation}") == 200
        if visible:
            page.goto(f"/review/two-high/{installation}")
            page.get_by_test_id("installation").wait_for()
            settle(page)
            if words := latin_words(page):
                found["two-high installation"] = words
                shoot(page, f"zh-walk-{role}-installation")
    return found


def test_the_review_detail_pages_are_visited(page: Any, server: Server) -> None:
    """The walk above reaches an approved, commissioned project and an installation."""
    approved = server.api("regulator", "/projects", status="approved", page_size=50)["items"]
    assert any(p["commissioned_on"] for p in approved)
    login(page, server, "regulator")
    settle(page)
    assert review_pages(page, server, "regulator") == {}
