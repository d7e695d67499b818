"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType

from fastapi import FastAPI
from sqlalchemy import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from nenghao import __version__
from nenghao.api import docs, errors, openapi_docs
from nenghao.api.guard import GuardLimits, RequestGuard
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
from nenghao.api.security_headers import SecurityHeadersMiddleware
from nenghao.config import Settings, get_settings
from nenghao.ingest.held import HeldRetrier
from nenghao.ingest.mqtt import UplinkSubscriber
from nenghao.store.engine import Timeouts, make_engine
from nenghao.web import install as install_web

API_PREFIX = "/api/v1"
ROUTERS: tuple[ModuleType, ...]
ROUTERS = (health, auth, enterprises, devices, users, audit, catalog, convert)
ROUTERS += (uplink, uploads, quarantine)
ROUTERS += (imports,)
ROUTERS += (stats, targets, reports)
ROUTERS += (quality, alerts)


def timeouts(settings: Settings) -> Timeouts:
    """The database waits the API allows (a request must not hang on the database)."""
    return Timeouts(
        connect=settings.database_connect_timeout_s,
        statement=settings.database_statement_timeout_s,
        busy=settings.database_busy_timeout_s,
        checkout=settings.database_connect_timeout_s,
    )


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the API app on `engine` (default: from `settings`, default: the environment)."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.resolved_database_url(), timeouts=timeouts(settings))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Held messages (archived, not stored: a crash, a failed commit) are stored in the
        # background, so that a database that is away does not hold up the start.
        held = HeldRetrier(
            engine,
            _app.state.uplink.limits,
            interval_s=settings.uplink_retry_interval_s,
            min_age_s=settings.uplink_retry_min_age_s,
        ).start()
        _app.state.held = held
        mqtt = None
        if settings.mqtt_enabled:  # one rate limit per device over HTTPS and MQTT
            mqtt = UplinkSubscriber(engine, settings, _app.state.uplink.buckets).start()
        _app.state.mqtt = mqtt
        monitor = start_scheduler(engine, settings)  # None unless settings.monitor_enabled
        _app.state.monitor = monitor
        yield
        if monitor is not None:
            monitor.stop()
        if mqtt is not None:
            mqtt.stop()
        held.stop()
        uplink.shutdown(_app)
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="nenghao 能耗",
        summary="重点用能单位能耗在线监测系统 — online energy-consumption monitoring",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served by nenghao.api.docs, without a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    uplink.setup(app, settings, engine)
    errors.install(app)
    app.add_middleware(
        RequestGuard,
        limits=GuardLimits(
            request_timeout_s=settings.request_timeout_s,
            body_timeout_s=settings.request_body_timeout_s,
            max_per_client=settings.max_requests_per_client,
        ),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.trusted_proxies:  # client address and scheme from X-Forwarded-For/-Proto
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    docs.install(app, API_PREFIX)
    # The JSON index lives at /api/v1; / belongs to the web dashboard.
    app.add_api_route(
        API_PREFIX, root.index, methods=["GET"], tags=["meta"], summary="Index of the service"
    )
    for module in ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    openapi_docs.install(app)  # every route's error answers, in the one error shape
    install_web(app)  # last: static files and the SPA fallback for every other GET
    return app
