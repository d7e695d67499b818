"""超限额 and 能效对标 as the city regulator, in Chinese, at 1440 and 390 px: the rows are the
API's, the XLSX download opens with the same list, the ranking chart and table agree."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from .web_helpers import Server, last_complete_month, login, ready, settle, shoot


def _ytd() -> str:
    year, month = last_complete_month().split("-")
    return f"{year}-01" if month == "01" else f"{year}-01..{year}-{month}"


def _table_rows(page, testid: str):
    return page.get_by_test_id(testid).locator(".el-table__body tr")


def _scrolls_in_its_card(page, testid: str) -> bool:
    """The table stays inside its card and scrolls there when its columns are wider."""
    return page.get_by_test_id(testid).evaluate(
        """table => {
          const card = table.closest('.nh-card').getBoundingClientRect()
          const box = table.getBoundingClientRect()
          const body = table.querySelector('.el-scrollbar__wrap') || table
          return box.right <= card.right + 1 && body.scrollWidth > body.clientWidth
        }"""
    )


def test_exceeders_page_lists_the_api_rows_and_downloads_them(page, server: Server) -> None:
    period = _ytd()
    exceeding = server.api(
        "regulator", "/stats/quota-compliance", period=period, only_exceeders=True
    )
    every = server.api("regulator", "/stats/quota-compliance", period=period)
    login(page, server, "regulator")
    page.goto("/analysis/exceeders")
    ready(page, "exceeders-page")
    settle(page)
    assert page.get_by_role("heading", name="超限额企业").is_visible()
    names = [row["enterprise_name"] for row in exceeding["rows"]]
    shown = page.get_by_test_id("ex-enterprise").all_inner_texts()
    assert shown == names
    assert page.get_by_test_id("ex-caption").get_attribute("data-exceeding") == str(
        exceeding["counts"]["exceeding"]
    )
    shoot(page, "exceeders-1440")
    with page.expect_download() as info:
        page.get_by_test_id("ex-download").click()
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes()))["超限额"]
    assert sheet["A1"].value.startswith("鞍山市超限额用能企业清单")
    assert "说明" in sheet["A2"].value
    listed = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert listed == names
    # every product, not only the exceeders: the API's rows in its order, levels tagged
    page.get_by_test_id("ex-only").click()
    ready(page, "exceeders-page")
    settle(page)
    assert page.get_by_test_id("ex-enterprise").all_inner_texts() == [
        row["enterprise_name"] for row in every["rows"]
    ]
    levels = page.get_by_test_id("ex-level").evaluate_all("tags => tags.map(t => t.dataset.level)")
    assert levels == [row["level"] or "" for row in every["rows"]]
    if every["rows"]:
        first = every["rows"][0]
        link = page.get_by_test_id("ex-enterprise").first
        assert link.get_attribute("href").endswith(f"/enterprises/{first['enterprise_id']}")
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert _scrolls_in_its_card(page, "ex-table")
    assert _table_rows(page, "ex-table").count() == len(every["rows"])
    shoot(page, "exceeders-390")


def test_benchmarking_page_ranks_the_plants_of_a_product(page, server: Server) -> None:
    every = server.api("regulator", "/stats/quota-compliance", period=_ytd(), product="hot_metal")
    valued = sorted(
        (row for row in every["rows"] if row["unit_consumption"] is not None),
        key=lambda row: row["unit_consumption"],
    )
    login(page, server, "regulator")
    page.goto("/analysis/benchmarking")
    ready(page, "benchmarking-page")
    settle(page)
    assert page.get_by_role("heading", name="能效对标").is_visible()
    levels = page.get_by_test_id("bm-levels").inner_text()
    assert "361" in levels
    assert "435" in levels
    assert "未核实" in levels  # the NDRC levels are shown with their status
    chart = page.get_by_test_id("bm-chart")
    assert chart.get_attribute("data-bars") == str(len(valued))
    assert chart.locator("canvas").count() == 1
    assert page.get_by_test_id("bm-enterprise").all_inner_texts() == [
        row["enterprise_name"] for row in valued
    ]
    values = page.get_by_test_id("bm-value").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert values == [row["unit_consumption"] for row in valued]
    shoot(page, "benchmarking-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert _scrolls_in_its_card(page, "bm-table")
    shoot(page, "benchmarking-390")
