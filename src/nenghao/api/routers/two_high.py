"""Existing two-high installations (存量两高项目): the ledger with measured unit consumption
against the benchmark and baseline levels, the installation register, rectification plans
(整改方案) with their progress notes and completion, and the ledger as XLSX.

Regulators (the city; a district within its division) register installations and keep the
plans; an enterprise reads its own and adds progress notes to its own plans.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from nenghao.analytics.periods import Period, today_cst
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep
from nenghao.api.models.two_high import (
    InstallationDetail,
    InstallationIn,
    InstallationOut,
    InstallationPatch,
    InstallationStatus,
    LedgerPage,
    Position,
    RectificationCompleteIn,
    RectificationPlanDetail,
    RectificationPlanIn,
    RectificationPlanOut,
    RectificationPlanPatch,
    RectificationUpdateIn,
    RectificationUpdateOut,
    UnregisteredOut,
)
from nenghao.api.params import Id, IdFilter, YearFilter
from nenghao.api.routers.reports import XLSX, download, file_answer
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, page_out
from nenghao.reports.key_units_xlsx import place_name
from nenghao.reports.two_high_xlsx import ledger_workbook
from nenghao.review import rectification
from nenghao.review.two_high_ledger import describe, ledger, month_series, unregistered
from nenghao.store import two_high, two_high_plans

router = APIRouter(prefix="/two-high", tags=["two-high"], route_class=JsonRoute)
Reader = Annotated[Principal, require("two_high:read")]
Writer = Annotated[Principal, require("two_high:write")]
Reporter = Annotated[Principal, require("two_high:progress")]
Division = Annotated[str | None, Query(max_length=6, description="GB/T 2260 code")]
Sector = Annotated[str | None, Query(max_length=32, description="two-high sector code")]


@router.get("/installations", response_model=LedgerPage, summary="The two-high ledger (paged)")
def list_installations(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    year: YearFilter = None,
    division: Division = None,
    sector: Sector = None,
    position: Position | None = None,
    needs_plan: Annotated[
        bool | None, Query(description="worse than baseline and active (true) or not")
    ] = None,
    status: InstallationStatus | None = None,
) -> Any:
    """Every installation in scope with its measured unit consumption of the latest 12
    complete CST months (or ``year``), levels and position; counts are of the whole ledger."""
    with engine.connect() as conn:
        answer = ledger(conn, principal.scope, year=year)
        missing = unregistered(conn, principal.scope, limit=1).total
    rows = [
        row
        for row in answer["rows"]
        if (division is None or row["division_code"] == division)
        and (sector is None or row["sector"] == sector)
        and (position is None or row["position"] == position)
        and (needs_plan is None or row["needs_plan"] == needs_plan)
        and (status is None or row["status"] == status)
    ]
    shown = rows[paging.offset : paging.offset + paging.page_size]
    return {
        **{key: answer[key] for key in ("period", "start", "end", "partial", "through")},
        **{key: answer[key] for key in ("counts", "plans_missing", "notes")},
        "items": shown,
        "total": len(rows),
        "page": paging.page,
        "page_size": paging.page_size,
        "unregistered_enterprises": missing,
    }


@router.post(
    "/installations",
    response_model=InstallationOut,
    status_code=201,
    summary="Register a two-high installation",
    responses={404: {"description": "enterprise_not_found"}},
)
def create_installation(
    body: InstallationIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """An installation of an enterprise in the caller's scope; audited."""
    fields = body.model_dump(exclude={"enterprise_id"})
    with engine.begin() as conn:
        row = two_high.create(
            conn,
            principal.scope,
            body.enterprise_id,
            fields,
            actor=principal.username,
            remote=remote,
        )
    return describe(row)


@router.get(
    "/unregistered",
    response_model=PageOut[UnregisteredOut],
    summary="Two-high enterprises with no installation registered",
)
def list_unregistered(principal: Reader, engine: EngineDep, paging: PagingDep) -> Any:
    """未登记装置: enterprises of a two-high industry in scope without an active installation,
    so that a regulator can complete the ledger."""
    with engine.connect() as conn:
        page = unregistered(conn, principal.scope, offset=paging.offset, limit=paging.page_size)
    return page_out(page, paging.page_size)


@router.get(
    "/installations/{entry_id}",
    response_model=InstallationDetail,
    summary="One installation with its monthly series",
)
def get_installation(
    entry_id: Id, principal: Reader, engine: EngineDep, year: YearFilter = None
) -> Any:
    """The ledger row and the measured unit consumption of each CST month of the period."""
    with engine.connect() as conn:
        two_high.get(conn, principal.scope, entry_id)
        answer = ledger(conn, principal.scope, year=year, installation_id=entry_id)
        row = answer["rows"][0]
        period_months = _months(answer["start"], answer["end"])
        series = month_series(conn, principal.scope, row, period_months)
    keys = ("period", "start", "end", "partial")
    return {**row, **{key: answer[key] for key in keys}, "series": series}


def _months(start: str, end: str) -> list[Any]:
    return Period.parse(f"{start}..{end}").bucket_starts("month")


