"""An enterprise's data items (采集数据项): list, create, change, deactivate, versions, the
code proposal, and the XLSX item list (template and row-by-row import).

Scoped like the enterprise routes: an enterprise (or item) outside the caller's scope
answers 404 as a missing one does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep
from nenghao.api.errors import ApiError
from nenghao.api.models.imports import ImportResultOut
from nenghao.api.models.items import (
    CodeProposalOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    ItemStop,
    ItemVersionsOut,
)
from nenghao.api.params import Id
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, page_out
from nenghao.ingest.files.layout import FileLimits, FileRejected
from nenghao.ingest.item_import import import_items, template_xlsx
from nenghao.ingest.templates import XLSX_MEDIA_TYPE
from nenghao.standards.reason_codes import ReasonCode
from nenghao.store import items
from nenghao.store.item_rules import check_item, code_base, propose_code

router = APIRouter(prefix="/enterprises/{enterprise_id}", tags=["items"], route_class=JsonRoute)
Reader = Annotated[Principal, require("items:read")]
Writer = Annotated[Principal, require("items:write")]
FILE_SCHEMA = {"schema": {"type": "string", "format": "binary"}}


@router.get("/items", response_model=PageOut[ItemOut], summary="List the data items")
def list_items(
    enterprise_id: Id,
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    active: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="code or name")] = None,
) -> Any:
    """The enterprise's data items, ordered by code."""
    with engine.connect() as conn:
        page = items.list_items(
            conn,
            principal.scope,
            enterprise_id,
            active=active,
            q=q,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.post("/items", response_model=ItemOut, status_code=201, summary="Register a data item")
def create_item(
    enterprise_id: Id, body: ItemIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """A new item; without a code, the scheme's next free code is given (docs/items.md)."""
    values = body.model_dump(exclude={"valid_from"})
    with engine.begin() as conn:
        return items.create(
            conn,
            principal.scope,
            enterprise_id,
            values,
            actor=principal.username,
            valid_from=body.valid_from,
            remote=remote,
        )


@router.post("/items/code-proposal", response_model=CodeProposalOut, summary="Propose an item code")
def propose(enterprise_id: Id, body: ItemIn, principal: Reader, engine: EngineDep) -> Any:
    """The code the scheme gives these attributes, and the first one still free."""
    values = body.model_dump(exclude={"valid_from", "code"})
    with engine.connect() as conn:
        items.enterprise_in_scope(conn, principal.scope, enterprise_id)
        clean = check_item(values)
        return {
            "base": code_base(clean),
            "code": propose_code(clean, items.codes_of(conn, enterprise_id)),
        }


@router.get(
    "/item-template",
    response_class=Response,
    summary="XLSX template of an item list",
    responses={200: {"content": {XLSX_MEDIA_TYPE: FILE_SCHEMA}}},
)
def item_template(enterprise_id: Id, principal: Reader, engine: EngineDep) -> Response:
    """Sheet 数据项 with its columns and an example row, and 说明 (what each column takes)."""
    with engine.connect() as conn:
        enterprise = items.enterprise_in_scope(conn, principal.scope, enterprise_id)
    name = f"item-template-{enterprise['credit_code']}.xlsx"
    return Response(
        template_xlsx(enterprise),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/items/import",
    response_model=ImportResultOut,
    summary="Import an item list (XLSX or CSV), row by row",
    responses={413: {"description": "file_too_large: split the file"}},
)
def import_item_list(
    enterprise_id: Id,
    principal: Writer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    file: Annotated[UploadFile, File(description="XLSX (sheet 数据项) or CSV")],
) -> Any:
    """Every row's result: accepted (created), duplicate (registered already) or rejected."""
    limit = settings.import_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, ReasonCode.FILE_TOO_LARGE, f"the file exceeds {limit} bytes; split it")
    try:
        with engine.begin() as conn:
            result = import_items(
                conn,
                principal.scope,
                enterprise_id,
                data,
                file.filename or "items.xlsx",
                actor=principal.username,
                remote=remote,
                limits=FileLimits(max_bytes=limit),
            )
    except FileRejected as exc:
        details = {"errors": [e.as_dict() for e in exc.errors]}
        raise ApiError(422, exc.code, exc.message, details) from None
    return result.as_dict()


@router.get("/items/{item_id}", response_model=ItemOut, summary="One data item")
def get_item(enterprise_id: Id, item_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """The item; 404 when it or its enterprise is missing or outside the caller's scope."""
    with engine.connect() as conn:
        return items.get(conn, principal.scope, enterprise_id, item_id)


@router.get(
    "/items/{item_id}/versions",
    response_model=ItemVersionsOut,
    summary="Versions of a data item",
)
def item_versions(enterprise_id: Id, item_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """Every recorded state of the item with the date it took effect, oldest first."""
    with engine.connect() as conn:
        found = items.versions(conn, principal.scope, enterprise_id, item_id)
    return {"item_id": item_id, "versions": found}


@router.patch("/items/{item_id}", response_model=ItemOut, summary="Change a data item")
def change_item(
    enterprise_id: Id,
    item_id: Id,
    body: ItemPatch,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """Change the given fields from `valid_from`; what interprets stored readings (measures,
    energy kind, product, unit, period, value kind, usage, stage, process) is refused once
    the item has readings (409 ``item_has_readings``)."""
    changes = body.model_dump(exclude_unset=True, exclude={"valid_from", "reason"})
    with engine.begin() as conn:
        return items.change(
            conn,
            principal.scope,
            enterprise_id,
            item_id,
            changes,
            actor=principal.username,
            valid_from=body.valid_from,
            reason=body.reason,
            remote=remote,
        )


@router.post(
    "/items/{item_id}/deactivate", response_model=ItemOut, summary="Deactivate a data item"
)
def deactivate_item(
    enterprise_id: Id,
    item_id: Id,
    body: ItemStop,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """The item accepts no more data from `valid_from`; its stored readings stay."""
    with engine.begin() as conn:
        return items.deactivate(
            conn,
            principal.scope,
            enterprise_id,
            item_id,
            actor=principal.username,
            valid_from=body.valid_from,
            reason=body.reason,
            remote=remote,
        )
