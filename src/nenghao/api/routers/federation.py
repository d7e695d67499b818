"""The federation of platforms (docs/federation.md): ``POST /api/v1/federation/batches``,
a member platform's signed batch (not a user token), and ``GET /api/v1/federation/status``,
what regulators and auditors watch: this platform's forwarding upstream and its members.

A batch is checked in the uplink's order: body size, signature (the member credential's
key id, timestamp, nonce, HMAC; 401 with the reason code), the JSON shape (422
``validation_error``), then applied in one transaction that records the nonce (a replay is
refused, 401 ``replayed_nonce``) and each entry once (`nenghao.federation.receiver`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep
from nenghao.api.errors import ApiError
from nenghao.api.routers.uplink import (
    CHALLENGE,
    device_authenticated,
    not_stored,
    read_body,
    request_target,
)
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model
from nenghao.federation.receiver import apply_batch
from nenghao.federation.status import forwarding_status, member_status
from nenghao.ingest.json_depth import JsonTooDeepError, check_json_depth
from nenghao.ingest.nonces import PendingNonce, release_nonce
from nenghao.ingest.redis_state import SharedStateUnavailable
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import SignatureError, verify
from nenghao.store import federation
from nenghao.store.common import now
from nenghao.store.engine import write_lock

router = APIRouter(tags=["federation"], route_class=JsonRoute)
Reader = Annotated[Principal, require("federation:read")]
MAX_ENTRIES = 10_000


class BatchEntry(BaseModel):
    """One forwarded entry: its id on the member platform, its kind and its payload."""

    model_config = ConfigDict(extra="forbid")
    id: int = Field(ge=1, le=2**62)
    kind: Literal["enterprise", "item", "readings", "month"]
    payload: dict[str, Any]


class Batch(BaseModel):
    """A member platform's batch, entries in id order."""

    model_config = ConfigDict(extra="forbid")
    entries: list[BatchEntry] = Field(min_length=1, max_length=MAX_ENTRIES)


class BatchAnswer(Model):
    applied: int
    repeated: int


class UpstreamOut(Model):
    url: str
    adapter: str
    key_id: str
    configured_at: Instant
    last_delivery_at: Instant
    delivered_entries: int
    delivered_records: int
    failures: int
    next_attempt_at: Instant
    last_error: str | None
    last_error_at: Instant


class MemberOut(Model):
    name: str
    divisions: list[str]
    key_id: str
    active: bool
    created_at: Instant
    revoked_at: Instant
    last_batch_at: Instant
    applied_entries: int
    enterprises: int
    months_received: int


class FederationStatusOut(Model):
    upstream: UpstreamOut | None
    outbox_entries: int
    outbox_records: int
    oldest_entry_at: Instant
    lag_s: int
    members: list[MemberOut]


def _parsed(body: bytes) -> Batch:
    try:
        check_json_depth(body)
        return Batch.model_validate_json(body)
    except JsonTooDeepError as exc:
        raise ApiError(422, "json_too_deep", str(exc)) from None
    except ValidationError as exc:
        details = [
            {
                "location": ".".join(str(part) for part in ("body", *err["loc"])),
                "message": err["msg"],
                "type": err["type"],
            }
            for err in exc.errors()[:20]
        ]
        summary = "; ".join(f"{d['location']}: {d['message']}" for d in details[:5])
        raise ApiError(422, "validation_error", f"invalid batch: {summary}", details) from None


def _receive(
    engine: Engine, service: UplinkService, headers: dict[str, str], target: str, body: bytes
) -> BatchAnswer:
    found: dict[str, dict[str, Any]] = {}

    def secret_of(key_id: str) -> bytes | None:
        with engine.connect() as conn:
            active = federation.active_member(conn, key_id, service.credentials.master_key())
        if active is None:
            return None
        found[key_id] = active[0]
        return active[1].encode("utf-8")

    nonce = PendingNonce(service.nonces)
    try:
        verified = verify(headers, "POST", target, body, secret_of=secret_of, nonces=nonce)
    except SignatureError as exc:
        raise ApiError(401, exc.code.value, exc.message, headers=CHALLENGE) from None
    batch = _parsed(body)
    entries = [entry.model_dump() for entry in batch.entries]
    try:
        with write_lock(engine), engine.begin() as conn:
            nonce.record(conn)
            result = apply_batch(conn, found[verified.key_id], entries)
    except SignatureError as exc:  # the nonce was replayed
        raise ApiError(401, exc.code.value, exc.message, headers=CHALLENGE) from None
    except (OperationalError, SharedStateUnavailable) as exc:
        release_nonce(nonce)
        raise not_stored(exc) from None
    except Exception:
        release_nonce(nonce)
        raise
    return BatchAnswer(applied=result.applied, repeated=result.repeated)


@router.post(
    "/federation/batches",
    summary="Apply a member platform's signed batch (member platform)",
    response_model=BatchAnswer,
    responses={
        401: {"description": "missing or bad signature, stale timestamp, replayed nonce"},
        403: {"description": "federation_outside_divisions: an entry outside the divisions"},
        413: {"description": "body_too_large"},
        422: {"description": "a batch or entry this platform cannot apply"},
        429: {"description": "too many requests in progress from this address"},
        503: {"description": "not applied; send again later"},
    },
)
@device_authenticated
async def receive_batch(request: Request) -> BatchAnswer:
    """Apply the entries of a batch signed with a member platform's credential; each entry
    once (an entry sent again is counted in ``repeated``)."""
    service: UplinkService = request.app.state.uplink
    engine: Engine = request.app.state.engine
    limit = request.app.state.settings.federation_max_body_bytes
    body = await read_body(request, limit)
    headers, target = dict(request.headers), request_target(request)
    return await run_in_threadpool(_receive, engine, service, headers, target, body)


@router.get(
    "/federation/status",
    summary="Forwarding upstream and member platforms",
    response_model=FederationStatusOut,
)
def status(_principal: Reader, engine: EngineDep) -> dict[str, Any]:
    """The upstream this platform forwards to (outbox depth, last delivery, lag, last error)
    and the member platforms that forward to it."""
    with engine.connect() as conn:
        answer = forwarding_status(conn, now())
        answer["members"] = member_status(conn)
    return answer
