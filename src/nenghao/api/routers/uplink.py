"""``POST /api/v1/uplink``: signed uplink messages from enterprise devices (not user tokens).

Order of checks: body size (``Content-Length``, then the streamed bytes) → signature
(``nenghao.ingest.signing``) → per-device rate limit → the ingest service, which records the
nonce (``replayed_nonce``) in the transaction that archives the body (or, with several API
nodes, claims it in Redis there). A Redis that cannot answer gives 503
``storage_unavailable``. Every error is answered in the one error shape with the protocol's
reason code. The blocking work runs in the thread pool once per request.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from nenghao.api.errors import ApiError
from nenghao.ingest.errors import MessageRejected, Problem
from nenghao.ingest.nonces import PendingNonce
from nenghao.ingest.pipeline import ArchiveBusyError
from nenghao.ingest.protocol import HTTP_PATH, UplinkAck
from nenghao.ingest.ratelimit import RATE_LIMITED, retry_after_s
from nenghao.ingest.redis_state import SharedStateUnavailable
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import NonceCache, SignatureError, verify
from nenghao.standards.digits import is_digits
from nenghao.standards.reason_codes import ReasonCode
from nenghao.store.group_commit import Ticket

router = APIRouter(tags=["uplink"])
logger = logging.getLogger("nenghao.uplink")
CHALLENGE = {"WWW-Authenticate": "NENGHAO-HMAC-SHA256"}
RETRY_AFTER_UNAVAILABLE_S = 5
DEVICE_ANSWERS: dict[str, tuple[int, str]] = {
    RATE_LIMITED: (429, "wait"),
    "storage_unavailable": (503, "wait"),
    "database_unavailable": (503, "wait"),
    "method_not_allowed": (405, "fix"),
    "validation_error": (422, "fix"),
    "invalid_period": (422, "fix"),
    "range_too_large": (422, "fix"),
    "internal_error": (500, "wait"),
    "body_timeout": (408, "new"),
    "request_timeout": (503, "wait"),
    "too_many_requests": (429, "wait"),
}
"""The codes the device routes answer besides the reason codes, with their HTTP status and
whether to resend (docs/uplink-protocol.md, appendix C, second table; a test compares)."""
_STATUS = {
    ReasonCode.DEVICE_MISMATCH: 403,
    ReasonCode.ENTERPRISE_MISMATCH: 403,
    ReasonCode.BODY_TOO_LARGE: 413,
}


def device_authenticated(function: Any) -> Any:
    """Mark a route as authenticated by a device signature instead of a user token."""
    function.device_authenticated = True
    return function


def _too_large(size: int | str, limit: int) -> ApiError:
    problem = Problem(
        ReasonCode.BODY_TOO_LARGE, "$", f"the body has {size} bytes; at most {limit} are accepted"
    )
    return ApiError(413, problem.code.value, problem.message, {"problems": [problem.as_dict()]})


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 ``body_too_large`` beyond `limit` [bytes]
    (``Content-Length`` first, then the bytes streamed)."""
    declared = request.headers.get("content-length") or ""
    digits = declared.lstrip("0") or "0"  # no int() of thousands of digits
    if is_digits(declared) and (len(digits) > len(str(limit)) or int(digits) > limit):
        raise _too_large(digits, limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(f"more than {limit}", limit)
        chunks.append(chunk)
    return b"".join(chunks)


def request_target(request: Request) -> str:
    """The request target the device sent, which it signed: the path as received (raw), under
    the public prefix a reverse proxy stripped (the ASGI ``root_path``, setting
    ``root_path``), and the query string if any.

    uvicorn already puts ``root_path`` in front of ``raw_path``; other servers may not.
    """
    path = request.scope.get("raw_path") or request.url.path.encode()
    root = request.scope.get("root_path", "").rstrip("/").encode("latin-1")
    if root and path != root and not path.startswith(root + b"/"):
        path = root + path
    query = request.scope.get("query_string") or b""
    return (path + (b"?" + query if query else b"")).decode("latin-1")


def not_stored(exc: Exception) -> ApiError:
    """503 ``storage_unavailable``: the database or the shared state (Redis) cannot take the
    message now; nothing was acknowledged and no nonce used up."""
    logger.warning("uplink not stored: %s", exc.__class__.__name__)
    return ApiError(
        503,
        "storage_unavailable",
        "the message could not be stored now and is not acknowledged; resend it later",
        headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE_S)},
    )


