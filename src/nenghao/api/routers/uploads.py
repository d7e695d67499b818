"""An enterprise's uploads (the raw archive with results) and its manual monthly filings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, UplinkDep
from nenghao.api.errors import ApiError
from nenghao.api.openapi_docs import component
from nenghao.api.routers.enterprises import EnterpriseId, not_found
from nenghao.api.serialize import Instant, Model, PageOut, Strict, page_out
from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.filing import overwritten
from nenghao.ingest.parsing import parse_records
from nenghao.ingest.protocol import DEFAULT_MAX_RECORDS, UplinkAck, UplinkRecord
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.standards.vocabulary import ArchiveStatus
from nenghao.store import archive, audit, enterprises

router = APIRouter(prefix="/enterprises/{enterprise_id}", tags=["uplink"])


class FilingIn(Strict):
    """A manual filing: records in the uplink record format (the route reads the raw body)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "item": "E-ELEC-01",
                            "period": "month",
                            "start": "2025-01-01T00:00:00+08:00",
                            "value": 125000.0,
                            "unit": "kWh",
                        }
                    ]
                }
            ]
        }
    )

    records: list[UplinkRecord] = Field(
        min_length=1,
        description=f"at most uplink_max_records (default {DEFAULT_MAX_RECORDS}) records",
    )


class RejectionOut(Model):
    """A rejected record of an upload (the quarantine holds it)."""

    index: int
    item: str
    code: str | None
    message: str | None


class StoredSummary(Model):
    """A processed upload: its records by result, and the first rejections."""

    records: int
    accepted: int
    duplicate: int
    revised: int
    rejected: int
    rejections: list[RejectionOut]


class ProblemOut(Model):
    """A problem of a message refused whole, with its location in the message."""

    code: str
    location: str
    message: str


class RefusedSummary(Model):
    """A message refused whole (status ``rejected``): its problems."""

    problems: list[ProblemOut]


class UploadOut(Model):
    id: int
    received_at: Instant
    channel: str
    actor: str
    message_id: str | None
    sha256: str
    size: int
    status: ArchiveStatus
    processed_at: Instant
    error_code: str | None
    summary: StoredSummary | RefusedSummary | None
    """None while the upload is held (``received``)."""


@router.get(
    "/uploads",
    response_model=PageOut[UploadOut],
    summary="Recent uploads of an enterprise with their results",
)
def list_uploads(
    enterprise_id: EnterpriseId,
    principal: Annotated[Principal, require("uploads:read")],
    engine: EngineDep,
    paging: PagingDep,
    status: Annotated[ArchiveStatus | None, Query()] = None,
) -> Any:
    """Archived payloads, newest first: channel, sender, size, status and result counts."""
    with engine.connect() as conn:
        if enterprises.get(conn, principal.scope, enterprise_id) is None:
            raise not_found(enterprise_id)
        page = archive.list_uploads(
            conn,
            principal.scope,
            enterprise_id,
            status=status,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.post(
    "/filings",
    response_model=UplinkAck,
    summary="File monthly (or manual) data by hand",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": component(FilingIn)}},
        }
    },
    responses={413: {"description": "body_too_large"}},
)
async def file_records(
    enterprise_id: EnterpriseId,
    request: Request,
    principal: Annotated[Principal, require("filings:write")],
    uplink: UplinkDep,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """``{"records": [...]}`` in the uplink record format, for items registered as manual or
    monthly; stored with source and quality ``manual`` and audited. Answers per record.
    A record that would change a stored value needs a `reason` (422
    ``revision_reason_required`` otherwise, nothing stored); see docs/filing.md."""
    body = await request.body()
    ack = await run_in_threadpool(_file, uplink, principal, enterprise_id, body, reason)
    return Response(ack.model_dump_json(exclude_none=True), media_type="application/json")


def _file(
    uplink: UplinkService,
    principal: Principal,
    enterprise_id: int,
    body: bytes,
    reason: str | None,
) -> UplinkAck:
    with uplink.engine.connect() as conn:
        enterprise = enterprises.get(conn, principal.scope, enterprise_id)
    if enterprise is None:
        raise not_found(enterprise_id)
    try:
        records = parse_records(
            body,
            credit_code=enterprise["credit_code"],
            max_records=uplink.limits.max_records,
            max_body_bytes=uplink.limits.max_body_bytes,
        )
    except MessageRejected as exc:
        status = 413 if exc.code.value == "body_too_large" else 422
        raise ApiError(
            status, exc.code.value, exc.message, {"problems": [p.as_dict() for p in exc.problems]}
        ) from None
    with uplink.engine.connect() as conn:
        changed = overwritten(conn, enterprise_id, records)
    if changed and not (reason or "").strip():
        raise ApiError(
            422,
            "revision_reason_required",
            f"{', '.join(changed)}: a value is stored for this period; a revision needs a reason",
            {"items": changed},
            zh=f"{'、'.join(changed)}：该统计期已有数据，修改须填写修改原因（reason）",
        )
    sender = Sender(enterprise_id, enterprise["credit_code"], "manual", principal.username)
    ack = uplink.ingest_records(records, sender=sender, raw=body)
    if changed:
        with uplink.engine.begin() as conn:
            audit.record(
                conn,
                principal.username,
                "revise",
                "manual_filing",
                ack.message_id,
                None,
                {"items": changed},
                detail=reason,
            )
    return ack
