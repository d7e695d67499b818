"""Energy-saving retrofit projects (节能改造项目) and their measurement and verification:
the register, the M&V of each project, non-routine adjustments, the ledger as XLSX and the
verification report as PDF.

Enterprises register their own retrofits; regulators register any in their scope and enter
non-routine adjustments; everyone reads what lies in their scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep
from nenghao.api.models.retrofits import (
    RetrofitAdjustmentIn,
    RetrofitAdjustmentOut,
    RetrofitIn,
    RetrofitLedger,
    RetrofitOut,
    RetrofitVerificationOut,
)
from nenghao.api.params import Id
from nenghao.api.routers.reports import PDF, XLSX, download, file_answer
from nenghao.api.routing import JsonRoute
from nenghao.reports.retrofit_pdf import verification_pdf
from nenghao.reports.retrofits_xlsx import ledger_workbook
from nenghao.retrofits import register
from nenghao.retrofits.verification import verify
from nenghao.retrofits.views import adjustment, describe, ledger, verification
from nenghao.store import retrofits as store

router = APIRouter(prefix="/retrofits", tags=["retrofits"], route_class=JsonRoute)
Reader = Annotated[Principal, require("retrofits:read")]
Writer = Annotated[Principal, require("retrofits:write")]
Adjuster = Annotated[Principal, require("retrofits:adjust")]


@router.get("", response_model=RetrofitLedger, summary="Retrofits with verified savings")
def list_retrofits(principal: Reader, engine: EngineDep, paging: PagingDep) -> Any:
    """A page of the retrofits in scope, each with its verified saving per year beside the
    claim; ``flagged`` counts the whole ledger's (a city's retrofits are verified at once)."""
    with engine.connect() as conn:
        rows = ledger(conn, principal.scope)
    return {
        "items": rows[paging.offset : paging.offset + paging.page_size],
        "total": len(rows),
        "page": paging.page,
        "page_size": paging.page_size,
        "flagged": sum(r["flagged"] for r in rows),
    }


@router.post(
    "",
    response_model=RetrofitOut,
    status_code=201,
    summary="Register a retrofit project",
    responses={404: {"description": "enterprise_not_found"}},
)
def create_retrofit(
    body: RetrofitIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """A retrofit of an enterprise in the caller's scope; audited."""
    fields = body.model_dump(exclude={"enterprise_id"}, exclude_none=True)
    fields["variables"] = [v.model_dump(exclude_none=True) for v in body.variables]
    scope, actor = principal.scope, principal.username
    with engine.begin() as conn:
        row = register.create(conn, scope, body.enterprise_id, fields, actor=actor, remote=remote)
    return describe(row)


@router.get("/ledger.xlsx", response_class=Response, responses=file_answer(XLSX))
def ledger_xlsx(principal: Reader, engine: EngineDep) -> Response:
    """The retrofit ledger (节能改造项目台账): verified against claimed savings, as XLSX."""
    with engine.connect() as conn:
        rows = ledger(conn, principal.scope)
    return download(ledger_workbook(rows), XLSX, "节能改造项目台账.xlsx", "retrofits.xlsx")


@router.get("/{entry_id}", response_model=RetrofitOut, summary="A retrofit project")
def get_retrofit(entry_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """The project as registered (404 ``retrofit_not_found``, also outside scope)."""
    with engine.connect() as conn:
        return describe(store.get(conn, principal.scope, entry_id))


@router.get(
    "/{entry_id}/verification",
    response_model=RetrofitVerificationOut,
    summary="The project's measurement and verification",
)
def get_verification(entry_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """Baseline model and its criteria, the two periods' series, the saving with its 90 %
    uncertainty and the claim check (422 when the data cannot give a model)."""
    with engine.connect() as conn:
        return verification(verify(conn, principal.scope, entry_id))


@router.post(
    "/{entry_id}/adjustments",
    response_model=RetrofitAdjustmentOut,
    status_code=201,
    summary="Enter a non-routine adjustment",
)
def add_adjustment(
    entry_id: Id,
    body: RetrofitAdjustmentIn,
    principal: Adjuster,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """A capacity or product change of a reporting-period month, with its reason; audited."""
    with engine.begin() as conn:
        row = register.add_adjustment(
            conn,
            principal.scope,
            entry_id,
            body.model_dump(),
            actor=principal.username,
            remote=remote,
        )
    return adjustment(row)


@router.get("/{entry_id}/report.pdf", response_class=Response, responses=file_answer(PDF))
def report_pdf(entry_id: Id, principal: Reader, engine: EngineDep) -> Response:
    """The verification report (节能量核验报告) in Chinese, as PDF."""
    with engine.connect() as conn:
        result = verify(conn, principal.scope, entry_id)
    content = verification_pdf(describe(result.retrofit), verification(result))
    return download(content, PDF, f"节能量核验报告-{entry_id}.pdf", f"retrofit-{entry_id}.pdf")
