"""After commissioning (事中事后监管): link an operating project to its enterprise's data items,
its monthly comparison with the approval, and the acceptance report (验收报告, PDF).

Registered before the project router, whose ``POST /projects/{id}/{action}`` would otherwise
take ``/items``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, RemoteDep
from nenghao.api.errors import ApiError
from nenghao.api.models.project_operation import LinkedOut, LinkIn, OperationOut
from nenghao.api.params import Id
from nenghao.api.routers.reports import PDF, download, file_answer
from nenghao.api.routing import JsonRoute
from nenghao.reports.acceptance_pdf import acceptance_report
from nenghao.reports.errors import ReportFontError
from nenghao.review import commissioning
from nenghao.review.operation import operation

router = APIRouter(tags=["projects"], route_class=JsonRoute)
Reader = Annotated[Principal, require("projects:read")]
Linker = Annotated[Principal, require("projects:link")]


@router.post(
    "/projects/{project_id}/items", response_model=LinkedOut, summary="Link metering items"
)
def link_items(
    project_id: Id, body: LinkIn, principal: Linker, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Link an approved or filed project to data items of its applicant enterprise (approved
    energy, medium and product-output items), recording the commissioning date through the
    ``commission`` step when given; audited."""
    with engine.begin() as conn:
        return commissioning.link(
            conn,
            principal.user,
            principal.scope,
            project_id,
            body.item_ids,
            body.commissioned_on,
            remote=remote,
        )


@router.get(
    "/projects/{project_id}/operation", response_model=OperationOut, summary="Actual vs approved"
)
def project_operation(project_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """Each complete CST month since commissioning, the annualised consumption (当量值,
    等价值), CO2 and unit-product consumption against the approved figures, the deviation
    and whether it reaches the threshold."""
    with engine.connect() as conn:
        return operation(conn, principal.scope, project_id)


@router.get(
    "/projects/{project_id}/acceptance.pdf",
    summary="Acceptance report (PDF)",
    response_class=Response,
    responses=file_answer(PDF),
)
def acceptance(project_id: Id, principal: Reader, engine: EngineDep) -> Response:
    """节能验收报告: the approval set against the metered figures, Chinese font embedded."""
    try:
        with engine.connect() as conn:
            content = acceptance_report(conn, principal.scope, project_id)
            name = commissioning.linked_view(conn, principal.scope, project_id)["project_name"]
    except ReportFontError as exc:
        raise ApiError(503, "report_font_missing", str(exc)) from None
    return download(content, PDF, f"{name}节能验收报告.pdf", f"acceptance-{project_id}.pdf")
