"""Bounds on every HTTP request: body time, total time, requests in progress per client.

- A body not received within ``request_body_timeout_s`` answers 408 ``body_timeout`` (a
  client that stalls mid-body holds nothing for long).
- A request not answered within ``request_timeout_s`` answers 503 ``request_timeout`` with
  ``Retry-After`` (a database that stopped answering cannot hang a caller); the work left
  behind finishes or fails on its own and its late answer is dropped.
- More than ``max_requests_per_client`` requests in progress from one client address answer
  429 ``too_many_requests`` at once, so one address cannot starve the other tenants. Behind a
  reverse proxy the client address is the proxy's unless uvicorn is told to trust its
  ``X-Forwarded-For`` (``--proxy-headers --forwarded-allow-ips``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nenghao.api.error_language import header_of
from nenghao.api.errors import error_response

logger = logging.getLogger("nenghao.api")


@dataclass(frozen=True)
class GuardLimits:
    """The bounds of `RequestGuard` [s, s, requests]."""

    request_timeout_s: float = 60.0
    body_timeout_s: float = 30.0
    max_per_client: int = 32


class BodyTimeoutError(HTTPException):
    """The request body did not arrive in time (answered 408 ``body_timeout``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"the request body did not arrive within {seconds:g} s; resend it")


class RequestGuard:
    """ASGI middleware applying `GuardLimits` to every HTTP request."""

    def __init__(self, app: ASGIApp, limits: GuardLimits) -> None:
        self.app = app
        self.limits = limits
        self.in_progress: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "-"
        if self.in_progress[client] >= self.limits.max_per_client:
            response = error_response(
                429,
                "too_many_requests",
                f"more than {self.limits.max_per_client} requests in progress from this "
                "address; wait for them to finish",
                headers={"Retry-After": "1"},
                accept_language=header_of(scope.get("headers", [])),
            )
            await response(scope, receive, send)
            return
        self.in_progress[client] += 1
        try:
            await self._bounded(scope, receive, send)
        finally:
            self.in_progress[client] -= 1
            if self.in_progress[client] <= 0:
                del self.in_progress[client]

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        body_deadline = time.monotonic() + self.limits.body_timeout_s
        state = {"started": False, "abandoned": False}

        async def timed_receive() -> Message:
            left = body_deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                logger.warning("body timeout: %s %s", scope.get("method"), scope.get("path"))
                raise BodyTimeoutError(self.limits.body_timeout_s) from None
            return message

        async def guarded_send(message: Message) -> None:
            if state["abandoned"]:
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        task = asyncio.ensure_future(self.app(scope, timed_receive, guarded_send))
        done, _pending = await asyncio.wait({task}, timeout=self.limits.request_timeout_s)
        if task in done:
            task.result()  # an error the app let through goes on to the outer middleware
            return
        state["abandoned"] = True
        task.cancel()
        task.add_done_callback(_forget)
        logger.warning(
            "request timeout after %g s: %s %s",
            self.limits.request_timeout_s,
            scope.get("method"),
            scope.get("path"),
        )
        if state["started"]:
            return  # the answer had begun: the server closes the connection
        response = error_response(
            503,
            "request_timeout",
            f"the request was not answered within {self.limits.request_timeout_s:g} s "
            "(the database may be away); try again later",
            headers={"Retry-After": "5"},
            accept_language=header_of(scope.get("headers", [])),
        )
        await response(scope, receive, send)


def _forget(task: asyncio.Task[None]) -> None:
    """Retrieve an abandoned request's outcome, so that it is not reported as unhandled."""
    if not task.cancelled():
        task.exception()
