"""Route introspection shared by the API tests."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

try:  # FastAPI >= 0.16x keeps included routers lazily; this flattens them.
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI lists APIRoutes directly
    iter_route_contexts = None


def api_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    """Every (method, path template, APIRoute) the app serves, HEAD excluded; never empty
    (a walk over no routes would prove nothing)."""
    routes: Any = iter_route_contexts(app.routes) if iter_route_contexts else app.routes
    found = []
    for route in routes:
        original = getattr(route, "original_route", route)
        if not isinstance(original, APIRoute):
            continue
        found.extend(
            (method, route.path, original)
            for method in sorted(route.methods or ())
            if method != "HEAD"
        )
    assert len(found) > 50, f"only {len(found)} API routes found: the route walk is broken"
    return found


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
