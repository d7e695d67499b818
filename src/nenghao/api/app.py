"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from nenghao import __version__
from nenghao.api import errors
from nenghao.api.routers import (
    audit,
    auth,
    catalog,
    convert,
    devices,
    enterprises,
    health,
    root,
    users,
)
from nenghao.config import Settings, get_settings
from nenghao.store.engine import make_engine

API_PREFIX = "/api/v1"
ROUTERS = (health, auth, enterprises, devices, users, audit, catalog, convert)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the API app on `engine` (default: from `settings`, default: the environment)."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="nenghao 能耗",
        summary="重点用能单位能耗在线监测系统 — online energy-consumption monitoring",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    errors.install(app)
    app.include_router(root.router)
    for module in ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    return app
