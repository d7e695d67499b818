"""Device-signed reads of the uplink protocol (docs/uplink-protocol.md, section 11):

- ``GET /api/v1/uplink/items``: the enterprise's items that accept data (item discovery);
- ``GET /api/v1/uplink/readings``: the readings stored for them (read-back).

A read is signed like an upload (`nenghao.ingest.signing`) with METHOD ``GET``, PATH the
request target with its query string, and BODY empty (``hex(sha256(""))``). The nonce is
used up at once (a replayed read is refused), and reads draw on the device's rate limit.
Only the signing key's enterprise is ever read; user tokens are no device signature (401).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from nenghao.analytics.periods import PERIOD_PATTERN, Period, check_span
from nenghao.api.deps import PagingDep
from nenghao.api.fields import rule
from nenghao.api.models.uplink_reads import DeviceItemOut, StoredReadingOut
from nenghao.api.routers.uplink import authenticate, device_authenticated, request_target
from nenghao.api.serialize import PageOut, page_out
from nenghao.ingest import readback
from nenghao.ingest.protocol import ITEM_PATTERN
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService

router = APIRouter(prefix="/uplink", tags=["uplink"])

READ_METHOD = "GET"
EMPTY_BODY = b""
"""A read's signed body: none (its digest is that of the empty string)."""
DEVICE_READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or bad signature, stale timestamp, replayed nonce"},
    429: {"description": "rate limited; see Retry-After"},
    503: {
        "description": "database_unavailable: the database cannot answer now; retry later;"
        " storage_unavailable: the shared nonce store (Redis) cannot answer now"
    },
}


def _verify_read(service: UplinkService, headers: dict[str, str], target: str) -> Sender:
    # A read's nonce is used up at once (nothing else is written).
    return authenticate(service, headers, READ_METHOD, target, EMPTY_BODY, service.nonces)


async def signed_device(request: Request) -> Sender:
    """The device that signed this read (401 ``missing_signature_field`` ... otherwise).

    Solved before the query parameters are checked: an unsigned request learns nothing."""
    service: UplinkService = request.app.state.uplink
    headers = dict(request.headers)
    return await run_in_threadpool(_verify_read, service, headers, request_target(request))


DeviceDep = Annotated[Sender, Depends(signed_device)]


def _engine(request: Request) -> Engine:
    service: UplinkService = request.app.state.uplink
    return service.engine


@router.get(
    "/items",
    response_model=PageOut[DeviceItemOut],
    summary="The items this device's enterprise may send (device-signed)",
    responses=DEVICE_READ_RESPONSES,
)
@device_authenticated
def device_items(request: Request, device: DeviceDep, paging: PagingDep) -> Any:
    """Active items approved in the collection plan (or changed since), by code: what a
    record must name and use (period, unit, interval or register) and the bounds it is
    checked against. Signed like an upload with METHOD ``GET`` and an empty body."""
    service: UplinkService = request.app.state.uplink
    with _engine(request).connect() as conn:
        page = readback.accepting_items(
            conn,
            device.enterprise_id,
            service.limits.validation,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.get(
    "/readings",
    response_model=PageOut[StoredReadingOut],
    summary="The readings stored for this device's enterprise (device-signed)",
    responses=DEVICE_READ_RESPONSES,
)
@device_authenticated
def device_readings(
    request: Request,
    device: DeviceDep,
    paging: PagingDep,
    span: Annotated[
        str,
        Query(
            alias="range",
            max_length=40,
            description="period starts to read, in CST: 2025 (year), 2025-03 (month),"
            " 2025-03-05 (day) or 2025-01-01..2025-03-31; at most 366 days",
            json_schema_extra=rule(pattern=PERIOD_PATTERN),
        ),
    ],
    item: Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=ITEM_PATTERN,
            description="one item code (all items when left out)",
        ),
    ] = None,
) -> Any:
    """Current readings with a period start in `range`, by item, period and start: value,
    revision, source and the derived-interval flags. Values received later than a resend
    show here as they are stored (section 10)."""
    period = Period.parse(span)
    check_span(period, "day")
    with _engine(request).connect() as conn:
        page = readback.stored_readings(
            conn,
            device.enterprise_id,
            lo=period.start_ts,
            hi=period.end_ts,
            item=item,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)
