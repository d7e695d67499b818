"""Steps of the browser tests shared by several reviews: the collection plan (采集方案) card
and its review, the annual report's state and fields, and picking from a select."""

from __future__ import annotations

from typing import Any

from .web_helpers import ready, settle


def pick(page: Any, select: Any, option: Any) -> None:
    """Open `select` and click its first option named `option` (text or pattern)."""
    select.click()
    page.get_by_role("option", name=option).first.click()


def plan_card(page: Any, status: str) -> Any:
    """The plan card once it shows `status`."""
    card = page.locator(f"[data-testid=plan][data-status={status}]")
    card.wait_for()
    return card


def review_plan(page: Any, enterprise_id: int, decision: str, comment: str) -> None:
    """As a reviewer: from 采集方案审核 to the enterprise's items tab, then `decision`
    ("approve" or "return") with `comment`."""
    page.goto("/enterprises/plans")
    ready(page, "plans")
    href = f"/enterprises/{enterprise_id}?tab=items"
    page.locator(f"[data-testid=plan-enterprise][href='{href}']").click()
    plan_card(page, "submitted")
    page.get_by_test_id(f"plan-{decision}").click()
    dialog = page.get_by_test_id("plan-review-dialog")
    dialog.get_by_test_id("plan-comment-input").fill(comment)
    dialog.get_by_test_id("plan-review-confirm").click()


def report_field(page: Any, testid: str, tag: str = "input") -> Any:
    """The text box of an annual-report form item (the test id sits on the box or on its
    wrapper)."""
    return page.locator(f"{tag}[data-testid='{testid}'], [data-testid='{testid}'] {tag}").first


def report_state(page: Any, status: str, version: int) -> None:
    """Wait until the annual report shows `status` at `version`."""
    selector = f"[data-testid=annual-report][data-status={status}][data-version='{version}']"
    page.locator(selector).wait_for()
    settle(page)


def open_report_review(page: Any, year: int, enterprise_id: int) -> None:
    """As a reviewer: the enterprise's annual report of `year`, from the list."""
    page.goto(f"/annual-reports?year={year}")
    page.get_by_test_id("annual-list").wait_for()
    settle(page)
    page.get_by_test_id(f"ar-open-{enterprise_id}").click()
    page.get_by_test_id("annual-report").wait_for()
    settle(page)


def open_own_report(page: Any, year: int) -> None:
    """As the enterprise: its own annual report of `year`."""
    page.goto(f"/annual-reports?year={year}")
    page.get_by_test_id("annual-report").wait_for()
    settle(page)
