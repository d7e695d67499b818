"""The retrofit ledger (节能改造项目台账) as an XLSX workbook: one row per retrofit with its
claimed saving beside the verified one (当量值, 等价值, tCO2, the 90 % uncertainty), the model's
CV(RMSE) and NMBE and whether the saving is flagged. The figures are
`nenghao.retrofits.views.ledger`'s; the workbook lays them out."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

HEADERS = (
    "序号",
    "企业名称",
    "项目名称",
    "测量和验证方案",
    "基准期",
    "报告期",
    "投资（万元）",
    "申报年节能量 (tce)",
    "核验年节能量 (tce，当量值)",
    "核验年节能量 (tce，等价值)",
    "年减排量 (tCO2)",
    "不确定度 (±tce，90%)",
    "核验 / 申报",
    "CV(RMSE)",
    "NMBE",
    "核验状态",
    "标记",
)
WIDTHS = (6, 28, 28, 12, 18, 18, 12, 14, 16, 16, 14, 14, 10, 10, 10, 22, 12)
STATUS_ZH = {
    "verified": "已核验",
    "model_rejected": "基准模型不满足判据（按申报值）",
    "no_data": "数据不足，无法核验",
}
_HEAD = PatternFill("solid", fgColor="DDEBF7")


def _row(number: int, line: dict[str, Any]) -> list[Any]:
    verified = line["status"] == "verified"
    return [
        number,
        line["enterprise_name"],
        line["name"],
        f"IPMVP 选项 {line['mv_option']}",
        f"{line['baseline_from']} 至 {line['baseline_to']}",
        f"{line['reporting_from']} 至 {line['reporting_to']}",
        line["investment_wan"],
        line["claimed_saving_tce"],
        line["verified_tce"] if verified else None,
        line["verified_equal_tce"] if verified else None,
        line["verified_tco2"] if verified else None,
        line["uncertainty_tce"] if verified else None,
        line["ratio"] if verified else None,
        line["cvrmse"],
        line["nmbe"],
        STATUS_ZH[line["status"]],
        "低于核验比例" if line["flagged"] else "",
    ]


def ledger_workbook(lines: list[dict[str, Any]]) -> bytes:
    """The ledger of ``lines`` (as `views.ledger` gives them) as XLSX bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "节能改造项目台账"
    sheet.append(["节能改造项目台账：核验节能量与申报节能量"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, line in enumerate(lines, start=1):
        sheet.append(_row(number, line))
    for row in sheet.iter_rows(min_row=3):
        for column in (7, 8, 9, 10, 11):
            row[column].number_format = "#,##0.0"
        for column in (12, 13, 14):
            row[column].number_format = "0.0%"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    sheet.freeze_panes = "A3"
    sheet.append([])
    sheet.append(
        [
            "说明：核验节能量按 GB/T 28750-2012 与 IPMVP 选项 B/C，由基准期回归模型（ASHRAE "
            "Guideline 14 校准判据）计算；基准模型不满足判据或数据不足的项目不列核验值，"
            "碳达峰路径按申报值计。判据取值见 standards/data/mv.toml（未核实）。"
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
