"""Monthly and annual filings (月报 / 年报): file or revise a period, read it with the online
comparison, its revision history, and the city's list of filings to review."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, UplinkDep
from nenghao.api.errors import ApiError
from nenghao.api.models.filings import (
    FilingFormOut,
    FilingOut,
    FilingRevisionOut,
    PeriodFilingIn,
)
from nenghao.api.params import Id
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, page_out
from nenghao.ingest.filing import FilingRequest, file_period, form_lines
from nenghao.ingest.filing_lines import FilingRefusedError, LineIn, label_period
from nenghao.store import filings
from nenghao.store.filings import line_name
from nenghao.store.items import enterprise_in_scope

router = APIRouter(tags=["filings"], route_class=JsonRoute)
LABEL = r"^(19|20)[0-9]{2}(-(0[1-9]|1[0-2]))?$"
"""A month (``2025-11``) or a year (``2025``)."""
Reader = Annotated[Principal, require("filings:read")]
Writer = Annotated[Principal, require("filings:write")]
PeriodLabel = Annotated[str, Path(pattern=LABEL, description="a month YYYY-MM or a year YYYY")]


def refused(exc: FilingRefusedError) -> ApiError:
    """The 422 answer of a refused filing, with its Chinese message."""
    return ApiError(422, exc.code, exc.message, exc.details, zh=exc.zh)


def _line(line: dict[str, Any]) -> dict[str, Any]:
    days = line.get("online_days")
    return {
        **line,
        "name": line_name(line["kind"], line["subject"]),
        "partial": days is not None and days < line["period_days"],
    }


def _filing(filing: dict[str, Any]) -> dict[str, Any]:
    return {**filing, "lines": [_line(line) for line in filing["lines"]]}


@router.post(
    "/enterprises/{enterprise_id}/filings/{period}",
    response_model=FilingOut,
    summary="File (or revise) a month's or a year's figures",
)
def file_filing(
    enterprise_id: Id,
    period: PeriodLabel,
    body: PeriodFilingIn,
    principal: Writer,
    engine: EngineDep,
    uplink: UplinkDep,
    remote: RemoteDep,
) -> Any:
    """Energy by kind, product output, output value and added value for a month (YYYY-MM)
    or a year (YYYY); checked whole (one bad line stores nothing). A period filed before
    needs a `reason`; every revision is kept (docs/filing.md)."""
    with engine.connect() as conn:
        enterprise = enterprise_in_scope(conn, principal.scope, enterprise_id)
    lines = [LineIn(line.kind, line.subject, line.value, line.unit) for line in body.lines]
    request = FilingRequest(enterprise, period, lines, body.reason, principal.username, remote)
    try:
        filed = file_period(uplink, request)
    except FilingRefusedError as exc:
        raise refused(exc) from None
    with engine.connect() as conn:
        found = filings.get(
            conn, principal.scope, enterprise_id, filed["period"], filed["period_start"]
        )
    assert found is not None
    return _filing(found)


@router.get(
    "/enterprises/{enterprise_id}/filings",
    response_model=PageOut[FilingOut],
    summary="List an enterprise's filings",
)
def list_enterprise_filings(
    enterprise_id: Id,
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    period: Annotated[str | None, Query(pattern=LABEL, description="YYYY-MM or YYYY")] = None,
    flagged: bool | None = None,
) -> Any:
    """The enterprise's filings, newest period first, with their current lines."""
    with engine.connect() as conn:
        enterprise_in_scope(conn, principal.scope, enterprise_id)
        page = filings.list_filings(
            conn,
            principal.scope,
            enterprise_id=enterprise_id,
            label=period,
            flagged=flagged,
            offset=paging.offset,
            limit=paging.page_size,
        )
    page.items[:] = [_filing(item) for item in page.items]
    return page_out(page, paging.page_size)


@router.get(
    "/enterprises/{enterprise_id}/filings/{period}",
    response_model=FilingFormOut,
    summary="A period's filing and the lines of its form",
)
def filing_form(
    enterprise_id: Id, period: PeriodLabel, principal: Reader, engine: EngineDep
) -> Any:
    """The filing of the period (None before the first) and a line for each quantity the
    enterprise registers at its fence, with its online figure for the period."""
    try:
        span = label_period(period)
    except FilingRefusedError as exc:
        raise refused(exc) from None
    with engine.connect() as conn:
        enterprise_in_scope(conn, principal.scope, enterprise_id)
        found = filings.get(conn, principal.scope, enterprise_id, span.period, span.start)
        lines = form_lines(conn, enterprise_id, span)
    return {
        "label": span.label,
        "period": span.period,
        "filing": _filing(found) if found else None,
        "lines": lines,
    }


@router.get(
    "/enterprises/{enterprise_id}/filings/{period}/history",
    response_model=PageOut[FilingRevisionOut],
    summary="The revisions of a period's filing",
)
def filing_history(
    enterprise_id: Id, period: PeriodLabel, principal: Reader, engine: EngineDep, paging: PagingDep
) -> Any:
    """Every revision, newest first: who filed it, when, why, and its lines."""
    try:
        span = label_period(period)
    except FilingRefusedError as exc:
        raise refused(exc) from None
    with engine.connect() as conn:
        enterprise_in_scope(conn, principal.scope, enterprise_id)
        found = filings.get(conn, principal.scope, enterprise_id, span.period, span.start)
        if found is None:
            raise ApiError(404, "filing_not_found", f"no filing for {span.label}")
        page = filings.history(conn, found["id"], offset=paging.offset, limit=paging.page_size)
    answer = page_out(page, paging.page_size)
    answer["items"] = [_filing(revision) for revision in page.items]
    return answer


@router.get("/filings", response_model=PageOut[FilingOut], summary="Filings across the city")
def list_city_filings(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    flagged: bool | None = None,
    period: Annotated[str | None, Query(pattern=LABEL, description="YYYY-MM or YYYY")] = None,
) -> Any:
    """The filings of the enterprises in the caller's scope; `flagged=true`: those whose
    figures differ from the online data by more than 5 % (需复核)."""
    with engine.connect() as conn:
        page = filings.list_filings(
            conn,
            principal.scope,
            label=period,
            flagged=flagged,
            offset=paging.offset,
            limit=paging.page_size,
        )
    page.items[:] = [_filing(item) for item in page.items]
    return page_out(page, paging.page_size)
