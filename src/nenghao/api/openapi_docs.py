"""The error answers of every route in the OpenAPI document, decided in one place.

`install` wraps the app's document generator: each operation gets the error statuses its
route can answer, with the one error shape (`ErrorOut`), decided from what the route depends
on — a user token (401), a permission not every role holds (403), the database (503, and 409
on writes), path parameters (404) and inputs at all (422). Statuses a route declares itself
(``responses=`` on its decorator, e.g. 413 or 429) get the error shape too. Routes that read
their body themselves document it with `component` (a model put into the document).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from nenghao.api.access import EVERYONE, PERMISSIONS, authenticate
from nenghao.api.deps import get_engine
from nenghao.standards.digits import is_digits

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DESCRIPTIONS = {
    401: "Not authenticated: the bearer token is missing, expired or revoked.",
    403: "Forbidden: the role lacks the permission, or the change reaches outside the scope.",
    404: "Not found, or outside the caller's scope.",
    409: "Conflicts with stored data: a duplicate, a state already reached, a missing reference.",
    422: "Invalid input; for request validation, `details` lists location, message and type.",
    429: "Too many requests; retry after `Retry-After` seconds.",
    503: "The database is unavailable; nothing was changed, retry later.",
}
_FASTAPI_422 = ("HTTPValidationError", "ValidationError")
_COMPONENTS: list[type[BaseModel]] = []


class ErrorBody(BaseModel):
    """What went wrong: a stable machine code, a message a person can act on, details."""

    code: str = Field(description="Stable snake_case code, e.g. `enterprise_not_found`.")
    message: str = Field(description="What was wrong and what to do.")
    details: Any = Field(description="Structured details, or null.")


class ErrorOut(BaseModel):
    """The one shape of every error answer."""

    error: ErrorBody


def component(model: type[BaseModel]) -> dict[str, str]:
    """A reference to `model`'s schema, which the document then holds (for ``openapi_extra``)."""
    if model not in _COMPONENTS:
        _COMPONENTS.append(model)
    return {"$ref": _ref(model.__name__)}


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    stack = list(dependant.dependencies)
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.dependencies)


def _calls(route: APIRoute) -> list[Callable[..., Any]]:
    return [d.call for d in _dependencies(route.dependant) if d.call is not None]


def _has_inputs(dependant: Dependant) -> bool:
    parts = [dependant, *_dependencies(dependant)]
    return any(
        d.path_params or d.query_params or d.header_params or d.cookie_params or d.body_params
        for d in parts
    )


def error_statuses(method: str, route: APIRoute) -> set[int]:
    """The error statuses `route` answers with `method`, decided from its dependencies."""
    calls = _calls(route)
    statuses: set[int] = set()
    if authenticate in calls:
        statuses.add(401)
    permissions = {getattr(call, "permission", None) for call in calls} - {None}
    if any(PERMISSIONS[str(p)] != EVERYONE for p in permissions):
        statuses.add(403)
    if route.dependant.path_params:
        statuses.add(404)
    if get_engine in calls:
        statuses.add(503)
        if method in WRITES:
            statuses.add(409)
    if _has_inputs(route.dependant):
        statuses.add(422)
    return statuses


def _operations(
    app: FastAPI, doc: dict[str, Any]
) -> Iterator[tuple[str, APIRoute, dict[str, Any]]]:
    paths = doc.get("paths", {})
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(context.methods or ()):
            operation = paths.get(context.path, {}).get(method.lower())
            if operation is not None:
                yield method, route, operation


def _error_response(existing: dict[str, Any] | None, status: int) -> dict[str, Any]:
    response = dict(existing or {})
    if not existing or (status == 422 and _is_fastapi_422(existing)):
        response["description"] = DESCRIPTIONS.get(status, response.get("description", ""))
    response["content"] = {"application/json": {"schema": {"$ref": _ref("ErrorOut")}}}
    return response


def _is_fastapi_422(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref") == _ref("HTTPValidationError"))


def _ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def _add_schemas(doc: dict[str, Any]) -> None:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    models = [(ErrorOut, "serialization"), *((m, "validation") for m in _COMPONENTS)]
    _, defs = models_json_schema(models, ref_template=_ref("{model}"))  # type: ignore[arg-type]
    for name, schema in defs["$defs"].items():
        schemas.setdefault(name, schema)
    text = json.dumps(doc.get("paths", {}))
    for name in _FASTAPI_422:
        if _ref(name) not in text:
            schemas.pop(name, None)


def document_errors(app: FastAPI, doc: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses of every operation to `doc` (idempotent); returns `doc`."""
    for method, route, operation in _operations(app, doc):
        responses = operation.setdefault("responses", {})
        declared = {int(s) for s in responses if is_digits(s) and int(s) >= 400}
        for status in sorted(error_statuses(method, route) | declared):
            responses[str(status)] = _error_response(responses.get(str(status)), status)
    _add_schemas(doc)
    return doc


def install(app: FastAPI) -> None:
    """Make the app's OpenAPI document list every route's error answers."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return document_errors(app, generate())

    app.openapi = openapi  # type: ignore[method-assign]