@router.patch(
    "/installations/{entry_id}",
    response_model=InstallationOut,
    summary="Change or close an installation",
)
def change_installation(
    entry_id: Id,
    body: InstallationPatch,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """The fields sent change (``status: closed`` closes it); audited."""
    with engine.begin() as conn:
        row = two_high.change(
            conn,
            principal.scope,
            entry_id,
            body.model_dump(exclude_unset=True),
            actor=principal.username,
            remote=remote,
        )
    return describe(row)


@router.delete(
    "/installations/{entry_id}",
    response_model=InstallationOut,
    summary="Delete an installation registered by mistake",
)
def delete_installation(
    entry_id: Id, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """409 ``installation_has_plans`` when it has plans (close it instead); audited."""
    with engine.begin() as conn:
        row = two_high.remove(
            conn, principal.scope, entry_id, actor=principal.username, remote=remote
        )
    return describe(row)


@router.post(
    "/installations/{entry_id}/plans",
    response_model=RectificationPlanOut,
    status_code=201,
    summary="Make a rectification plan",
)
def create_plan(
    entry_id: Id, body: RectificationPlanIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """A plan with measures, target (the baseline by default), deadline and the
    responsible person; audited."""
    today = today_cst()
    with engine.begin() as conn:
        plan = rectification.create_plan(
            conn,
            principal.scope,
            entry_id,
            body.model_dump(),
            today=today,
            actor=principal.username,
            remote=remote,
        )
    return rectification.plan_view(plan, today)


@router.get(
    "/plans", response_model=PageOut[RectificationPlanOut], summary="Rectification plans in scope"
)
def list_plans(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    overdue: Annotated[bool, Query(description="open plans past their deadline only")] = False,
    installation_id: IdFilter = None,
) -> Any:
    """Earliest deadline first."""
    today = today_cst()
    with engine.connect() as conn:
        page = two_high_plans.listing(
            conn,
            principal.scope,
            installation_id=installation_id,
            overdue_on=today if overdue else None,
            offset=paging.offset,
            limit=paging.page_size,
        )
    answer = page_out(page, paging.page_size)
    return {**answer, "items": [rectification.plan_view(p, today) for p in answer["items"]]}


@router.get(
    "/plans/{entry_id}", response_model=RectificationPlanDetail, summary="A plan with its progress"
)
def get_plan(entry_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """The plan, the monthly series since it was made against its target, on track or not,
    and the completion check."""
    with engine.connect() as conn:
        plan = two_high_plans.get(conn, principal.scope, entry_id)
        return rectification.progress(conn, principal.scope, plan, today_cst())


@router.patch(
    "/plans/{entry_id}", response_model=RectificationPlanOut, summary="Change an open plan"
)
def change_plan(
    entry_id: Id,
    body: RectificationPlanPatch,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """The fields sent change; ``version`` must be the plan's current one (409
    ``rectification_plan_version_conflict`` otherwise); audited."""
    today = today_cst()
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    with engine.begin() as conn:
        plan = two_high_plans.change(
            conn,
            principal.scope,
            entry_id,
            {key: value for key, value in changes.items() if value is not None},
            version=body.version,
            today=today,
            actor=principal.username,
            remote=remote,
        )
    return rectification.plan_view(plan, today)


@router.post(
    "/plans/{entry_id}/updates",
    response_model=RectificationUpdateOut,
    status_code=201,
    summary="Add a progress note",
)
def add_update(
    entry_id: Id,
    body: RectificationUpdateIn,
    principal: Reporter,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """The enterprise (its own plans) or a regulator records progress; audited."""
    with engine.begin() as conn:
        return two_high_plans.add_update(
            conn,
            principal.scope,
            entry_id,
            body.model_dump(),
            actor=principal.username,
            role=principal.role,
            remote=remote,
        )


@router.get(
    "/plans/{entry_id}/updates",
    response_model=PageOut[RectificationUpdateOut],
    summary="A plan's progress notes",
)
def list_updates(entry_id: Id, principal: Reader, engine: EngineDep, paging: PagingDep) -> Any:
    """Newest first."""
    with engine.connect() as conn:
        page = two_high_plans.updates(
            conn, principal.scope, entry_id, offset=paging.offset, limit=paging.page_size
        )
    return page_out(page, paging.page_size)


@router.post(
    "/plans/{entry_id}/complete",
    response_model=RectificationPlanOut,
    summary="Confirm a plan completed",
)
def complete_plan(
    entry_id: Id,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
    body: RectificationCompleteIn | None = None,
) -> Any:
    """Refused (409 ``rectification_target_not_met``) unless the measured unit consumption
    of the last 3 complete months meets the target; resolves the plan's overdue alert."""
    with engine.begin() as conn:
        return rectification.complete_plan(
            conn,
            principal.scope,
            entry_id,
            version=body.version if body else None,
            note=body.note if body else None,
            today=today_cst(),
            actor=principal.username,
            remote=remote,
        )


@router.get(
    "/ledger.xlsx",
    summary="The two-high ledger (XLSX)",
    response_class=Response,
    responses=file_answer(XLSX),
)
def ledger_xlsx(
    principal: Reader, engine: EngineDep, settings: SettingsDep, year: YearFilter = None
) -> Response:
    """存量两高项目台账: Chinese headers, names, units, 未核实 marks, the period and the
    export date in the title; a second sheet lists the enterprises without installations."""
    place = place_name(principal.scope, settings.city_division)
    with engine.connect() as conn:
        content = ledger_workbook(conn, principal.scope, place, year=year)
    label = str(year) if year else "12m"
    return download(
        content, XLSX, f"存量两高项目台账-{place}-{label}.xlsx", f"two-high-{label}.xlsx"
    )
