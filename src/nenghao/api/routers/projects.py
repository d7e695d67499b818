"""The project register and its energy-saving review (固定资产投资项目节能审查).

``POST /projects`` creates a draft (assessed on every save); ``PUT``/``PATCH /projects/{id}``
replaces a draft; ``POST /projects/{id}/{action}`` takes a step of the review (one
transition table, `nenghao.review.workflow`); documents are multipart uploads checked by
content; ``GET /review/inbox`` is what the caller may act on now, the oldest deadline first.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep
from nenghao.api.downloads import stored_file
from nenghao.api.errors import ApiError
from nenghao.api.fields import DivisionCode
from nenghao.api.models.projects import (
    ActionIn,
    AssessmentOut,
    DocumentOut,
    InboxItemOut,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    ProjectUpdateIn,
    StepOut,
)
from nenghao.api.params import Id
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, page_out
from nenghao.ingest.attachments import AttachmentError, check
from nenghao.review import documents, register, views, workflow
from nenghao.standards.vocabulary import ReviewTier
from nenghao.store import projects as store
from nenghao.store.common import Page
from nenghao.store.schema_projects import DocumentKind
from nenghao.store.schema_projects import ProjectStatus as Status

router = APIRouter(tags=["projects"], route_class=JsonRoute)
Reader = Annotated[Principal, require("projects:read")]
Writer = Annotated[Principal, require("projects:write")]
Reviewer = Annotated[Principal, require("projects:review")]
Action = Literal[
    "submit", "withdraw", "return", "accept", "file", "opinion", "approve", "reject", "commission"
]
FILE_SCHEMA = {"schema": {"type": "string", "format": "binary"}}


def _detail(engine: Any, principal: Principal, project_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        return views.detail(conn, principal.user, principal.scope, project_id)


@router.post("/projects", response_model=ProjectDetailOut, status_code=201, summary="New draft")
def create_project(body: ProjectIn, principal: Writer, engine: EngineDep, remote: RemoteDep) -> Any:
    """Store a draft project, assessed (tier, two-high, counted figures); audited."""
    with engine.begin() as conn:
        pid = register.create(
            conn, principal.user, principal.scope, body.model_dump(), remote=remote
        )
    return _detail(engine, principal, pid)


@router.get("/projects", response_model=PageOut[ProjectOut], summary="Projects in scope")
def list_projects(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    status: Status | None = None,
    tier: ReviewTier | None = None,
    two_high: bool | None = None,
    division: Annotated[DivisionCode | None, Query()] = None,
    overdue: bool | None = None,
) -> Any:
    """Newest first; ``overdue``: under review past the statutory deadline."""
    where = views.filters(
        status=status, tier=tier, two_high=two_high, division=division, overdue=overdue
    )
    with engine.connect() as conn:
        page = views.listing(conn, principal.scope, where, paging.offset, paging.page_size)
    return page_out(page, paging.page_size)


@router.get("/review/inbox", response_model=PageOut[InboxItemOut], summary="Reviewer's queue")
def inbox(principal: Reviewer, engine: EngineDep, paging: PagingDep) -> Any:
    """Projects the caller reviews that wait for a step, the oldest deadline first."""
    with engine.connect() as conn:
        page = views.inbox(conn, principal.user, principal.scope, paging.offset, paging.page_size)
    return page_out(page, paging.page_size)


@router.get("/projects/{project_id}", response_model=ProjectDetailOut, summary="One project")
def get_project(project_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """With names, lines, the assessment explained, the headroom and the caller's actions."""
    return _detail(engine, principal, project_id)


def _replace(
    project_id: int, body: ProjectUpdateIn, principal: Principal, engine: Any, remote: Any
) -> Any:
    fields = body.model_dump()
    version = fields.pop("version")
    with engine.begin() as conn:
        register.update(
            conn, principal.user, principal.scope, project_id, fields, version, remote=remote
        )
    return _detail(engine, principal, project_id)


