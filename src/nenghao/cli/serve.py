"""``nenghao serve``: run the API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from nenghao.cli.common import settings as read_settings
from nenghao.config import Settings


def run_server(current: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve the API app built from `current` until interrupted."""
    import uvicorn

    from nenghao.api.app import create_app

    uvicorn.run(
        create_app(current),
        host=host or current.host,
        port=port or current.port,
        proxy_headers=False,  # the app believes X-Forwarded-* only from `trusted_proxies`
    )


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [NENGHAO_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [NENGHAO_PORT].")] = None,
) -> None:
    """Serve the HTTP API (settings from the environment)."""
    run_server(read_settings(), host, port)
