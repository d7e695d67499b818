"""``GET /api/v1/health``: database reachability, schema revision, storage and, with several
API nodes, the shared Redis (public)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from nenghao import __version__
from nenghao.api.deps import EngineDep, SettingsDep, UplinkDep
from nenghao.api.errors import ApiError, database_unavailable
from nenghao.api.models.meta import HealthOut
from nenghao.ingest.redis_state import SharedState, SharedStateUnavailable
from nenghao.store.engine import DATABASE_FAULTS
from nenghao.store.migrate import current_revision, head_revision
from nenghao.store.storage import storage_state

router = APIRouter(tags=["meta"])
logger = logging.getLogger("nenghao.api")


@router.get(
    "/health",
    response_model=HealthOut,
    response_model_exclude_unset=True,  # a server's storage answers status and kind only
    summary="Service, database and storage health",
)
def health(engine: EngineDep, settings: SettingsDep, uplink: UplinkDep) -> Any:
    """Whether the database answers, its schema is at the code's revision, its storage takes
    writes and (with ``NENGHAO_REDIS_URL``) Redis answers; 503 (with ``Retry-After``) when the
    database, its storage or Redis cannot serve (without Redis no uplink is taken)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except DATABASE_FAULTS as exc:
        logger.warning("health: database unavailable: %s", exc.__class__.__name__)
        error = database_unavailable(exc)
        error.details = {**error.details, "backend": engine.dialect.name}
        raise error from None
    head = head_revision()
    storage = storage_state(engine, settings.storage_min_free_mb * 2**20)
    body = {
        "status": "ok" if revision == head else "migration_needed",
        "version": __version__,
        "database": {
            "reachable": True,
            "backend": engine.dialect.name,
            "revision": revision,
            "head": head,
            "up_to_date": revision == head,
        },
        "storage": storage,
    }
    redis = _redis_state(uplink.shared_state)
    if redis is not None:
        body["redis"] = redis
    if storage["status"] != "ok":
        logger.warning("health: storage degraded: %s", "; ".join(storage["problems"]))
        raise ApiError(
            503,
            "storage_degraded",
            "the database's storage cannot take writes safely: " + "; ".join(storage["problems"]),
            {**body, "status": "degraded"},
            headers={"Retry-After": "30"},
        )
    if redis is not None and redis["status"] != "ok":
        logger.warning("health: redis unavailable: %s", redis["problem"])
        raise ApiError(
            503,
            "redis_unavailable",
            "Redis, shared by the API nodes, does not answer: uplinks are refused until it does",
            {**body, "status": "degraded"},
            headers={"Retry-After": "30"},
        )
    return body


def _redis_state(shared: SharedState | None) -> dict[str, str] | None:
    """Whether the shared Redis answers (None: this node alone, no Redis)."""
    if shared is None:
        return None
    try:
        shared.ping()
    except SharedStateUnavailable as exc:
        return {"status": "unavailable", "problem": str(exc)}
    return {"status": "ok"}
