"""The interactive API documentation (Swagger UI), served from this server, not a CDN.

The Swagger UI files come from the ``fastapi-offline`` package, which ships the current
``swagger-ui-dist`` build; the page starts it with a script file rather than an inline
script, so the page works under the platform's Content-Security-Policy and without internet.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))
"""The directory holding ``swagger-ui-bundle.js`` and ``swagger-ui.css``."""


def install(app: FastAPI, prefix: str) -> None:
    """Serve Swagger UI at ``<prefix>/docs`` for the document at ``<prefix>/openapi.json``."""
    docs = f"{prefix}/docs"
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{app.title} — API</title>
<link rel="stylesheet" href="{docs}/assets/swagger-ui.css">
<link rel="icon" href="/favicon.svg">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{docs}/assets/swagger-ui-bundle.js"></script>
<script src="{docs}/start.js"></script>
</body>
</html>
"""
    start = f"""window.ui = SwaggerUIBundle({{
  url: "{prefix}/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  showExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout",
}});
"""

    async def docs_page(_request: Request) -> Response:
        return HTMLResponse(page)

    async def start_script(_request: Request) -> Response:
        return Response(start, media_type="text/javascript; charset=utf-8")

    app.add_route(docs, docs_page, methods=["GET"], include_in_schema=False)
    app.add_route(f"{docs}/start.js", start_script, methods=["GET"], include_in_schema=False)
    app.mount(f"{docs}/assets", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
