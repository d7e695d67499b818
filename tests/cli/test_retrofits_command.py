"""``nenghao retrofits``: register a kiln retrofit from a file, verify it, adjust it (and the
refusal outside the reporting period, exit 2), the ledger (table, XLSX) and the PDF.

The kiln is tests/retrofit_kiln.py's: 642.87 tce/a verified against a claim of 1285.74.
"""

from __future__ import annotations

import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store.rollups import rebuild
from retrofit_kiln import body, kiln

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["retrofits", *args])


def test_register_verify_adjust_and_documents(registered, engine, tmp_path) -> None:
    with engine.begin() as conn:
        coal, output = kiln(conn, registered, "kiln3", reporting_rate=0.15)
        rebuild(conn)
    fields = body(registered, coal, output)
    del fields["enterprise_id"]
    path = tmp_path / "retrofit.json"
    path.write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")
    made = _run("create", "-e", str(registered), "-f", str(path))
    assert made.exit_code == 0, made.output
    assert "3号轻烧窑改造" in made.output
    checked = _run("verify", "1")
    assert checked.exit_code == 0, checked.output
    # 642.87 tce/a against 1285.74 claimed: 50 %, below the 80 % flag share
    assert "折合每年 642.9 tce/a" in checked.output
    assert "比例 50%，低于核验比例" in checked.output
    outside = _run(
        "adjust",
        "1",
        "--month",
        "2024-05",
        "--kind",
        "capacity",
        "--amount",
        "5",
        "--reason",
        "扩产",
    )
    assert outside.exit_code == 2
    assert "adjustment_outside_reporting" in outside.output
    adjusted = _run(
        "adjust",
        "1",
        "--month",
        "2025-05",
        "--kind",
        "capacity",
        "--amount",
        "5",
        "--reason",
        "扩产",
    )
    assert adjusted.exit_code == 0, adjusted.output
    answer = json.loads(_run("verify", "1", "--json").output)
    # 321.435 + 5 = 326.435 tce over the reporting period
    assert abs(answer["savings"]["avoided_tce"] - 326.435) < 1e-6
    listed = _run("list", "--xlsx", str(tmp_path / "ledger.xlsx"))
    assert listed.exit_code == 0, listed.output
    rows = list(load_workbook(tmp_path / "ledger.xlsx").active.iter_rows(values_only=True))
    assert rows[2][2] == "3号轻烧窑改造"
    report = _run("pdf", "1", "-o", str(tmp_path / "report.pdf"))
    assert report.exit_code == 0, report.output
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
