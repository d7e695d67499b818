"""Report downloads: the monthly city workbook, the list of enterprises above their quota and
the key-unit list (XLSX), and the enterprise annual PDF."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from nenghao.analytics.items import Filters
from nenghao.analytics.periods import Period
from nenghao.analytics.targets import Thresholds
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, SettingsDep
from nenghao.api.errors import ApiError
from nenghao.api.params import Id, Year
from nenghao.api.routers.stats import ProductCode, filters_param, optional_period
from nenghao.config import Settings
from nenghao.reports.enterprise_pdf import enterprise_report
from nenghao.reports.errors import ReportFontError
from nenghao.reports.key_units_xlsx import key_units_report, place_name
from nenghao.reports.monthly_xlsx import monthly_report, report_title
from nenghao.reports.quota_exceeders import compliance_workbook
from nenghao.store import enterprises

router = APIRouter(prefix="/reports", tags=["reports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def file_answer(media_type: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route answering a file download of `media_type`."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {200: {"description": "the file, as an attachment", "content": content}}


def download(
    content: bytes, media_type: str, filename: str, fallback: str | None = None
) -> Response:
    """A file download with a UTF-8 file name (RFC 6266) and an ASCII ``fallback`` for
    clients that read only the plain one (default: `filename` without its other letters)."""
    ascii_name = fallback or filename.encode("ascii", "ignore").decode() or "report"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def _thresholds(settings: Settings) -> Thresholds:
    return Thresholds(settings.target_warning_yellow, settings.target_warning_red)


@router.get(
    "/monthly",
    summary="Monthly city report (XLSX)",
    response_class=Response,
    responses=file_answer(XLSX),
)
def monthly(
    principal: Annotated[Principal, require("reports:city")],
    engine: EngineDep,
    settings: SettingsDep,
    year: Year,
    month: Annotated[int, Query(ge=1, le=12)],
) -> Response:
    """Sheets by division, industry and enterprise with a chart, target progress and
    reporting rates; a district user gets its division's enterprises only, in a workbook
    titled with the district's name."""
    with engine.connect() as conn:
        content = monthly_report(conn, principal.scope, year, month, _thresholds(settings))
        title = report_title(conn, principal.scope, year, month)
    ascii_name = f"monthly-{year}-{month:02d}.xlsx"
    return download(content, XLSX, f"{title}.xlsx".replace(" ", "-"), ascii_name)


@router.get(
    "/quota-exceeders",
    summary="Enterprises above their quota (XLSX)",
    response_class=Response,
    responses=file_answer(XLSX),
)
def quota_exceeders(
    principal: Annotated[Principal, require("reports:city")],
    engine: EngineDep,
    filters: Annotated[Filters, Depends(filters_param)],
    period: Annotated[Period | None, Depends(optional_period)],
    product: ProductCode = None,
    only_exceeders: bool = True,
) -> Response:
    """超限额用能企业清单: the products above their limit (or every product), the year to date
    by default, titled with the district for a district user or a division filter."""
    with engine.connect() as conn:
        content = compliance_workbook(
            conn, principal.scope, period, filters, product, only_exceeders
        )
    label = period.label if period else "ytd"
    return download(content, XLSX, f"quota-exceeders-{label}.xlsx")


@router.get(
    "/key-units",
    summary="Key energy-using unit list of a year (XLSX)",
    response_class=Response,
    responses=file_answer(XLSX),
)
def key_unit_list(
    principal: Annotated[Principal, require("reports:city")],
    engine: EngineDep,
    settings: SettingsDep,
    year: Year,
) -> Response:
    """重点用能单位名录: every enterprise in scope with both years' consumption, the additions
    and removals against the year before; a district user's is titled with its district."""
    place = place_name(principal.scope, settings.city_division)
    with engine.connect() as conn:
        content = key_units_report(conn, principal.scope, year, place)
    return download(content, XLSX, f"重点用能单位名录-{place}-{year}.xlsx")


@router.get(
    "/enterprises/{enterprise_id}/annual",
    summary="Enterprise annual report (PDF)",
    response_class=Response,
    responses=file_answer(PDF),
)
def annual(
    enterprise_id: Id,
    principal: Annotated[Principal, require("reports:enterprise")],
    engine: EngineDep,
    settings: SettingsDep,
    year: Year,
) -> Response:
    """能源利用状况报告 of one enterprise in the caller's scope, Chinese font embedded."""
    try:
        with engine.connect() as conn:
            content = enterprise_report(
                conn, principal.scope, enterprise_id, year, _thresholds(settings)
            )
            found = enterprises.get(conn, principal.scope, enterprise_id)
    except ReportFontError as exc:
        raise ApiError(503, "report_font_missing", str(exc)) from None
    name = f"{found['name'] if found else enterprise_id}{year}年度能源利用状况报告.pdf"
    return download(content, PDF, name, f"energy-report-{enterprise_id}-{year}.pdf")
