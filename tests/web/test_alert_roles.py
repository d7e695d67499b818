"""Who closes which alert, as the dashboard shows it: an enterprise answers a quota alert with
a rectification note (no close button), a regulator closes it; every button says what it
does; a district user's division filter offers its own division only."""

from __future__ import annotations

from .web_helpers import Server, login, ready, settle, shoot


def _raise_quota_alert(server: Server, enterprise_id: int, division: str) -> int:
    """A quota alert on `enterprise_id`, written as the monitor writes it."""
    from nenghao.monitor.alerting import Candidate
    from nenghao.store import alerts
    from nenghao.store.engine import make_engine

    engine = make_engine(f"sqlite:///{(server.data_dir / 'nenghao.db').resolve()}")
    candidate = Candidate(
        "quota_above_limit",
        f"product:{enterprise_id}:browser-test",
        "超限额：单位产品能耗超过3级限定值",
        "单位产品能耗 1480.0 kgce/t，超过 3级限定值 1450",
        "critical",
        enterprise_id,
        division,
    )
    try:
        with engine.begin() as conn:
            row, _ = alerts.raise_alert(conn, candidate.values(), 1_700_000_000)
    finally:
        engine.dispose()
    return int(row["id"])


def _alert_row(page, alert_id: int):
    """The inbox row of `alert_id`, once the inbox of active quota alerts has loaded."""
    page.goto("/alerts?status=active&rule=quota_above_limit")
    ready(page, "alerts")
    settle(page)
    return (
        page.get_by_test_id("alerts-table")
        .locator("tr.el-table__row")
        .filter(has=page.locator(f"[data-id='{alert_id}']"))
    )


def test_enterprise_notes_regulator_closes(page, server: Server) -> None:
    me = server.api("enterprise", "/auth/me")
    own = me["user"]["enterprise_id"]
    division = server.api("regulator", f"/enterprises/{own}")["division_code"]
    alert_id = _raise_quota_alert(server, own, division)

    login(page, server, "enterprise")
    row = _alert_row(page, alert_id)
    assert row.get_by_test_id("resolve").count() == 0
    row.get_by_test_id("rectify").click()
    dialog = page.get_by_test_id("resolve-dialog")
    assert dialog.get_by_test_id("resolve-submit").inner_text() == "提交整改说明"
    note = "三号窑炉燃烧器已更换，下月复测单耗"
    page.get_by_label("整改说明", exact=True).fill(note)
    shoot(page, "enterprise-alert-rectify")
    dialog.get_by_test_id("resolve-submit").click()
    dialog.wait_for(state="hidden")
    settle(page)
    row.get_by_test_id("view").click()
    page.get_by_test_id("alert-history").get_by_text(note).wait_for()
    detail = page.get_by_test_id("alert-detail")
    assert detail.get_by_test_id("detail-resolve").count() == 0
    assert detail.get_by_test_id("detail-dismiss").inner_text() == "返回列表"
    shoot(page, "enterprise-alert-detail")
    answer = server.api("regulator", f"/alerts/{alert_id}")
    assert (answer["status"], answer["rectification_note"]) == ("open", note)
    refused = server.send(
        "enterprise", "POST", f"/alerts/{alert_id}/resolve", json={"comment": "已整改"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "alert_regulator_only"

    page.context.clear_cookies()
    login(page, server, "regulator")
    row = _alert_row(page, alert_id)
    row.get_by_test_id("view").click()
    detail = page.get_by_test_id("alert-detail")
    detail.get_by_test_id("alert-history").get_by_text(note).wait_for()
    labels = [detail.get_by_test_id(t).inner_text() for t in ("detail-resolve", "detail-dismiss")]
    assert labels == ["关闭告警", "返回列表"]
    footer = detail.locator(".el-dialog__footer button")
    texts = [footer.nth(i).inner_text() for i in range(footer.count())]
    assert len(texts) == len(set(texts)), texts
    shoot(page, "regulator-alert-detail-labels")
    detail.get_by_test_id("detail-resolve").click()
    dialog = page.get_by_test_id("resolve-dialog")
    page.get_by_label("处理说明").fill("现场核查整改到位，关闭")
    dialog.get_by_test_id("resolve-submit").click()
    dialog.wait_for(state="hidden")
    page.locator("[data-testid=detail-status][data-status=resolved]").wait_for()
    assert server.api("regulator", f"/alerts/{alert_id}")["resolved_by"] == server.username(
        "regulator"
    )


def test_district_filter_offers_its_own_division(page, server: Server) -> None:
    scope = server.api("district", "/auth/me")["scope"]
    divisions = server.api("district", "/catalog/divisions")["items"]
    own = next(d["name_zh"] for d in divisions if d["code"] == scope["division_code"])
    login(page, server, "district")
    page.goto("/enterprises")
    settle(page)
    page.locator("#f-division").click()
    options = page.locator(".el-select-dropdown:visible .el-select-dropdown__item")
    options.first.wait_for()
    assert [options.nth(i).inner_text() for i in range(options.count())] == [own]
    shoot(page, "district-division-filter")
