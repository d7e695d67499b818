"""Notices (通知公告): regulators send, enterprises read; attachments and read receipts.

``POST /notices`` is multipart (fields and files). Attachments are judged by their content
(`nenghao.ingest.attachments`): a forbidden or mismatched type is a 422, an oversize file a
413, and nothing is stored. ``GET /notices/{id}`` records an enterprise user's reading.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Response, UploadFile

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep
from nenghao.api.downloads import stored_file
from nenghao.api.errors import ApiError
from nenghao.api.fields import NON_BLANK
from nenghao.api.models.notices import NoticeOut, ReceiptsOut, UnreadOut
from nenghao.api.params import Id
from nenghao.api.serialize import PageOut, page_out
from nenghao.config import Settings
from nenghao.ingest.attachments import Attachment, AttachmentError, check
from nenghao.standards.catalog import get_catalog
from nenghao.store import notices

router = APIRouter(prefix="/notices", tags=["notices"])
Reader = Annotated[Principal, require("notices:read")]
Writer = Annotated[Principal, require("notices:write")]
INSTANT_MAX = 4_102_444_800
"""2100-01-01T00:00:00Z, the last year the platform's periods reach (`params.YEAR_MAX`)."""
Instant = Annotated[int, Form(ge=0, le=INSTANT_MAX, description="Unix seconds; leave out for none")]
"""An optional instant of the form: typed ``int`` with default None, so that the document
does not offer ``null``, which a multipart field cannot carry."""
FILE_SCHEMA = {"schema": {"type": "string", "format": "binary"}}


def _names(audience: str, codes: list[str]) -> list[dict[str, str]]:
    catalog = get_catalog()
    table: Any = catalog.divisions if audience == "divisions" else catalog.industries
    out = []
    for code in codes:
        known = table.get(code)
        if known is not None:
            out.append({"code": code, "name_zh": known.name_zh, "name_en": known.name_en})
        else:  # an industry prefix: every class starting with it
            out.append({"code": code, "name_zh": f"{code} 开头的行业", "name_en": f"{code}*"})
    return out


def _out(notice: dict[str, Any]) -> dict[str, Any]:
    return {**notice, "audience_names": _names(notice["audience"], notice["audience_codes"])}


def _attachments(files: list[UploadFile], settings: Settings) -> list[Attachment]:
    """The uploaded files checked, or the first refusal as an `ApiError` (nothing stored)."""
    limit = settings.notice_attachment_max_files
    if len(files) > limit:
        raise ApiError(
            422,
            "too_many_attachments",
            f"{len(files)} attachments; a notice carries at most {limit}",
            {"limit": limit},
            zh=f"附件过多：共 {len(files)} 个，每条通知最多 {limit} 个",
        )
    checked = []
    for position, upload in enumerate(files, start=1):
        data = upload.file.read(settings.notice_attachment_max_bytes + 1)
        try:
            checked.append(
                check(
                    data,
                    upload.filename,
                    max_bytes=settings.notice_attachment_max_bytes,
                    max_unzipped=settings.notice_attachment_max_unzipped_bytes,
                )
            )
        except AttachmentError as exc:
            status = 413 if exc.code == "attachment_too_large" else 422
            details = {"position": position, "filename": upload.filename}
            raise ApiError(status, exc.code, exc.message, details, zh=exc.zh) from None
    return checked


@router.post(
    "",
    response_model=NoticeOut,
    status_code=201,
    summary="Send a notice (multipart: fields and attachments)",
    responses={413: {"description": "attachment_too_large"}},
)
def send_notice(
    principal: Writer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    title: Annotated[str, Form(min_length=1, max_length=200, pattern=NON_BLANK)],
    body: Annotated[str, Form(min_length=1, max_length=20000, pattern=NON_BLANK)],
    audience: Annotated[Literal["all", "divisions", "industries"], Form()],
    audience_codes: Annotated[
        list[str],
        Form(description="division codes (GB/T 2260) or industry codes/prefixes (GB/T 4754)"),
    ] = [],  # noqa: B006 - FastAPI copies form defaults per request
    publish_at: Instant = None,  # type: ignore[assignment]
    expire_at: Instant = None,  # type: ignore[assignment]
    files: Annotated[list[UploadFile], File(description="PDF, DOCX, XLSX, PNG or JPEG")] = [],  # noqa: B006 - FastAPI copies form defaults per request
) -> Any:
    """Store the notice for the enterprises its audience addresses now; audited."""
    attachments = _attachments(files, settings)
    fields = {
        "title": title.strip(),
        "body": body,
        "audience": audience,
        "audience_codes": [c for c in audience_codes if len(c) <= 16],
        "publish_at": publish_at,
        "expire_at": expire_at,
    }
    with engine.begin() as conn:
        notice = notices.send(
            conn,
            principal.scope,
            principal.user,
            fields,
            [asdict(a) for a in attachments],
            remote,
        )
    return _out(notice)


@router.get("", response_model=PageOut[NoticeOut], summary="Notices the caller sees")
def list_notices(
    principal: Reader, engine: EngineDep, paging: PagingDep, unread: bool = False
) -> Any:
    """Newest first, with the caller's read flag and the receipt counts in scope."""
    with engine.connect() as conn:
        page = notices.list_notices(
            conn,
            principal.scope,
            principal.user["id"],
            unread=unread,
            offset=paging.offset,
            limit=paging.page_size,
        )
    answer = page_out(page, paging.page_size)
    return {**answer, "items": [_out(n) for n in answer["items"]]}


@router.get("/unread", response_model=UnreadOut, summary="How many notices are unread")
def unread_count(principal: Reader, engine: EngineDep) -> Any:
    """For the header's bell: notices an enterprise user has not opened (0 for others)."""
    with engine.connect() as conn:
        return {"unread": notices.unread_count(conn, principal.scope, principal.user["id"])}


@router.get(
    "/attachments/{entry_id}",
    response_class=Response,
    summary="Download an attachment",
    responses={200: {"content": {"application/octet-stream": FILE_SCHEMA}}},
)
def download(entry_id: Id, principal: Reader, engine: EngineDep) -> Response:
    """The file as sent, when its notice is visible to the caller."""
    with engine.connect() as conn:
        found = notices.attachment(conn, principal.scope, entry_id)
    return stored_file(found)


@router.get("/{entry_id}", response_model=NoticeOut, summary="One notice (records reading)")
def read_notice(entry_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """The notice; an enterprise user's first opening is its read receipt."""
    with engine.begin() as conn:
        return _out(notices.read(conn, principal.scope, entry_id, principal.user))


@router.get("/{entry_id}/receipts", response_model=ReceiptsOut, summary="Who has read it")
def receipts(entry_id: Id, principal: Writer, engine: EngineDep) -> Any:
    """The addressed enterprises in scope that have read the notice, and those that have not."""
    with engine.connect() as conn:
        return notices.receipts(conn, principal.scope, entry_id)
