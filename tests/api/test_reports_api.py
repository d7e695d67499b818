"""Report downloads over HTTP: the workbook reads back, the PDF is a PDF."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from matrix_analytics import _analytics_module, worked_city
from openpyxl import load_workbook

from environment import skip_outside_ci


@pytest.fixture
def seeded(engine, world):
    with engine.begin() as conn:
        worked_city().seed(conn, world.enterprise_ids["a"], world.enterprise_ids["b"])
    return world


def test_monthly_workbook_download(client, seeded):
    response = client.get(
        "/api/v1/reports/monthly",
        params={"year": 2025, "month": 1},
        headers=seeded.headers("district"),
    )
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert 'filename="monthly-2025-01.xlsx"' in disposition
    assert quote("铁东区重点用能单位能耗月报-2025年1月.xlsx") in disposition
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "概览",
        "按区县",
        "按行业",
        "按企业",
        "目标进度",
        "上报率",
        "超限额",
        "说明",
    ]
    for sheet in book.worksheets:  # the district user's workbook bears the district's name
        assert str(sheet["A1"].value).startswith("铁东区重点用能单位能耗月报 2025年1月")
    rows = list(book["按企业"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 2  # the district's a and b
    assert book["按区县"]._charts


def test_enterprise_pdf_download(client, seeded):
    a = seeded.enterprise_ids["a"]
    response = client.get(
        f"/api/v1/reports/enterprises/{a}/annual",
        params={"year": 2025},
        headers=seeded.headers("enterprise"),
    )
    if response.status_code == 503:
        skip_outside_ci(response.json()["error"]["message"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response.headers["content-disposition"]
    assert f'filename="energy-report-{a}-2025.pdf"' in disposition
    assert quote("2025年度能源利用状况报告.pdf") in disposition


def test_the_earliest_year_a_request_may_name_has_a_report_without_a_base(client, seeded):
    """The year 2000 is compared with 1999, before the years a request may name: the report
    is produced, with no base (it answered 422 invalid_period '1999' before)."""
    a = seeded.enterprise_ids["a"]
    response = client.get(
        f"/api/v1/reports/enterprises/{a}/annual",
        params={"year": 2000},
        headers=seeded.headers("enterprise"),
    )
    if response.status_code == 503:
        skip_outside_ci(response.json()["error"]["message"])
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")


def test_key_unit_list_workbook_for_a_district(client, engine, world):
    """a leaves the list (11 656.8 -> 5 828.4 tce), b joins (8 742.6 -> 10 685.4 tce); the
    district of 铁东区 sees a and b only and its workbook is titled with its district."""
    ids = world.enterprise_ids
    with engine.begin() as conn:
        _analytics_module("key_unit_city").seed(
            conn, {"leaves": ids["a"], "joins": ids["b"], "stays": ids["c"]}
        )
    response = client.get(
        "/api/v1/reports/key-units", params={"year": 2025}, headers=world.headers("district")
    )
    assert response.status_code == 200, response.text
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["名录", "新增", "移出", "说明"]
    listing = book["名录"]
    assert listing["A1"].value == "铁东区2025年重点用能单位名录"
    assert [c.value for c in listing[2]][:4] == [
        "企业名称",
        "区县",
        "2025年综合能耗 当量值 (tce)",
        "2024年综合能耗 当量值 (tce)",
    ]
    rows = list(listing.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["铁东轧钢有限公司", "鞍钢示范钢铁有限公司"]  # by 2025 tce
    assert rows[0][2:4] == (10685.4, 8742.6)
    assert rows[1][6] == "已登记为重点用能单位，但实际能耗低于1万tce"
    [added] = list(book["新增"].iter_rows(min_row=3, values_only=True))
    assert added[:4] == ("铁东轧钢有限公司", "铁东区", 10685.4, 8742.6)
    [removed] = list(book["移出"].iter_rows(min_row=3, values_only=True))
    assert removed[:4] == ("鞍钢示范钢铁有限公司", "铁东区", 5828.4, 11656.8)
    notes = "\n".join(str(c.value) for c in book["说明"]["B"])
    assert "10,000 tce" in notes
    assert "2024年：已结束，2个月有能耗数据" in notes


def test_key_units_answer_names_additions_and_removals(client, engine, world):
    ids = world.enterprise_ids
    with engine.begin() as conn:
        _analytics_module("key_unit_city").seed(
            conn, {"leaves": ids["a"], "joins": ids["b"], "stays": ids["c"]}
        )
    answer = client.get(
        "/api/v1/stats/key-units", params={"year": 2025}, headers=world.headers("regulator")
    ).json()
    assert [r["enterprise_id"] for r in answer["additions"]] == [ids["b"]]
    assert [r["enterprise_id"] for r in answer["removals"]] == [ids["a"]]
    assert answer["removals"][0]["previous_tce"] == 11656.8
    assert [c["year"] for c in answer["coverage"]] == [2025, 2024]


def test_key_unit_list_of_the_earliest_year_compares_with_the_year_before(client, world):
    """Year 2000 is compared with 1999, before the years a request may name: still answered."""
    for path in ("/api/v1/reports/key-units", "/api/v1/stats/key-units"):
        response = client.get(path, params={"year": 2000}, headers=world.headers("regulator"))
        assert response.status_code == 200, response.text
