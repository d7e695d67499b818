"""The 重点用能单位名录 page in zh-CN as the city regulator, at 1440 and 390 px: the threshold
with its source, every enterprise with both years' consumption and its finding in Chinese,
the additions and removals, the data coverage, and the XLSX export."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from openpyxl import load_workbook

from .web_helpers import Server, login, ready, shoot

CST = timezone(timedelta(hours=8))
FINDING_ZH = {
    "consistent": "登记与实际相符",
    "below_key_threshold": "已登记为重点用能单位，但实际能耗低于1万tce",
    "below_thresholds": "已登记，但实际能耗低于0.5万tce",
    "above_registered_level": "实际能耗已达1万tce，高于登记类别",
    "unregistered_key_unit": "未登记，但实际能耗已达1万tce",
    "may_be_designated": "未登记，实际能耗在0.5万～1万tce，可由省指定",
}


@pytest.mark.parametrize("width", [1440, 390])
def test_key_units_page_and_export(page: Any, server: Server, width: int) -> None:
    # Pages open on the last complete month: its year.
    year = (datetime.now(CST).replace(day=1) - timedelta(days=1)).year
    answer = server.api("regulator", "/stats/key-units", year=year)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, server, "regulator")
    page.goto("/enterprises/key-units")
    ready(page, "key-units")
    threshold = page.get_by_test_id("threshold")
    assert "≥ 1万tce 为重点用能单位" in threshold.inner_text()
    assert "0.5万tce～1万tce" in threshold.inner_text()
    source = page.get_by_test_id("threshold-source").inner_text()
    assert "重点用能单位节能管理办法" in source
    assert "已核实" in source
    coverage = page.get_by_test_id("coverage").locator("li")
    assert coverage.count() == 2
    assert f"{year} 年：" in coverage.first.inner_text()
    assert f"{year - 1} 年：" in coverage.nth(1).inner_text()
    if not all(c["complete"] for c in answer["coverage"]):
        assert "数据不完整" in page.get_by_test_id("incomplete").inner_text()
    summary = page.get_by_test_id("summary").inner_text()
    keys = sum(1 for r in answer["rows"] if r["actual_level"] == "key")
    assert f"{year} 年达到标准 {keys} 家" in summary
    assert f"新增 {len(answer['additions'])} 家" in summary
    # Every enterprise, largest first, its finding in words.
    table = page.get_by_test_id("key-unit-table")
    rows = table.locator(".el-table__body-wrapper tbody tr")
    assert rows.count() == len(answer["rows"])
    shown_tce = [
        float(v)
        for v in table.locator("[data-testid=key-unit-tce]").evaluate_all(
            "els => els.map(e => e.dataset.value)"
        )
    ]
    assert shown_tce == sorted((r["actual_tce"] for r in answer["rows"]), reverse=True)
    findings = table.locator("[data-testid=finding]")
    for i in range(min(findings.count(), 10)):
        code = findings.nth(i).get_attribute("data-finding")
        assert findings.nth(i).inner_text() == FINDING_ZH[code]
    for kind in ("additions", "removals"):
        listed = page.get_by_test_id(kind).locator(".el-table__body-wrapper tbody tr")
        assert listed.count() == len(answer[kind])
    if width == 390:
        box = table.locator(".el-table__body-wrapper .el-scrollbar__wrap").first
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")
        # The page's own content stays within the screen (the header is the shell's).
        right = page.get_by_test_id("key-units").evaluate("el => el.getBoundingClientRect().right")
        assert right <= width
    shoot(page, f"key-units-{width}")
    if width != 1440:
        return
    with page.expect_download() as info:
        page.get_by_test_id("key-units-download").click()
    assert info.value.suggested_filename.endswith(f"{year}.xlsx")
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert book.sheetnames == ["名录", "新增", "移出", "说明"]
    assert book["名录"]["A1"].value == f"鞍山市{year}年重点用能单位名录"
    listed = list(book["名录"].iter_rows(min_row=3, values_only=True))
    assert len(listed) == len(answer["rows"])
    assert {r[6] for r in listed} <= set(FINDING_ZH.values())
