"""``nenghao serve``: run the API with uvicorn (TLS and a proxy's path prefix optional)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nenghao.cli.common import fail
from nenghao.cli.common import settings as read_settings
from nenghao.config import Settings

if TYPE_CHECKING:
    import uvicorn


class TLSPairError(ValueError):
    """A certificate without its key, or a key without its certificate."""


def server_config(current: Settings) -> uvicorn.Config:
    """The uvicorn configuration of the API app built from `current`: address, TLS
    (``ssl_certfile``/``ssl_keyfile``) and the public path prefix (``root_path``)."""
    import uvicorn

    from nenghao.app import create_app

    if (current.ssl_certfile is None) != (current.ssl_keyfile is None):
        raise TLSPairError("TLS needs both --ssl-certfile and --ssl-keyfile (NENGHAO_SSL_*)")
    return uvicorn.Config(
        create_app(current),
        host=current.host,
        port=current.port,
        root_path=current.root_path,
        ssl_certfile=current.ssl_certfile,
        ssl_keyfile=current.ssl_keyfile,
        proxy_headers=False,  # the app believes X-Forwarded-* only from `trusted_proxies`
    )


def run_server(current: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve the API app built from `current` until interrupted."""
    import uvicorn

    update = {"host": host or current.host, "port": port or current.port}
    uvicorn.Server(server_config(current.model_copy(update=update))).run()


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [NENGHAO_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [NENGHAO_PORT].")] = None,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(help="Serve HTTPS: certificate chain, PEM [NENGHAO_SSL_CERTFILE]."),
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(help="Serve HTTPS: private key, PEM [NENGHAO_SSL_KEYFILE].")
    ] = None,
    root_path: Annotated[
        str | None,
        typer.Option(help="Public path prefix a reverse proxy strips [NENGHAO_ROOT_PATH]."),
    ] = None,
) -> None:
    """Serve the HTTP API (settings from the environment)."""
    current = read_settings()
    given = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile, "root_path": root_path}
    current = current.model_copy(update={k: v for k, v in given.items() if v is not None})
    try:
        run_server(current, host, port)
    except TLSPairError as exc:
        fail(str(exc))
