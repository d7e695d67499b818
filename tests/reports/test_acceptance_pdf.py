"""The acceptance report (节能验收报告): its text, extracted with pdftotext, against the
worked example of tests/review/operating_project.py computed by hand."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from environment import skip_outside_ci
from nenghao.reports.acceptance_pdf import acceptance_report
from nenghao.reports.errors import ReportFontError
from nenghao.store.scope import Scope

sys.path.insert(0, str(Path(__file__).parents[1] / "review"))
from operating_project import operating
from project_support import cast


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "acceptance.pdf"
    path.write_bytes(pdf)
    run = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def pdf(engine) -> bytes:
    if shutil.which("pdftotext") is None:
        skip_outside_ci("poppler-utils (pdftotext) not installed")
    with engine.begin() as conn:
        people = cast(conn)
        pid, _items = operating(conn, people)
        try:
            return acceptance_report(conn, Scope.all(), pid, as_of=date(2025, 3, 1))
        except ReportFontError as exc:
            skip_outside_ci(str(exc))


def test_the_acceptance_report_sets_approved_against_actual(pdf, tmp_path):
    text = _text(pdf, tmp_path)
    assert pdf.startswith(b"%PDF")
    for words in (
        "固定资产投资项目节能验收报告",
        "年产 5 万吨涂料项目",
        "投产后一年内完成节能验收",
    ):
        assert words in text
    assert "2025年1月1日" in text  # commissioned
    # 当量值: approved 1 551.5 tce; actual 5.1230 tce a day x 365 = 1 869.895 tce; +20.52 %
    assert "1,551.50" in text
    assert "1,869.90" in text
    assert "+20.52%" in text
    # 等价值: 1 832.6 against 5.4041 x 365 = 1 972.4965 tce: +7.63 %
    assert "1,832.60" in text
    assert "1,972.50" in text
    assert "+7.63%" in text
    # 涂料: 5.1230 tce / 140 t = 36.59 kgce/t against 31.03: +17.93 %
    assert "31.03" in text
    assert "36.59" in text
    assert "+17.93%" in text
    # the months used: January 31 x 5.1230 = 158.813 tce, February 28 x 5.1230 = 143.444 tce
    assert "158.81" in text
    assert "143.44" in text
    assert "按 2 个月折算" in text
    assert "超过限值" in text
    assert "仅供参考" in text  # fewer than 3 months
    assert "待核实" in text  # the threshold's source is unverified
