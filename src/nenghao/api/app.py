"""The API application: routers, middleware, the one error shape, the documentation."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from types import ModuleType

from fastapi import FastAPI
from sqlalchemy import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from nenghao import __version__
from nenghao.api import docs, errors, openapi_docs
from nenghao.api.errors import DomainErrors
from nenghao.api.guard import GuardLimits, RequestGuard
from nenghao.api.routers import (
    alerts,
    annual_reports,
    audit,
    auth,
    catalog,
    convert,
    device_status,
    devices,
    enterprises,
    equal_values,
    faults,
    federation,
    filings,
    health,
    imports,
    items,
    notices,
    pathway,
    plans,
    project_operation,
    projects,
    quality,
    quarantine,
    reports,
    retrofits,
    root,
    stats,
    targets,
    two_high,
    uplink,
    uplink_heartbeat,
    uplink_reads,
    uploads,
    users,
)
from nenghao.api.security_headers import SecurityHeadersMiddleware
from nenghao.config import Settings
from nenghao.ingest.service import UplinkService

API_PREFIX = "/api/v1"
ROUTERS: tuple[ModuleType, ...]
ROUTERS = (health, auth, enterprises, devices, users, audit, catalog, convert)
ROUTERS += (equal_values,)
ROUTERS += (uplink, uplink_reads, uplink_heartbeat, uploads, quarantine)
ROUTERS += (imports, items, filings)
ROUTERS += (plans,)
ROUTERS += (stats, targets, reports)
ROUTERS += (quality, alerts)
ROUTERS += (annual_reports,)
ROUTERS += (notices,)
ROUTERS += (device_status, faults)
ROUTERS += (project_operation,)  # before projects: POST .../{action} would take /items
ROUTERS += (two_high,)
ROUTERS += (retrofits,)
ROUTERS += (projects,)
ROUTERS += (federation,)
ROUTERS += (pathway,)


def build_api(
    settings: Settings,
    engine: Engine,
    uplink_service: UplinkService,
    *,
    domain_errors: DomainErrors = (),
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """The API app on `engine`, storing uplinks through `uplink_service` (built by `nenghao.app`,
    which also runs the background work in `lifespan`); `domain_errors` is the application's
    error-code table."""
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
    app.state.uplink = uplink_service
    errors.install(app, domain_errors)
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
    return app
