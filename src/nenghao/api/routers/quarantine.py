"""Quarantined records: list (scoped), re-process after a fix, or dismiss."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, UplinkDep
from nenghao.api.errors import ApiError
from nenghao.api.params import BigId, IdFilter
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, PageOut, Strict, page_out
from nenghao.ingest.protocol import RecordResult
from nenghao.ingest.recovery import reprocess_quarantined
from nenghao.standards.reason_codes import REASONS, ReasonCode
from nenghao.standards.vocabulary import QuarantineStatus
from nenghao.store import quarantine
from nenghao.store.common import now

router = APIRouter(prefix="/quarantine", tags=["uplink"], route_class=JsonRoute)
EntryId = BigId
Writer = Annotated[Principal, require("quarantine:write")]


class EntryOut(Model):
    id: int
    archive_id: int
    enterprise_id: int
    enterprise_name: str | None = Field(None, description="Name of the enterprise.")
    record_index: int
    item_code: str
    item_name: str | None = Field(
        None, description="Registered name of the item; none when the item is not registered."
    )
    record: dict[str, Any]
    code: str
    reason_zh: str = Field("", description="The reason code's name in Chinese.")
    reason_en: str = Field("", description="The reason code's name in English.")
    message: str = Field(description="The specifics, in English (the record has them too).")
    status: QuarantineStatus
    created_at: Instant
    resolved_at: Instant
    resolved_by: str | None
    resolution: Any


class ReprocessOut(Model):
    entry: EntryOut
    result: RecordResult


class DismissIn(Strict):
    reason: str = Field(min_length=1, max_length=500, description="Why it is not re-processed.")


def _explained(entry: dict[str, Any]) -> dict[str, Any]:
    """`entry` with its reason's names (a code unknown to this version: the code itself)."""
    try:
        reason = REASONS[ReasonCode(entry["code"])]
    except ValueError:
        return {**entry, "reason_zh": entry["code"], "reason_en": entry["code"]}
    return {**entry, "reason_zh": reason.zh, "reason_en": reason.en}


def _entry(engine: Any, principal: Principal, entry_id: int, *, open_only: bool) -> dict[str, Any]:
    with engine.connect() as conn:
        entry = quarantine.get(conn, principal.scope, entry_id)
    if entry is None:
        raise ApiError(404, "quarantine_not_found", f"quarantine entry {entry_id} not found")
    if open_only and entry["status"] != "open":
        raise ApiError(
            409, "quarantine_closed", f"quarantine entry {entry_id} is already {entry['status']}"
        )
    return entry


@router.get("", response_model=PageOut[EntryOut], summary="Quarantined records in scope")
def list_quarantine(
    principal: Annotated[Principal, require("quarantine:read")],
    engine: EngineDep,
    paging: PagingDep,
    enterprise_id: IdFilter = None,
    status: QuarantineStatus | None = None,
    code: Annotated[str | None, Query(max_length=48, description="reason code")] = None,
) -> Any:
    """Rejected records with their reason, newest first."""
    with engine.connect() as conn:
        page = quarantine.list_entries(
            conn,
            principal.scope,
            enterprise_id=enterprise_id,
            status=status,
            code=code,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(replace(page, items=[_explained(e) for e in page.items]), paging.page_size)


@router.post(
    "/{entry_id}/reprocess", response_model=ReprocessOut, summary="Re-process a quarantined record"
)
def reprocess(
    entry_id: EntryId, principal: Writer, engine: EngineDep, uplink: UplinkDep, remote: RemoteDep
) -> Any:
    """Validate and store the record again (e.g. after its item was registered or fixed).

    Stored: the entry is ``reprocessed``; refused again: it stays ``open`` with the new reason.
    """
    entry = _entry(engine, principal, entry_id, open_only=True)
    updated, result = reprocess_quarantined(uplink, entry, actor=principal.username, remote=remote)
    names = {key: entry[key] for key in ("enterprise_name", "item_name")}
    return {"entry": _explained({**updated, **names}), "result": result}


@router.post("/{entry_id}/dismiss", response_model=EntryOut, summary="Dismiss a quarantined record")
def dismiss(
    entry_id: EntryId, body: DismissIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Close the entry without storing its record; the reason is kept and audited."""
    entry = _entry(engine, principal, entry_id, open_only=True)
    with engine.begin() as conn:
        closed = quarantine.resolve(
            conn,
            entry,
            status="dismissed",
            at=now(),
            actor=principal.username,
            resolution={"reason": body.reason},
            remote=remote,
        )
    return _explained(closed)
