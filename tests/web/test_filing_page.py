"""The 数据填报 page's monthly filing: electricity beside its online figure and output value
filed, a revision with its reason flagged over 5 %, the history, a future month refused in
Chinese. Online figures are seeded here through the file import and computed here."""

from __future__ import annotations

from .web_helpers import Server, login, settle, shoot

MONTH = "2025-03"  # a month the demo city has no data for (31 days)


def _seed_month(server: Server, own: int) -> tuple[str, float]:
    """Hourly readings of 100 kWh for every hour of MONTH on one online electricity meter of
    the enterprise; its unit and the month's online sum."""
    items = server.api("enterprise", f"/enterprises/{own}/items", page_size=200)["items"]
    meter = next(
        i
        for i in items
        if i["energy_kind"] == "electricity"
        and i["stage"] == "fence"
        and i["usage"] == "consumption"
        and i["period"] == "hour"
        and i["active"]
        and i["value_kind"] == "interval"
    )
    rows = ["item,period,start,value,unit"]
    rows += [
        f"{meter['code']},hour,{MONTH}-{day:02d} {hour:02d}:00,100,kWh"
        for day in range(1, 32)
        for hour in range(24)
    ]
    answer = server.send(
        "enterprise",
        "POST",
        f"/enterprises/{own}/imports",
        files={"file": ("march.csv", "\n".join(rows).encode(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    return meter["unit"], 31 * 24 * 100.0


def _choose_month(page, month: str) -> None:
    picker = page.locator("#filing-month")
    picker.fill(month)
    picker.press("Enter")
    settle(page)


def test_month_filing_revision_flag_and_future_month(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    unit, online = _seed_month(server, own)
    assert unit == "kWh"
    login(page, server, "enterprise")
    page.goto("/data-entry")
    page.get_by_test_id("filing").wait_for()
    settle(page)
    _choose_month(page, MONTH)
    electricity = page.get_by_test_id("filing-lines").locator("tr", has_text="电力").first
    assert f"{online:,.0f} kWh" in electricity.get_by_test_id("filing-online").inner_text()
    assert "覆盖 31/31 天" in electricity.inner_text()
    # File: electricity as metered, output value 500 万元.
    electricity.get_by_test_id("filing-value-energy-electricity").locator("input").fill("74400")
    output = page.get_by_test_id("filing-value-output_value-").locator("input")
    output.fill("500")
    page.get_by_test_id("filing-submit").click()
    page.get_by_test_id("filing-saved").wait_for()
    settle(page)
    assert page.get_by_test_id("filing-status").inner_text().startswith("已填报")
    assert electricity.get_by_test_id("filing-flag").inner_text() == "一致"
    # Revise: 80 000 kWh is (80 000 - 74 400) / 74 400 = +7.53 % -> 需复核; a reason is asked.
    electricity.get_by_test_id("filing-value-energy-electricity").locator("input").fill("80000")
    page.get_by_test_id("filing-submit").click()
    dialog = page.get_by_test_id("filing-reason-dialog")
    page.get_by_test_id("filing-reason").fill("抄表数据更正")
    page.get_by_test_id("filing-reason-confirm").click()
    dialog.wait_for(state="hidden")
    page.get_by_test_id("filing-saved").wait_for()
    settle(page)
    assert electricity.get_by_test_id("filing-flag").inner_text() == "需复核"
    expected = (80000 - online) / online
    assert (
        f"+{expected * 100:.2f} %" in electricity.get_by_test_id("filing-difference").inner_text()
    )
    assert page.get_by_test_id("filing-status").inner_text().startswith("需复核")
    flagged = server.api("regulator", "/filings", flagged="true")["items"]
    assert any(f["enterprise_id"] == own and f["label"] == MONTH for f in flagged)
    shoot(page, "enterprise-filing-flagged")
    # The history lists both revisions with the reason.
    page.get_by_test_id("filing-history").click()
    revisions = page.get_by_test_id("filing-revision")
    revisions.nth(1).wait_for()
    assert "抄表数据更正" in revisions.first.inner_text()
    assert revisions.count() == 2
    page.keyboard.press("Escape")
    page.get_by_test_id("filing-history-drawer").locator(".el-drawer").wait_for(state="hidden")
    # A future month is refused with a Chinese message next to nothing stored.
    _choose_month(page, "2099-01")
    page.get_by_test_id("filing-value-output_value-").locator("input").fill("1")
    page.get_by_test_id("filing-submit").click()
    error = page.get_by_test_id("error")
    error.wait_for()
    assert error.get_attribute("data-code") == "future_period"
    assert "尚未开始" in error.inner_text()
    assert server.api("enterprise", f"/enterprises/{own}/filings", period="2099-01")["total"] == 0