@router.put("/projects/{project_id}", response_model=ProjectDetailOut, summary="Replace a draft")
def put_project(
    project_id: Id, body: ProjectUpdateIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """A full replacement of the draft's fields and lines, re-assessed; audited."""
    return _replace(project_id, body, principal, engine, remote)


@router.patch("/projects/{project_id}", response_model=ProjectDetailOut, summary="Replace a draft")
def patch_project(
    project_id: Id, body: ProjectUpdateIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """As PUT (the body is the whole project)."""
    return _replace(project_id, body, principal, engine, remote)


@router.get("/projects/{project_id}/assessment", response_model=AssessmentOut, summary="Assessment")
def assessment(project_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """The assessment of the stored project, with its line-by-line explanation."""
    with engine.connect() as conn:
        row = store.require(conn, principal.scope, project_id)
    result = register.assessed(row)
    return {"project_id": project_id, "assessment": result, "explanation": views.explain(result)}


@router.get("/projects/{project_id}/steps", response_model=PageOut[StepOut], summary="History")
def steps(project_id: Id, principal: Reader, engine: EngineDep, paging: PagingDep) -> Any:
    """Every save and step, oldest first, with the actor's name."""
    with engine.connect() as conn:
        store.require(conn, principal.scope, project_id)
        page = store.steps(conn, project_id, offset=paging.offset, limit=paging.page_size)
    items = [
        {**s, "action_zh": workflow.ACTION_NAMES_ZH.get(s["action"], s["action"])}
        for s in page.items
    ]
    return page_out(Page(items, page.total, page.offset, page.limit), paging.page_size)


def _named_documents(page: Page) -> Page:
    items = [{**d, "kind_zh": documents.KIND_NAMES_ZH[d["kind"]]} for d in page.items]
    return Page(items, page.total, page.offset, page.limit)


@router.get(
    "/projects/{project_id}/documents",
    response_model=PageOut[DocumentOut],
    summary="Documents",
)
def list_documents(project_id: Id, principal: Reader, engine: EngineDep, paging: PagingDep) -> Any:
    """The project's documents (their bytes: GET .../documents/{id})."""
    with engine.connect() as conn:
        store.require(conn, principal.scope, project_id)
        page = store.documents(conn, project_id, offset=paging.offset, limit=paging.page_size)
    return page_out(_named_documents(page), paging.page_size)


@router.post(
    "/projects/{project_id}/documents",
    response_model=DocumentOut,
    status_code=201,
    summary="Upload a document (multipart)",
    responses={413: {"description": "attachment_too_large"}},
)
def upload_document(
    project_id: Id,
    principal: Writer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    kind: Annotated[DocumentKind, Form()],
    file: Annotated[UploadFile, File(description="PDF, DOCX, XLSX, PNG or JPEG")],
) -> Any:
    """Checked by content (type, size); nothing is stored when refused; audited."""
    limit = settings.project_document_max_bytes
    data = file.file.read(limit + 1)
    try:
        checked = check(
            data,
            file.filename,
            max_bytes=limit,
            max_unzipped=settings.notice_attachment_max_unzipped_bytes,
        )
    except AttachmentError as exc:
        status = 413 if exc.code == "attachment_too_large" else 422
        raise ApiError(
            status, exc.code, exc.message, {"filename": file.filename}, zh=exc.zh
        ) from None
    with engine.begin() as conn:
        stored = documents.upload(
            conn,
            principal.user,
            principal.scope,
            project_id,
            kind,
            asdict(checked),
            remote=remote,
        )
    return {**stored, "kind_zh": documents.KIND_NAMES_ZH[kind]}


@router.get(
    "/projects/{project_id}/documents/{document_id}",
    response_class=Response,
    summary="Download a document",
    responses={200: {"content": {"application/octet-stream": FILE_SCHEMA}}},
)
def download(project_id: Id, document_id: Id, principal: Reader, engine: EngineDep) -> Response:
    """The file as uploaded, when the project is visible to the caller."""
    with engine.connect() as conn:
        store.require(conn, principal.scope, project_id)
        found = store.document(conn, project_id, document_id)
    return stored_file(found)


@router.post(
    "/projects/{project_id}/{action}",
    response_model=ProjectDetailOut,
    summary="Take a review step",
)
def act(
    project_id: Id,
    action: Action,
    body: ActionIn,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """submit, withdraw (applicant side); return, accept, file, opinion, approve, reject
    (the reviewer of the project's level and division); commission (either). A step the
    current status does not allow is ``project_transition_not_allowed`` (409)."""
    with engine.begin() as conn:
        workflow.act(
            conn,
            principal.user,
            principal.scope,
            project_id,
            action,
            body.model_dump(exclude_none=True),
            remote=remote,
        )
    return _detail(engine, principal, project_id)
