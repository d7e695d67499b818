"""One error shape for every answer that is not a success.

``{"error": {"code": "<stable_machine_code>", "message": "<actionable>", "details": ...}}``

``message`` is Chinese when the request's ``Accept-Language`` prefers ``zh``
(`nenghao.api.error_language`); ``code`` and the shape never change with the language.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nenghao.api.error_language import (
    field_location,
    field_problem,
    header_of,
    message_for,
    prefers_chinese,
)
from nenghao.store import common
from nenghao.store.engine import DATABASE_FAULTS

logger = logging.getLogger("nenghao.api")

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "body_timeout",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}

_STORE_STATUS: tuple[tuple[type[common.StoreError], int], ...] = (
    (common.AuthError, 401),
    (common.OutsideScopeError, 403),
    (common.NotFoundError, 404),
    (common.ConflictError, 409),
    (common.StoreError, 422),
)

DomainErrors = tuple[tuple[type[Exception], int, str], ...]
"""Domain error classes with their HTTP status and error code (`nenghao.app.error_codes`)."""


class ApiError(Exception):
    """An error answered as-is in the error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
        zh: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.headers = details, headers
        self.zh = zh
        """A Chinese message with the specifics (else the code's message is answered in zh)."""


def classify(exc: BaseException, domain_errors: DomainErrors = ()) -> ApiError | None:
    """The `ApiError` a store error or one of `domain_errors` maps to, else None."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, common.StoreError):
        status = next(s for cls, s in _STORE_STATUS if isinstance(exc, cls))
        return ApiError(status, exc.code, exc.message, exc.details, zh=exc.zh)
    for cls, status, code in domain_errors:
        if isinstance(exc, cls):
            return ApiError(status, code, str(exc) or code.replace("_", " "))
    return None


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
    *,
    accept_language: str | None = None,
) -> JSONResponse:
    """A JSON response in the error shape; `message` in Chinese when `accept_language` (the
    request's header) prefers it."""
    message = message_for(code, message, accept_language)
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=headers)


def language(request: Request) -> str | None:
    """The request's ``Accept-Language``."""
    return header_of(request.headers)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    if prefers_chinese(language(request)):  # Chinese: where, and what is wrong
        details = [
            {
                "location": _location(err.get("loc", ())),
                "message": f"{field_location(tuple(err.get('loc', ())))}：{field_problem(err)}",
                "type": err["type"],
            }
            for err in exc.errors()
        ]
        summary = "；".join(d["message"] for d in details[:5])
        return error_response(422, "validation_error", f"请求参数有误：{summary}", details)
    details = [
        {"location": _location(err.get("loc", ())), "message": err.get("msg"), "type": err["type"]}
        for err in exc.errors()
    ]
    summary = "; ".join(f"{d['location']}: {d['message']}" for d in details[:5])
    return error_response(422, "validation_error", f"invalid request: {summary}", details)


async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404:
        message = "no such route; see /api/v1/openapi.json for the routes"
    elif exc.status_code == 405:
        allow = cast(Mapping[str, str], exc.headers).get("Allow", "?")
        message = f"method not allowed here; allowed: {allow}"
    return error_response(
        exc.status_code, code, message, headers=exc.headers, accept_language=language(request)
    )


async def _on_domain(request: Request, exc: Exception) -> JSONResponse:
    error = classify(exc, request.app.state.domain_errors)
    if error is None:  # pragma: no cover - only registered for classified types
        raise exc
    return _answer(error, request)


def _answer(error: ApiError, request: Request) -> JSONResponse:
    """The response of `error`, in the language of `request`."""
    accept = language(request)
    zh = error.zh if error.zh and prefers_chinese(accept) else None
    return error_response(
        error.status,
        error.code,
        zh or error.message,
        error.details,
        error.headers,
        accept_language=None if zh else accept,
    )


async def _on_integrity(request: Request, exc: IntegrityError) -> JSONResponse:
    logger.warning("integrity error: %s", exc.orig)
    return error_response(
        409,
        "conflict",
        "the change conflicts with stored data (a duplicate or a missing reference)",
        accept_language=language(request),
    )


RETRY_AFTER_S = 5


def database_unavailable(exc: BaseException) -> ApiError:
    """503 ``database_unavailable`` with ``Retry-After``, saying why (never the SQL)."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "no space" in text:
        reason = "storage_full"
    elif "locked" in text or "lock timeout" in text or "lock_timeout" in text:
        reason = "busy"
    elif "timeout" in text or "timed out" in text or "canceling statement" in text:
        reason = "timeout"
    else:
        reason = "unreachable"
    return ApiError(
        503,
        "database_unavailable",
        "the database cannot serve this request now; nothing was changed, try again later",
        {"reason": reason},
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


async def _on_database_fault(request: Request, exc: Exception) -> JSONResponse:
    error = database_unavailable(exc)
    logger.warning(
        "database unavailable (%s) on %s %s: %s",
        error.details["reason"],
        request.method,
        request.url.path,
        exc.__class__.__name__,
    )
    return _answer(error, request)


async def _on_data_error(request: Request, exc: DataError) -> JSONResponse:
    logger.warning("data error: %s", exc.__class__.__name__)
    return error_response(
        422,
        "invalid_value",
        "a value is out of the range or form the database can store",
        accept_language=language(request),
    )


class CatchAllMiddleware:
    """Turns any unhandled exception into a logged 500 in the error shape, without a trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(
                500,
                "internal_error",
                "an internal error occurred and was logged; try again or tell the operator",
                accept_language=header_of(scope.get("headers", [])),
            )
            await response(scope, receive, send)


def install(app: FastAPI, domain_errors: DomainErrors = ()) -> None:
    """Register the handlers that give every error the one shape; `domain_errors` (the
    application's error-code table) are answered with their status and code."""
    app.state.domain_errors = domain_errors
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, _on_integrity)  # type: ignore[arg-type]
    app.add_exception_handler(DataError, _on_data_error)  # type: ignore[arg-type]
    for fault in DATABASE_FAULTS:
        app.add_exception_handler(fault, _on_database_fault)
    cls: type[Exception]
    for cls in (ApiError, common.StoreError):
        app.add_exception_handler(cls, _on_domain)
    for cls, _status, _code in domain_errors:
        app.add_exception_handler(cls, _on_domain)
    app.add_middleware(CatchAllMiddleware)
