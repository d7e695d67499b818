"""Report downloads over HTTP: the workbook reads back, the PDF is a PDF."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from matrix_analytics import worked_city
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
