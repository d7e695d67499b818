"""File import: templates to download, CSV/XLSX uploads answered row by row, reports.

Scoped like the enterprise routes (outside the caller's scope looks like missing). An upload
goes through the ingest service on channel ``file``: the file is archived byte for byte,
every row is accepted, duplicate, revised or rejected with its reason (rejected records are
quarantined), and the answer — JSON, or the same rows as a CSV/XLSX report — lists them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, SettingsDep, UplinkDep
from nenghao.api.errors import ApiError
from nenghao.api.models.imports import ImportResultOut
from nenghao.api.routers.enterprises import EnterpriseId, not_found
from nenghao.ingest.files.importing import ingest_parsed, parse_file
from nenghao.ingest.files.layout import FileFormat, FileLimits, FileRejected
from nenghao.ingest.sender import Sender
from nenghao.ingest.templates import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    report_file,
    template_csv,
    template_items,
    template_xlsx,
)
from nenghao.standards.reason_codes import ReasonCode
from nenghao.store import enterprises

router = APIRouter(prefix="/enterprises/{enterprise_id}", tags=["imports"])
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}
FILE_SCHEMA = {"schema": {"type": "string", "format": "binary"}}


def _download(body: bytes, name: str, file_format: str) -> Response:
    return Response(
        body,
        media_type=MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{file_format}"'},
    )


@router.get(
    "/import-template",
    response_class=Response,
    summary="Import template listing the enterprise's data items",
    responses={200: {"content": {XLSX_MEDIA_TYPE: FILE_SCHEMA, CSV_MEDIA_TYPE: FILE_SCHEMA}}},
)
def import_template(
    enterprise_id: EnterpriseId,
    principal: Annotated[Principal, require("enterprises:read")],
    engine: EngineDep,
    format: Annotated[FileFormat, Query(description="csv or xlsx")] = "xlsx",
) -> Response:
    """One pre-filled row per registered item; the XLSX adds the items and a 说明 sheet."""
    with engine.connect() as conn:
        enterprise = enterprises.get(conn, principal.scope, enterprise_id)
        if enterprise is None:
            raise not_found(enterprise_id)
        items = template_items(conn, enterprise_id)
    now = datetime.now(UTC)
    body = template_csv(items, now) if format == "csv" else template_xlsx(enterprise, items, now)
    return _download(body, f"import-template-{enterprise['credit_code']}", format)


@router.post(
    "/imports",
    response_model=ImportResultOut,
    summary="Import a CSV or XLSX file of records",
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: FILE_SCHEMA, CSV_MEDIA_TYPE: FILE_SCHEMA}},
        413: {"description": "file_too_large: split the file"},
    },
)
def import_records(
    enterprise_id: EnterpriseId,
    principal: Annotated[Principal, require("imports:write")],
    engine: EngineDep,
    uplink: UplinkDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX")],
    report: Annotated[
        Literal["json", "csv", "xlsx"], Query(description="answer as JSON or as a report file")
    ] = "json",
) -> Any:
    """Every row's result: accepted, duplicate, revised or rejected (row, column, code)."""
    with engine.connect() as conn:
        enterprise = enterprises.get(conn, principal.scope, enterprise_id)
    if enterprise is None:
        raise not_found(enterprise_id)
    limit = settings.import_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, ReasonCode.FILE_TOO_LARGE, f"the file exceeds {limit} bytes; split it")
    filename = file.filename or "upload.csv"
    try:
        parsed = parse_file(data, filename, limits=FileLimits(max_bytes=limit))
    except FileRejected as exc:
        details = {"errors": [e.as_dict() for e in exc.errors]}
        raise ApiError(422, exc.code, exc.message, details) from None
    sender = Sender(enterprise_id, enterprise["credit_code"], "file", principal.username)
    result = ingest_parsed(uplink, parsed, data, sender=sender, filename=filename)
    if report == "json":
        return result.as_dict()
    rows = [r.as_dict() for r in result.results]
    return _download(report_file(rows, report), "import-report", report)
