"""The annual report reads as the statutory 重点用能单位能源利用状况报告: its sections in
order, every finding in Chinese words, a one-line-per-source annex, the period cut where the
year is not over; the pages are saved as images under test-artifacts/reports/ for a human
to look at (filed_city.py, both backends)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from filed_city import CONTACT, NAME, build

from environment import skip_outside_ci
from nenghao.reports.enterprise_pdf import enterprise_report
from nenghao.reports.errors import ReportFontError
from nenghao.reports.fonts import cjk_font
from nenghao.store.scope import Scope

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
SECTIONS = (
    "一、基本情况",
    "二、能源消费情况及结构",
    "三、单位产品能耗与限额对比",
    "四、节能目标及完成情况",
    "五、节能措施与项目",
    "六、计量与管理",
    "附录：折标系数及来源",
)
LATIN_ALLOWED = {
    # units as officials write them
    "tce", "kgce", "kWh", "m", "GJ", "MJ", "kJ", "kg", "t",
    # standard numbers (GB/T 2589-2020, GB 21256-2013) and the quality grade
    "GB", "T", "A",
}  # fmt: skip
CREDIT_CODE = re.compile(r"\b[0-9A-Z]{18}\b")


@pytest.fixture
def ids(engine):
    try:
        cjk_font()
    except ReportFontError as exc:
        skip_outside_ci(str(exc))
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            skip_outside_ci(f"poppler-utils ({tool}) not installed")
    return build(engine)


def _text(pdf: Path, layout: bool = False) -> str:
    run = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path, name: str) -> list[Path]:
    """The pages as PNG images under test-artifacts/reports/ (100 dpi)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    run = ["pdftoppm", "-r", "100", "-png", str(pdf), str(ARTIFACTS / name)]
    subprocess.run(run, check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_annual_report_in_the_statutory_order_and_in_chinese(engine, ids, tmp_path, db_url):
    with engine.connect() as conn:
        content = enterprise_report(conn, Scope.all(), ids["a"], 2025, today=date(2025, 3, 15))
    pdf = tmp_path / "annual.pdf"
    pdf.write_bytes(content)
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    pages = _pages(pdf, f"annual-2025-{backend}")
    assert len(pages) >= 2
    assert all(page.stat().st_size > 10_000 for page in pages)  # drawn, not blank
    flow = _text(pdf)
    text = " ".join(_text(pdf, layout=True).split())

    positions = [flow.find(heading) for heading in SECTIONS]
    assert -1 not in positions, [h for h, p in zip(SECTIONS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    # the year is not over: the period is cut and says so
    assert "报告期：2025年1月1日至2025年3月14日" in text
    assert "2025年度尚未结束，数据截至 3月14日" in text
    # 一: names, not codes
    assert NAME in text
    assert CONTACT in text
    assert "铁东区" in text
    assert "炼铁" in text
    assert "210302" not in CREDIT_CODE.sub("", text)
    # 二: by hand (filed_city.py)
    assert "715.28" in text
    assert "1,721.23" in text
    assert "370.00 万kWh" in text  # 3.7 million kWh as officials write it
    assert "63.57%" in text  # 454.73 / 715.283
    assert "1.00 万m3" in text  # 10 000 m3 of natural gas
    assert "未折算" in text  # heat has no equal value
    # 三: 51.146 kgce/t within level 3 (56) of GB 21256-2013
    assert "51.15" in text
    assert "45.00 / 50.00 / 56.00" in text
    assert "GB 21256-2013" in text
    assert "达到3级（限定值），未超限额" in flow.replace("\n", "")
    # 四: assessed total to date 715.283 - 12.143 - 12.29 = 690.85 tce against 3 000 tce
    assert "3,000.00" in text
    assert "690.85" in text
    assert "能源消费总量" in text
    # 五: says plainly that nothing is recorded
    assert "平台未记录本单位的节能措施和节能技术改造项目" in flow.replace("\n", "")
    # 六: (2900 + 2688 + 2900) / (2976 + 2688 + 2976) = 8488 / 8640 = 98.24 %; on time
    # (2800 + 2688 + 2800) / 8488 = 97.64 %; the events by their Chinese names
    assert "98.24%" in text
    assert "97.64%" in text
    assert "数据突变 1 起" in text
    assert "完整性不足 1 起" in text
    # annex: one line per coefficient, standard and clause, 待核实 where unverified
    annex = flow.split("附录：折标系数及来源", 1)[1]
    assert "GB/T 2589-2020 附录A" in annex
    assert "待核实" in annex
    assert "已核实" in annex
    assert "http" not in flow
    assert "www" not in flow
    # no English, no codes as findings
    latin = set(re.findall(r"[A-Za-z]+", CREDIT_CODE.sub("", flow)))
    assert latin <= LATIN_ALLOWED, latin - LATIN_ALLOWED
    assert "判定：" not in flow


def test_a_whole_year_without_filings_says_what_is_missing(engine, ids, tmp_path):
    with engine.connect() as conn:
        content = enterprise_report(conn, Scope.all(), ids["c"], 2025, today=date(2026, 2, 1))
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(content)
    flow = _text(pdf).replace("\n", "")
    assert "报告期：2025年1月1日至2025年12月31日" in flow
    assert "尚未结束" not in flow
    assert "平台未采集到本单位的能源消费数据" in flow
    assert "未在平台登记产品产量计量项" in flow
    assert "平台未登记本单位2025年度节能目标" in flow
    assert "报告期内暂无数据质量评估结果" in flow
    assert "报告期内无数据质量事件" in flow
