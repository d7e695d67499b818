"""Fault reports (故障报备): enterprises report and close their own; regulators see all in
scope and the overdue repairs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep
from nenghao.api.params import Id
from nenghao.api.routers.enterprises import EnterpriseId, not_found
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, PageOut, Strict, page_out
from nenghao.standards.calendar import cst_date
from nenghao.store import common, enterprises, faults

router = APIRouter(tags=["fault reports"], route_class=JsonRoute)
Reader = Annotated[Principal, require("status:read")]
Writer = Annotated[Principal, require("faults:write")]
Status = Literal["open", "repaired"]


class FaultOut(Model):
    id: int
    enterprise_id: int
    enterprise_name: str
    division_code: str
    key_id: str | None
    cause: str
    cause_name: str = Field(description="The cause in Chinese")
    cause_name_en: str
    cause_text: str | None
    started_at: Instant
    expected_repair: date
    status: Status
    reported_by: str
    reported_at: Instant
    repaired_at: Instant
    repaired_by: str | None
    note: str | None


class FaultIn(Strict):
    cause: str = Field(
        min_length=1,
        max_length=16,
        description="communication, collector, meter, shutdown, other (or the Chinese name)",
    )
    cause_text: str | None = Field(default=None, max_length=500)
    started_at: AwareDatetime = Field(description="When the fault began (RFC 3339 with offset)")
    expected_repair: date = Field(description="The CST date the repair is expected")
    key_id: str | None = Field(default=None, min_length=1, max_length=40)
    note: str | None = Field(default=None, max_length=1000)


class RepairIn(Strict):
    note: str | None = Field(default=None, max_length=1000)


@router.get(
    "/enterprises/{enterprise_id}/faults",
    response_model=PageOut[FaultOut],
    summary="An enterprise's fault reports",
)
def list_faults(
    enterprise_id: EnterpriseId,
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    status: Status | None = None,
) -> Any:
    """The enterprise's reports, newest first."""
    with engine.connect() as conn:
        if enterprises.get(conn, principal.scope, enterprise_id) is None:
            raise not_found(enterprise_id)
        page = faults.listing(
            conn,
            principal.scope,
            enterprise_id=enterprise_id,
            status=status,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.post(
    "/enterprises/{enterprise_id}/faults",
    response_model=FaultOut,
    status_code=201,
    summary="Report a device fault (故障报备)",
)
def report_fault(
    enterprise_id: EnterpriseId,
    body: FaultIn,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """An open report with its cause and expected repair date; 422 when the date lies before
    the start, the start in the future, or the cause is unknown."""
    fields = body.model_dump()
    fields["started_at"] = int(body.started_at.timestamp())
    with engine.begin() as conn:
        if enterprises.get(conn, principal.scope, enterprise_id) is None:
            raise not_found(enterprise_id)
        return faults.report(
            conn, principal.scope, enterprise_id, fields, actor=principal.username, remote=remote
        )


@router.post(
    "/enterprises/{enterprise_id}/faults/{entry_id}/repair",
    response_model=FaultOut,
    summary="Mark a fault report repaired",
)
def repair_fault(
    enterprise_id: EnterpriseId,
    entry_id: Id,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
    body: RepairIn | None = None,
) -> Any:
    """Close an open report (409 when it is already repaired)."""
    with engine.begin() as conn:
        if enterprises.get(conn, principal.scope, enterprise_id) is None:
            raise not_found(enterprise_id)
        return faults.repair(
            conn,
            principal.scope,
            enterprise_id,
            entry_id,
            note=body.note if body else None,
            actor=principal.username,
            remote=remote,
        )


@router.get("/faults", response_model=PageOut[FaultOut], summary="Fault reports in scope")
def city_faults(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    status: Status | None = None,
    overdue: Annotated[
        bool, Query(description="Open reports whose expected repair date has passed")
    ] = False,
) -> Any:
    """Reports of every enterprise in scope, newest first; ``overdue=true``: the overdue
    repairs only."""
    with engine.connect() as conn:
        page = faults.listing(
            conn,
            principal.scope,
            status=status,
            overdue_on=cst_date(common.now()) if overdue else None,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)
