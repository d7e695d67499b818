"""The audit log (admin, auditor)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep
from nenghao.api.serialize import Instant, Model, PageOut, page_out
from nenghao.store import audit

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditOut(Model):
    id: int
    at: Instant
    actor: str
    action: str
    entity: str
    entity_id: str | None
    entity_name: str | None = Field(None, description="Name of the enterprise or user.")
    before: Any
    after: Any
    remote: str | None
    detail: str | None


@router.get("", response_model=PageOut[AuditOut], summary="Audit log, newest first")
def list_audit(
    principal: Annotated[Principal, require("audit:read")],
    engine: EngineDep,
    paging: PagingDep,
    actor: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    since: Annotated[
        AwareDatetime | None, Query(description="inclusive, with offset, e.g. ...+08:00")
    ] = None,
    until: Annotated[AwareDatetime | None, Query(description="exclusive, with offset")] = None,
) -> Any:
    """Audit rows matching the filters."""
    with engine.connect() as conn:
        page = audit.list_entries(
            conn,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            since=int(since.timestamp()) if since else None,
            until=int(until.timestamp()) if until else None,
            offset=paging.offset,
            limit=paging.page_size,
        )
        named = audit.with_entity_names(conn, page.items)
    return page_out(replace(page, items=named), paging.page_size)
