"""The targets page leads with one table: every target indicator in scope, sortable, filtered
by status, in Chinese; a row opens its target in detail with the calculation in Chinese and
figures without exponents. At 1440 and 390 px, as the city regulator."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from .web_helpers import Server, login, ready, shoot

CST = timezone(timedelta(hours=8))
STATUS_ZH = {"green": "绿色", "yellow": "黄色预警", "red": "红色预警", "none": "未评估"}
INDICATORS = ("total_energy_tce", "energy_intensity", "total_co2_t", "carbon_intensity")


def tce_text(value: float) -> str:
    """A tce figure as officials write it: 万tce with two decimals from 10 000 tce on."""
    if abs(value) >= 10_000:
        return f"{value / 10_000:,.2f} 万tce"
    return f"{value:,.2f} tce"


def put_targets(server: Server, year: int) -> dict[str, Any]:
    """A city target, a generous district target and a tiny enterprise target (red as soon as
    the enterprise consumes anything); their progress as the API answers it."""
    divisions = server.api("admin", "/catalog/divisions")["items"]
    city = next(d["code"] for d in divisions if d["level"] == "prefecture")
    county = next(d["code"] for d in divisions if d["level"] == "county")
    own = str(server.api("enterprise", "/auth/me")["user"]["enterprise_id"])
    bodies = [
        {"level": "city", "subject": city, "total_energy_tce": 5_000_000, "total_co2_t": 2e7},
        {"level": "division", "subject": county, "total_energy_tce": 1e9},
        {"level": "enterprise", "subject": own, "total_energy_tce": 1},
    ]
    for body in bodies:
        body |= {"year": year, "renewable_base_kwh": 0}
        assert server.send("regulator", "PUT", "/targets", json=body).status_code in (200, 201)
    return {"city": city, "own": own}


def expected_rows(server: Server, year: int) -> list[tuple[str, str, str]]:
    """(subject, indicator, level) of every target indicator the regulator sees."""
    rows = []
    for target in server.api("regulator", "/targets", year=year, page_size=100)["items"]:
        progress = server.api(
            "regulator",
            "/targets/progress",
            year=year,
            level=target["level"],
            subject=target["subject"],
        )
        for key in INDICATORS:
            if target[key] is not None:
                level = progress["indicators"][key]["level"] or "none"
                rows.append((target["subject"], key, level))
    return rows


def shown_rows(table: Any) -> list[dict[str, Any]]:
    return table.evaluate(
        """el => [...el.querySelectorAll('.el-table__body-wrapper tbody tr')].map(tr => ({
            subject: tr.querySelector('[data-testid=row-subject]').dataset.subject,
            status: tr.querySelector('[data-testid=row-status]').dataset.status,
            tag: tr.querySelector('[data-testid=row-status]').innerText.trim(),
            ratio: Number(tr.querySelector('[data-testid=row-ratio]').dataset.value),
        }))"""
    )


@pytest.mark.parametrize("width", [1440, 390])
def test_targets_table_sorts_filters_and_drills_down(page: Any, server: Server, width: int) -> None:
    year = (datetime.now(CST) - timedelta(days=1)).year
    made = put_targets(server, year)
    expected = expected_rows(server, year)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, server, "regulator")
    page.goto("/targets")
    ready(page, "target-table")
    table = page.get_by_test_id("target-table")
    rows = shown_rows(table)
    assert sorted((r["subject"], r["status"]) for r in rows) == sorted(
        (subject, level) for subject, _, level in expected
    )
    assert all(r["tag"] == STATUS_ZH[r["status"]] for r in rows)
    assert "red" in {r["status"] for r in rows}
    assert made["own"] in {r["subject"] for r in rows}
    # Sort by the projected/target ratio: ascending, then descending.
    wrap = table.locator(".el-table__body-wrapper .el-scrollbar__wrap").first
    header = table.locator("th", has_text="预计完成率")
    header.click()
    ascending = [r["ratio"] for r in shown_rows(table)]
    assert ascending == sorted(ascending)
    header.click()
    descending = [r["ratio"] for r in shown_rows(table)]
    assert descending == sorted(ascending, reverse=True)
    # Filter: red only.
    page.get_by_test_id("status-filter").locator("[data-status=red]").click()
    red = shown_rows(table)
    assert red
    assert {r["status"] for r in red} == {"red"}
    assert len(red) == sum(1 for _, _, level in expected if level == "red")
    shoot(page, f"targets-table-red-{width}")
    page.get_by_test_id("status-filter").locator("[data-status=all]").click()
    if width == 390:
        # The table scrolls inside its card.
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        # The page's own content stays within the screen (the header is the shell's).
        right = page.get_by_test_id("target-table").evaluate(
            "el => el.getBoundingClientRect().right"
        )
        assert right <= width
    shoot(page, f"targets-table-{width}")
    # Drill down: the city's row opens its card, the calculation in Chinese.
    table.locator(f"[data-testid=row-subject][data-subject='{made['city']}']").first.click()
    drawer = page.get_by_test_id("target-drawer")
    card = drawer.locator(f"[data-testid=target-card][data-subject='{made['city']}']")
    card.wait_for()
    progress = server.api(
        "regulator", "/targets/progress", year=year, level="city", subject=made["city"]
    )
    gross = progress["projection"]["gross_tce"]
    text = card.get_by_test_id("explanation").first.inner_text()
    if gross["method"] == "linear_run_rate":
        why = {
            "last_year_incomplete": "上年数据不完整",
            "share_too_small": "上年同期占比过小或为零",
        }
        assert text == (
            f"线性外推（{why[gross['reason']]}）：本年累计 {tce_text(gross['year_to_date'])} × "
            f"全年 {gross['days_in_year']} 天 ÷ 已过 {gross['days_elapsed']} 天 = "
            f"{tce_text(gross['value'])}"
        )
    elif gross["method"] == "seasonal_profile":
        assert text.startswith("上年截至同日累计")
    projection = card.get_by_test_id("projection").inner_text()
    assert "e+" not in projection
    assert "run-rate" not in projection
    assert "seasonal" not in projection
    assert "（目标中设定的 2020 年基数；" in card.get_by_test_id("renewable-base").inner_text()
    shoot(page, f"targets-drawer-{width}")
