"""The API's route class: a JSON request body is measured before FastAPI parses it.

FastAPI parses a route's JSON body with `json.loads`, which recurses per nesting level; a
body nested a thousand levels deep exhausts the stack. `JsonRoute` reads the body first and
refuses one that nests deeper than `MAX_JSON_DEPTH` with 422 ``json_too_deep``. Every router
with JSON bodies uses it (``APIRouter(route_class=JsonRoute)``; ``tests/api/test_json_depth_api.py``
checks every route); routes that read their body themselves (the uplink, manual filings)
measure it in `nenghao.ingest.protocol` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.params import Form
from fastapi.routing import APIRoute

from nenghao.api.errors import ApiError
from nenghao.ingest.json_depth import MAX_JSON_DEPTH, JsonTooDeepError, check_json_depth

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class JsonRoute(APIRoute):
    """An `APIRoute` whose JSON body may nest at most `MAX_JSON_DEPTH` levels."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.body_field is None or isinstance(self.body_field.field_info, Form):
            return handler

        async def measured(request: Request) -> Response:
            try:
                check_json_depth(await request.body())  # kept: FastAPI parses the same bytes
            except JsonTooDeepError as exc:
                raise ApiError(
                    422,
                    "json_too_deep",
                    f"{exc}; send the fields this route documents, without deeper nesting",
                    {"depth": exc.depth, "limit": MAX_JSON_DEPTH},
                ) from None
            return await handler(request)

        return measured
