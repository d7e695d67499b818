"""``POST /api/v1/uplink/heartbeat``: a gateway's heartbeat, signed like an upload
(docs/uplink-protocol.md, section 12).

Checked in the upload's order: body size, signature, rate limit, then the heartbeat itself
(the message-level reason codes, ``device_mismatch`` and ``enterprise_mismatch``). The
nonce is used up at once. The heartbeat replaces the key's previous one; the enterprise's
device status shows it (``GET /api/v1/enterprises/{id}/status``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from nenghao.api.errors import ApiError
from nenghao.api.routers.uplink import (
    CHALLENGE,
    authenticate,
    device_authenticated,
    not_stored,
    read_body,
    refused,
    request_target,
)
from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.heartbeat import MAX_HEARTBEAT_BYTES, HeartbeatAck
from nenghao.ingest.redis_state import SharedStateUnavailable
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import SignatureError

router = APIRouter(prefix="/uplink", tags=["uplink"])


def _handle(
    service: UplinkService, headers: dict[str, str], target: str, body: bytes
) -> HeartbeatAck:
    sender = authenticate(service, headers, "POST", target, body, service.nonces)
    try:
        return service.heartbeat(body, sender=sender)
    except SignatureError as exc:
        raise ApiError(401, exc.code.value, exc.message, headers=CHALLENGE) from None
    except MessageRejected as exc:
        raise refused(exc) from None
    except (OperationalError, SharedStateUnavailable) as exc:
        raise not_stored(exc) from None


@router.post(
    "/heartbeat",
    summary="Report a gateway's heartbeat (device)",
    response_model=HeartbeatAck,
    responses={
        401: {"description": "missing or bad signature, stale timestamp, replayed nonce"},
        403: {"description": "device_mismatch or enterprise_mismatch"},
        413: {"description": "body_too_large"},
        422: {"description": "a malformed heartbeat; details.problems lists the problems"},
        429: {"description": "rate limited; see Retry-After"},
        503: {"description": "not stored; resend later"},
    },
)
@device_authenticated
async def heartbeat(request: Request) -> HeartbeatAck:
    """Keep the gateway's version, queue depth, rejected count, last read per meter and
    clock skew as this key's latest heartbeat; answers the platform's view of the skew."""
    service: UplinkService = request.app.state.uplink
    body = await read_body(request, MAX_HEARTBEAT_BYTES)
    headers, target = dict(request.headers), request_target(request)
    return await run_in_threadpool(_handle, service, headers, target, body)
