"""Security headers on every answer, set in one place.

* ``Content-Security-Policy``: only this origin's scripts, styles, images, fonts and API;
  no plug-ins, no framing (``frame-ancestors 'none'``), forms and ``<base>`` to this origin.
  Style sheets come only from this origin; inline ``style`` attributes are admitted
  (``style-src-attr``) because the charts' tooltips are HTML with them.
* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.
* ``Cache-Control: no-store`` on every ``/api/...`` answer: API data (and the session
  cookies that come with it) never stays in a browser or proxy cache.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
API_CACHE_CONTROL = "no-store"


def is_api_path(path: str) -> bool:
    """Whether `path` belongs to the API (``/api`` and below)."""
    return path == "/api" or path.startswith("/api/")


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP answer (a header the route set itself stays,
    except ``Cache-Control`` under ``/api``, which is always ``no-store``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = is_api_path(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if api:
                    headers["Cache-Control"] = API_CACHE_CONTROL
            await send(message)

        await self.app(scope, receive, send_with_headers)
