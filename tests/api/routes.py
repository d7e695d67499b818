"""Route introspection shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

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


def _is_int(annotation: Any) -> bool:
    """Whether `annotation` is ``int`` or an optional ``int`` (``bool`` is not)."""
    if annotation is int:
        return True
    return get_origin(annotation) in (Union, UnionType) and int in get_args(annotation)


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models inside `annotation` (``Model``, ``Model | None``, ``list[Model]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from _models(argument)


def _body_ints(model: type[BaseModel], prefix: str, seen: set[type]) -> Iterator[Any]:
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        if _is_int(field.annotation):
            yield "body", f"{prefix}{name}", field
        for inner in _models(field.annotation):
            yield from _body_ints(inner, f"{prefix}{name}.", seen)


def _dependants(route: APIRoute) -> Iterator[Any]:
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        yield dependant
        stack.extend(dependant.dependencies)


def int_parameters(route: APIRoute) -> list[tuple[str, str, Any]]:
    """Every integer parameter of `route`: (``path``/``query``/``body``, name, FieldInfo)."""
    found: list[tuple[str, str, Any]] = []
    for dependant in _dependants(route):
        for where, params in (("path", dependant.path_params), ("query", dependant.query_params)):
            found += [
                (where, p.alias, p.field_info) for p in params if _is_int(p.field_info.annotation)
            ]
    if route.body_field is not None:
        for model in _models(route.body_field.field_info.annotation):
            found += list(_body_ints(model, "", set()))
    return found


_SAMPLES = {"period": "2025", "month": "2025-01", "subject": "1", "format": "csv"}


def sample_query(route: APIRoute) -> dict[str, Any]:
    """A valid value for every required query parameter of `route`."""
    query: dict[str, Any] = {}
    for dependant in _dependants(route):
        for param in dependant.query_params:
            if not param.field_info.is_required():
                continue
            annotation = param.field_info.annotation
            if get_origin(annotation) is Literal:
                query[param.alias] = get_args(annotation)[0]
            elif _is_int(annotation):
                lower = [m.ge for m in param.field_info.metadata if hasattr(m, "ge")]
                query[param.alias] = lower[0] if lower else 1
            elif annotation is date:
                query[param.alias] = "2025-01-01"
            else:
                query[param.alias] = _SAMPLES.get(param.alias, "x")
    return query
