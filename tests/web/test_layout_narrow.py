"""Layout at 390 px (a phone): every role opens every page of its menu through the navigation
drawer, and no page is wider than the screen; at 1440 px the alerts table shows its 最近发生
column beside, not under, the fixed actions column."""

from __future__ import annotations

from typing import Any

import pytest

from .web_helpers import ROLES, Server, login, settle, shoot

# The document's width against the window's: a page wider than the screen scrolls sideways.
WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# Table columns still fixed (sticky) beside the scrolling ones: on a phone they would cover
# most of the table.
STUCK = """() => [...document.querySelectorAll('[class*=el-table-fixed-column--]')]
  .filter((cell) => getComputedStyle(cell).position === 'sticky').length"""


def fits(page: Any, what: str) -> None:
    """The document is no wider than the window."""
    scroll, inner = page.evaluate(WIDTHS)
    assert inner == 390
    assert scroll <= inner, f"{what}: the page is {scroll} px wide on a {inner} px screen"


def on_screen(box: dict[str, float]) -> bool:
    """Whether a box lies within the 390 px of the screen's width."""
    return box["x"] >= 0 and box["x"] + box["width"] <= 390


def open_drawer(page: Any) -> Any:
    """Open the navigation drawer with the header's button; the drawer's menu."""
    page.get_by_test_id("nav-toggle").click()
    menu = page.get_by_test_id("nav-drawer").locator("nav")
    menu.locator(".el-menu-item[data-page]").first.wait_for()
    return menu


# The pages are the same for every role: the admin's menu holds every page but an enterprise's
# own, the district's shows the division-scoped lists, the enterprise's its own pages. The
# regulator's and the auditor's menus are parts of the admin's (tests/web/test_pages.py).
NARROW_ROLES = ("admin", "district", "enterprise")
assert set(NARROW_ROLES) <= set(ROLES)


@pytest.mark.parametrize("role", NARROW_ROLES)
def test_every_menu_page_fits_390(phone: Any, server: Server, role: str) -> None:
    phone.goto("/login")
    phone.get_by_test_id("login-submit").wait_for()
    fits(phone, "log-in")
    if role == "admin":
        shoot(phone, "narrow-login")
    login(phone, server, role)
    # The menu is not beside the page but in the drawer, closed until asked for.
    assert phone.locator("aside nav").count() == 0
    assert phone.get_by_test_id("nav-toggle").is_visible()
    items = open_drawer(phone).locator(".el-menu-item[data-page]")
    pages = [
        (items.nth(i).get_attribute("data-page"), items.nth(i).inner_text().strip())
        for i in range(items.count())
    ]
    assert len(pages) >= 5, pages
    shoot(phone, f"narrow-{role}-menu")
    for index, (name, title) in enumerate(pages):
        menu = open_drawer(phone) if index else phone.get_by_test_id("nav-drawer").locator("nav")
        menu.locator(f".el-menu-item[data-page='{name}']").click()
        # Choosing a page closes the drawer.
        phone.get_by_test_id("nav-drawer").wait_for(state="hidden")
        settle(phone)
        fits(phone, f"{role} {name}")
        assert phone.evaluate(STUCK) == 0, f"{role} {name}: a table column stays fixed"
        crumb = phone.locator(".crumbs .el-breadcrumb__item").last
        assert crumb.inner_text().strip() == title
        heading = phone.locator("#main").locator("h1, h2, .el-tabs__item").first
        assert heading.is_visible(), f"{role} {name}: no visible heading"
        assert on_screen(heading.bounding_box()), f"{role} {name}: heading off the screen"
        shoot(phone, f"narrow-{role}-{name}")


def test_header_fits_390(phone: Any, server: Server) -> None:
    """The header's tools (language, user and role, password, log-out) stay on the screen."""
    login(phone, server, "district")
    for testid in ("nav-toggle", "language", "role", "change-password", "logout"):
        box = phone.get_by_test_id(testid).bounding_box()
        assert on_screen(box), f"{testid}: {box}"
    phone.get_by_test_id("change-password").click()
    dialog = phone.locator(".el-dialog").first
    dialog.wait_for()
    assert on_screen(dialog.bounding_box()), dialog.bounding_box()
    fits(phone, "password dialog")


# The boxes of the alerts table's 最近发生 header cell, of its fixed actions column and the
# table's horizontal scroll.
LAST_SEEN = """(table) => {
  const box = (el) => {
    const r = el.getBoundingClientRect()
    return [r.left, r.right]
  }
  const headers = [...table.querySelectorAll('.el-table__header-wrapper th')]
  const last = headers.find((th) => th.innerText.trim() === '最近发生')
  const fixed = headers.filter((th) => th.classList.contains('el-table-fixed-column--right'))
  const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
  return { last: box(last), fixed: fixed.map(box), scroll: [wrap.scrollWidth, wrap.clientWidth] }
}"""


def test_alerts_last_seen_not_under_actions_at_1440(page: Any, server: Server) -> None:
    login(page, server, "regulator")
    page.goto("/alerts")
    settle(page)
    table = page.get_by_test_id("alerts-table")
    boxes = table.evaluate(LAST_SEEN)
    assert boxes["fixed"], "the actions column is fixed on the right"
    actions_left = min(left for left, _ in boxes["fixed"])
    assert boxes["last"][1] <= actions_left + 0.5, f"最近发生 under the actions column: {boxes}"
    scroll, client = boxes["scroll"]
    assert scroll <= client, f"the alerts table scrolls at 1440 px: {boxes}"
    shoot(page, "layout-1440-alerts")
