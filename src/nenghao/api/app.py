"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType

from fastapi import FastAPI
from sqlalchemy import Engine

from nenghao import __version__
from nenghao.api import errors, openapi_docs
from nenghao.api.monitoring import start_scheduler
from nenghao.api.routers import (
    alerts,
    audit,
    auth,
    catalog,
    convert,
    devices,
    enterprises,
    health,
    imports,
    quality,
    quarantine,
    reports,
    root,
    stats,
    targets,
    uplink,
    uploads,
    users,
)
from nenghao.config import Settings, get_settings
from nenghao.ingest.mqtt import UplinkSubscriber
from nenghao.store.engine import make_engine
from nenghao.web import install as install_web

API_PREFIX = "/api/v1"
ROUTERS: tuple[ModuleType, ...]
ROUTERS = (health, auth, enterprises, devices, users, audit, catalog, convert)
ROUTERS += (uplink, uploads, quarantine)
ROUTERS += (imports,)
ROUTERS += (stats, targets, reports)
ROUTERS += (quality, alerts)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the API app on `engine` (default: from `settings`, default: the environment)."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        uplink.recover(_app)  # archives a crash left unprocessed
        mqtt = UplinkSubscriber(engine, settings).start() if settings.mqtt_enabled else None
        _app.state.mqtt = mqtt
        monitor = start_scheduler(engine, settings)  # None unless settings.monitor_enabled
        _app.state.monitor = monitor
        yield
        if monitor is not None:
            monitor.stop()
        if mqtt is not None:
            mqtt.stop()
        uplink.shutdown(_app)
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
    uplink.setup(app, settings, engine)
    errors.install(app)
    # The JSON index lives at /api/v1; / belongs to the web dashboard.
    app.add_api_route(
        API_PREFIX, root.index, methods=["GET"], tags=["meta"], summary="Index of the service"
    )
    for module in ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    openapi_docs.install(app)  # every route's error answers, in the one error shape
    install_web(app)  # last: static files and the SPA fallback for every other GET
    return app
