"""Every route answers a typed body: a response model, or a declared file or empty answer.

The web's API types are generated from the OpenAPI document, so an answer the document
leaves untyped (``dict[str, Any]``, ``{}``) would have to be restated by hand in ``web/src``.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel
from routes import api_routes

from nenghao.app import create_app
from nenghao.app.openapi_export import document
from nenghao.config import Settings

JSON = "application/json"


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(Settings(database_url="sqlite://"))


def _success(responses: dict[Any, Any]) -> dict[str, Any]:
    """The declared 2xx answers of a route or operation, by status code as text."""
    return {str(code): answer for code, answer in responses.items() if str(code)[0] == "2"}


def _declares_file(route: APIRoute) -> bool:
    """Whether the route declares a non-JSON success answer (a file download)."""
    return any(
        media != JSON
        for answer in _success(route.responses).values()
        for media in answer.get("content", {})
    )


def _typed(route: APIRoute) -> bool:
    model = route.response_model
    return isinstance(model, type) and issubclass(model, BaseModel)


def test_every_route_has_a_response_model_or_declares_its_file(app: Any) -> None:
    routes = api_routes(app)
    untyped = [
        f"{method} {path}"
        for method, path, route in routes
        if not (_typed(route) or _declares_file(route) or route.status_code == 204)
    ]
    assert untyped == []


def test_a_route_returning_a_bare_dict_counts_as_untyped(app: Any) -> None:
    """The check above can fail: a route without a model and without a file is found."""

    def bare() -> dict[str, Any]:
        return {}

    route = APIRoute("/bare", bare)
    assert not _typed(route)
    assert not _declares_file(route)


def _untyped_schema(schema: dict[str, Any]) -> bool:
    """A schema that names no component and lists no properties (``{}``, a bare object)."""
    if "$ref" in schema or "properties" in schema:
        return False
    if schema.get("type") == "array":
        return _untyped_schema(schema.get("items", {}))
    return True


def test_every_json_answer_of_the_document_names_its_schema() -> None:
    operations = [
        (method.upper(), path, operation)
        for path, item in document()["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 50, "the document lists too few operations"
    untyped = []
    for method, path, operation in operations:
        success = _success(operation["responses"])
        assert success, f"{method} {path} declares no success answer"
        for code, answer in success.items():
            content = answer.get("content", {})
            if code == "204" or JSON not in content:
                assert code == "204" or content, f"{method} {path} {code} has no content"
                continue
            if _untyped_schema(content[JSON].get("schema", {})):
                untyped.append(f"{method} {path} {code}")
    assert untyped == []