def authenticate(
    service: UplinkService,
    headers: dict[str, str],
    method: str,
    target: str,
    body: bytes,
    nonces: NonceCache,
) -> Sender:
    """The device that signed a request (401 with the signature's reason code otherwise),
    within its rate limit (429 ``rate_limited`` with ``Retry-After`` otherwise)."""
    senders: dict[str, Sender] = {}

    def secret_of(key_id: str) -> bytes | None:
        # One look-up gives the secret and the sender (revocation is checked per request).
        access = service.credentials.access(key_id, "http")
        if access is None:
            return None
        senders[key_id] = access[1]
        return access[0]

    try:
        verified = verify(headers, method, target, body, secret_of=secret_of, nonces=nonces)
        wait = service.rate.take(verified.key_id) if service.rate is not None else 0.0
    except SignatureError as exc:
        raise ApiError(401, exc.code.value, exc.message, headers=CHALLENGE) from None
    except SharedStateUnavailable as exc:
        raise not_stored(exc) from None
    if wait > 0:
        raise ApiError(
            429,
            RATE_LIMITED,
            f"device {verified.key_id!r} sends faster than allowed; retry after the delay",
            headers={"Retry-After": str(retry_after_s(wait))},
        )
    return senders[verified.key_id]


def _handle(
    service: UplinkService, headers: dict[str, str], target: str, body: bytes, ticket: Ticket
) -> bytes:
    # The nonce is recorded in the transaction that archives the body (one durable commit
    # for both); a replay is refused there, before anything is archived.
    nonce = PendingNonce(service.nonces)
    sender = authenticate(service, headers, "POST", target, body, nonce)
    try:
        content = service.ingest(body, sender=sender, nonce=nonce, ticket=ticket).json()
    except SignatureError as exc:  # the nonce was replayed
        raise ApiError(401, exc.code.value, exc.message, headers=CHALLENGE) from None
    except MessageRejected as exc:
        raise refused(exc) from None
    except (OperationalError, ArchiveBusyError, SharedStateUnavailable) as exc:
        raise not_stored(exc) from None
    return content


def refused(exc: MessageRejected) -> ApiError:
    """The answer to a message refused whole: 403 for the sender checks, 413 for the size,
    else 422, with every problem in ``details.problems``."""
    problems = [p.as_dict() for p in exc.problems]
    return ApiError(_STATUS.get(exc.code, 422), exc.code.value, exc.message, {"problems": problems})


@router.post(
    HTTP_PATH.removeprefix("/api/v1"),
    summary="Upload a signed uplink message (device)",
    response_model=UplinkAck,
    responses={
        401: {"description": "missing or bad signature, stale timestamp, replayed nonce"},
        403: {"description": "device_mismatch or enterprise_mismatch"},
        413: {"description": "body_too_large"},
        422: {"description": "a whole-message error; details.problems lists them"},
        429: {"description": "rate limited; see Retry-After"},
        503: {"description": "not stored; resend later"},
    },
)
@device_authenticated
async def uplink(request: Request) -> Response:
    """Store a message signed with the device's key (headers ``X-Nenghao-*``).

    Answers the per-record results once the records are durably stored.
    """
    service: UplinkService = request.app.state.uplink
    body = await read_body(request, service.limits.max_body_bytes)
    # Announced once its body is in (a stalled body holds up no group): concurrent messages
    # then share a commit.
    with service.announce() as ticket:
        headers, target = dict(request.headers), request_target(request)
        content = await run_in_threadpool(_handle, service, headers, target, body, ticket)
    return Response(content=content, media_type="application/json")
