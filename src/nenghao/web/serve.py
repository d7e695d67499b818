"""Serving the built dashboard: hashed assets cached for a year, client routes fall back.

* ``/assets/<name>-<hash>.<ext>``: immutable, ``Cache-Control: public, max-age=31536000,
  immutable``; a pre-compressed ``.gz`` sibling is sent when the client accepts gzip.
* other files at the top of ``dist/`` (favicon): ``max-age=3600``.
* any other GET outside ``/api/``: ``index.html`` with ``Cache-Control: no-cache``, so a new
  build is picked up at the next visit and client routes (``/enterprises/7``) survive a reload.
* ``/api/...`` is never answered here: unknown API paths keep the API's JSON 404.
* a path no file and no client route can have answers 404 (JSON error shape, nothing logged):
  a NUL, a ``.`` or ``..`` segment, a segment longer than `NAME_MAX` bytes or a path longer
  than `PATH_MAX` bytes. The file system is asked about a path only after these checks, and a
  lookup that fails all the same (``OSError``) counts as no such file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

DIST = Path(__file__).resolve().parent / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"
NO_CACHE = "no-cache"
NAME_MAX = 255
"""The longest file name (one path segment) in bytes, as on Linux file systems."""
PATH_MAX = 4096
"""The longest path in bytes, as on Linux."""


def is_built(dist: Path = DIST) -> bool:
    """Whether the dashboard has been built into `dist`."""
    return (dist / "index.html").is_file()


def _nameable(relative: str) -> bool:
    """Whether `relative` could name a file under ``dist`` or a client route (see above)."""
    encoded = relative.encode("utf-8", "surrogatepass")
    if len(encoded) > PATH_MAX or b"\x00" in encoded:
        return False
    return all(
        len(segment) <= NAME_MAX and segment not in (b".", b"..") for segment in encoded.split(b"/")
    )


def _inside(dist: Path, relative: str) -> Path | None:
    """The file `relative` (a `_nameable` path) under `dist`, or None when there is none."""
    if not relative:
        return None
    try:
        candidate = (dist / relative).resolve()
        found = candidate.is_relative_to(dist) and candidate.is_file()
    except (OSError, ValueError):  # e.g. a symlink loop, an unencodable name
        return None
    return candidate if found else None


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _file(request: Request, path: Path, cache: str) -> Response:
    headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    gz = path.with_name(path.name + ".gz")
    if gz.is_file():
        headers["Vary"] = "Accept-Encoding"
    if _accepts_gzip(request) and gz.is_file():
        headers["Content-Encoding"] = "gzip"
        return FileResponse(gz, headers=headers, media_type=_media_type(path))
    return FileResponse(path, headers=headers, media_type=_media_type(path))


def _media_type(path: Path) -> str:
    import mimetypes

    kind = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css"}.get(
        path.suffix
    ) or (mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    if kind.startswith("text/") or kind in ("application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


ErrorResponder = Callable[[int, str, str], Response]
"""Answers an error in the application's one error shape (status, code, message)."""


def _not_built(error_response: ErrorResponder) -> Response:
    return error_response(
        503,
        "web_not_built",
        "the web dashboard is not built: run `make web` (npm ci + vite build), then reload; "
        "the API itself is at /api/v1",
    )


def make_endpoint(
    dist: Path, error_response: ErrorResponder
) -> Callable[[Request], Awaitable[Response]]:
    """The GET endpoint serving `dist` (see the module docstring); errors that are not a
    plain 404 are answered by `error_response`."""
    dist = dist.resolve()

    async def endpoint(request: Request) -> Response:
        relative = request.path_params.get("path", "")
        if not _nameable(relative):
            raise HTTPException(404)
        if not is_built(dist):
            return _not_built(error_response)
        found = _inside(dist, relative)
        if relative.startswith("assets/"):
            if found is None:  # a stale hashed name must not get index.html
                raise HTTPException(404)
            return _file(request, found, IMMUTABLE)
        if found is not None and found.name != "index.html":
            return _file(request, found, SHORT)
        return _file(request, dist / "index.html", NO_CACHE)

    return endpoint


class WebRoute(Route):
    """``/{path:path}`` that never matches under ``/api``, wherever it sits in the routes."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def install(app: FastAPI, error_response: ErrorResponder, dist: Path | None = None) -> None:
    """Serve the dashboard from `dist` at ``/`` for GET and HEAD outside ``/api``; errors in
    the application's shape by `error_response` (the web knows nothing of the API)."""
    endpoint = make_endpoint(dist or DIST, error_response)
    app.router.routes.append(
        WebRoute("/{path:path}", endpoint, methods=["GET", "HEAD"], include_in_schema=False)
    )
