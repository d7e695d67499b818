"""The server application: the API and the dashboard on one engine, with the background
work of the platform (held messages, MQTT subscriber, monitor schedule) in its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from nenghao.api.app import build_api
from nenghao.api.errors import error_response
from nenghao.app.error_codes import DOMAIN_ERRORS
from nenghao.app.monitoring import start_scheduler
from nenghao.app.uplink import build_uplink
from nenghao.config import Settings, get_settings
from nenghao.federation.forwarder import BatchLimits, Forwarder
from nenghao.ingest.held import HeldRetrier
from nenghao.ingest.mqtt import UplinkSubscriber
from nenghao.store.engine import Timeouts, make_engine
from nenghao.store.job_lock import JobLock
from nenghao.store.maintenance import MaintenanceLoop, Policy
from nenghao.web import install as install_web


def timeouts(settings: Settings) -> Timeouts:
    """The database waits the server allows (a request must not hang on the database)."""
    return Timeouts(
        connect=settings.database_connect_timeout_s,
        statement=settings.database_statement_timeout_s,
        busy=settings.database_busy_timeout_s,
        checkout=settings.database_connect_timeout_s,
    )


def maintenance_policy(settings: Settings) -> Policy:
    """The partitions and the archive retention the settings ask for."""
    return Policy(settings.partition_months_ahead, settings.archive_compress_after_months)


def start_maintenance(engine: Engine, settings: Settings, lock: JobLock) -> MaintenanceLoop | None:
    """Start the maintenance job (`nenghao.store.maintenance`) unless switched off."""
    if not settings.maintenance_enabled:
        return None
    policy = maintenance_policy(settings)
    loop = MaintenanceLoop(engine, policy, settings.maintenance_interval_s, lock)
    loop.start()
    return loop


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The application on `engine` (default: from `settings`, default: the environment)."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.resolved_database_url(), timeouts=timeouts(settings))
    uplink = build_uplink(settings, engine, prepare_workers=settings.uplink_prepare_workers)

    def job_lock(name: str) -> JobLock:
        # Once across nodes on PostgreSQL; on SQLite always this process.
        return JobLock(engine, name, settings.database_lock_url, timeouts(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Held messages (archived, not stored: a crash, a failed commit) are stored in the
        # background, so that a database that is away does not hold up the start.
        held = HeldRetrier(
            uplink,
            interval_s=settings.uplink_retry_interval_s,
            min_age_s=settings.uplink_retry_min_age_s,
            lock=job_lock("held"),
        ).start()
        app.state.held = held
        mqtt = UplinkSubscriber(uplink, settings).start() if settings.mqtt_enabled else None
        app.state.mqtt = mqtt
        # None unless settings.monitor_enabled
        monitor = start_scheduler(engine, settings, job_lock("monitor"))
        app.state.monitor = monitor
        maintenance = start_maintenance(engine, settings, job_lock("maintenance"))
        app.state.maintenance = maintenance
        forwarder = Forwarder(
            engine,
            uplink.credentials.master_key,
            lock=job_lock("federation"),
            interval_s=settings.federation_interval_s,
            limits=BatchLimits(records=settings.federation_batch_records),
        ).start()
        yield
        forwarder.stop()
        if maintenance is not None:
            maintenance.stop()
        if monitor is not None:
            monitor.stop()
        if mqtt is not None:
            mqtt.stop()
        held.stop()
        uplink.close()
        if owns_engine:
            engine.dispose()

    app = build_api(settings, engine, uplink, lifespan=lifespan, domain_errors=DOMAIN_ERRORS)
    install_web(app, error_response)  # last: static files and the SPA fallback
    return app
