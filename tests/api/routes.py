"""Route introspection shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

try:  # FastAPI >= 0.16x keeps included routers lazily; this flattens them.
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI lists APIRoutes directly
    iter_route_contexts = None


def api_routes(app: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """Every (method, path template, APIRoute) the app serves, HEAD excluded."""
    routes: Any = iter_route_contexts(app.routes) if iter_route_contexts else app.routes
    for route in routes:
        original = getattr(route, "original_route", route)
        if not isinstance(original, APIRoute):
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, route.path, original


def permission_of(route: APIRoute) -> str | None:
    """The permission the route's `require(...)` dependency checks, if any."""
    stack = list(route.dependant.dependencies)
    while stack:
        dependant = stack.pop()
        permission = getattr(dependant.call, "permission", None)
        if permission:
            return permission
        stack.extend(dependant.dependencies)
    return None


def device_authenticated(route: APIRoute) -> bool:
    """Whether the route authenticates a device signature instead of a user token."""
    return bool(getattr(route.endpoint, "device_authenticated", False))
