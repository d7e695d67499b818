"""The data-quality page and the alerts inbox: figures equal the quality API's, the drill-down
opens, an alert is acknowledged and resolved through the dashboard, scopes hold."""

from __future__ import annotations

import time
from pathlib import Path

from .web_helpers import (
    Server,
    last_complete_month,
    login,
    ready,
    settle,
    shoot,
    yesterday_month,
)

MONTH = yesterday_month()


def table_rows(page, testid: str):
    return page.get_by_test_id(testid).locator(".el-table__body-wrapper tr.el-table__row")


def wait_status(server: Server, alert_id: int, status: str, timeout: float = 10.0) -> dict:
    """The alert as the API answers it once it has `status` (the last answer on time-out)."""
    deadline = time.monotonic() + timeout
    while True:
        alert = server.api("regulator", f"/alerts/{alert_id}")
        if alert["status"] == status or time.monotonic() > deadline:
            return alert
        time.sleep(0.1)


def test_quality_ranking_and_drill_down(page, server: Server) -> None:
    login(page, server, "regulator")
    # From the menu the page opens on the last complete month (it may hold no data here).
    opening = server.api("regulator", "/quality/scores", month=last_complete_month())
    page.locator("nav .el-menu-item[data-page='quality']").click()
    ready(page, "quality")
    settle(page)
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == opening["total"]
    # The ranking of the month with data (the demo city's last days).
    expected = server.api("regulator", "/quality/scores", month=MONTH)
    assert expected["total"] > 0, "the fixture's monitor run gave no scores"
    page.goto(f"/quality?month={MONTH}")
    ready(page, "quality")
    settle(page)
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == expected["total"]
    rows = table_rows(page, "quality-table")
    assert rows.count() == expected["total"]
    first, top = rows.first, expected["items"][0]
    assert top["enterprise_name"] in first.inner_text()
    assert float(first.locator("[data-col=score]").get_attribute("data-value")) == top["score"]
    assert first.locator("[data-col=grade]").get_attribute("data-grade") == top["grade"]
    assert first.locator("td").first.inner_text().strip() == str(top["rank"])
    for index in ("completeness", "timeliness", "consistency", "validity"):
        shown = first.locator(f"[data-col={index}]").get_attribute("data-value")
        assert (float(shown) if shown else None) == top[index], index
    page.locator("[data-testid=chart-quality] canvas").wait_for()
    # CSV export of the ranking.
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert len(text.strip().splitlines()) == expected["total"] + 1
    # Drill-down of the last (worst) enterprise: its score, failing days and events.
    worst = expected["items"][-1]
    rows.nth(expected["total"] - 1).get_by_test_id("drill").click()
    drill = page.locator(f"[data-testid=quality-drill][data-enterprise='{worst['enterprise_id']}']")
    drill.get_by_test_id("drill-score").wait_for()
    settle(page)
    answer = server.api("regulator", f"/quality/enterprises/{worst['enterprise_id']}", month=MONTH)
    shown = float(drill.get_by_test_id("drill-score").get_attribute("data-value"))
    assert shown == answer["score"]["score"]
    assert table_rows(drill, "failing-days").count() == len(answer["failing_days"])
    assert table_rows(drill, "quality-events").count() == len(answer["events"])
    assert answer["enterprise"]["name"] in drill.inner_text()
    shoot(page, "regulator-quality")
    # The overview's open-alerts panel shows the API's count.
    page.goto("/overview")
    panel = page.get_by_test_id("open-alerts")
    panel.wait_for()
    active = server.api("regulator", "/alerts", status="active", page_size=1)["total"]
    assert int(panel.get_attribute("data-total")) == active


def test_alert_acknowledge_then_resolve(page, server: Server) -> None:
    target = server.api("regulator", "/alerts", status="open", page_size=1)["items"][0]
    alert_id = target["id"]
    login(page, server, "regulator")
    page.goto(f"/alerts?status=active&rule={target['rule']}")
    ready(page, "alerts")
    settle(page)
    expected = server.api(
        "regulator", "/alerts", status="active", rule=target["rule"], page_size=20
    )
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == expected["total"]
    row = table_rows(page, "alerts-table").filter(has=page.locator(f"[data-id='{alert_id}']"))
    row.get_by_test_id("acknowledge").click()
    acked = wait_status(server, alert_id, "acknowledged")
    assert acked["status"] == "acknowledged"
    assert acked["acknowledged_by"] == server.username("regulator")
    settle(page)
    # Resolve: the comment is required.
    row.get_by_test_id("resolve").click()
    dialog = page.get_by_test_id("resolve-dialog")
    dialog.get_by_test_id("resolve-submit").click()
    dialog.get_by_text("请填写处理说明").wait_for()
    assert server.api("regulator", f"/alerts/{alert_id}")["status"] == "acknowledged"
    comment = "现场核查：计量表通讯中断，已恢复"
    page.get_by_label("处理说明").fill(comment)
    shoot(page, "regulator-alert-resolve")
    dialog.get_by_test_id("resolve-submit").click()
    done = wait_status(server, alert_id, "resolved")
    assert done["status"] == "resolved"
    assert done["resolve_comment"] == comment
    assert done["resolved_by"] == server.username("regulator")
    settle(page)
    # The detail shows the history with who and the comment.
    page.goto(f"/alerts?status=resolved&rule={target['rule']}")
    ready(page, "alerts")
    settle(page)
    row = table_rows(page, "alerts-table").filter(has=page.locator(f"[data-id='{alert_id}']"))
    row.get_by_test_id("view").click()
    detail = page.get_by_test_id("alert-history")
    detail.get_by_text(comment).wait_for()
    assert server.username("regulator") in detail.inner_text()
    status = page.locator("[data-testid=detail-status]")
    assert status.get_attribute("data-status") == "resolved"
    assert page.get_by_test_id("detail-occurrences").inner_text() == str(done["occurrences"])
    shoot(page, "regulator-alert-detail")
    page.keyboard.press("Escape")
    shoot(page, "regulator-alerts")


def test_enterprise_sees_only_its_own(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    scores = server.api("enterprise", "/quality/scores", month=MONTH)
    assert {s["enterprise_id"] for s in scores["items"]} <= {own}
    login(page, server, "enterprise")
    page.goto(f"/quality?month={MONTH}")
    ready(page, "quality")
    settle(page)
    rows = table_rows(page, "quality-table")
    assert rows.count() == scores["total"]
    links = page.get_by_test_id("quality-table").locator("a[data-id]")
    assert {int(links.nth(i).get_attribute("data-id")) for i in range(links.count())} <= {own}
    shoot(page, "enterprise-quality")
    # Another enterprise's drill-down is "not found".
    everyone = server.api("regulator", "/quality/scores", month=MONTH)["items"]
    other = next(s for s in everyone if s["enterprise_id"] != own)
    page.goto(f"/quality?month={MONTH}&enterprise={other['enterprise_id']}")
    ready(page, "quality")
    refused = "[data-testid=quality-drill] [data-testid=error][data-code=enterprise_not_found]"
    page.locator(refused).wait_for()
    # Alerts: only its own.
    alerts = server.api("enterprise", "/alerts", status="active", page_size=100)
    assert all(a["enterprise_id"] == own for a in alerts["items"])
    page.goto("/alerts")
    ready(page, "alerts")
    settle(page)
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == alerts["total"]
    assert page.get_by_test_id("enterprise-picker").count() == 0
    shoot(page, "enterprise-alerts")
