"""The audit log (admin, auditor)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

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
    return page_out(page, paging.page_size)
