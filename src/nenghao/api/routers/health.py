"""``GET /api/v1/health``: database reachability and schema revision (public)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from nenghao import __version__
from nenghao.api.deps import EngineDep
from nenghao.api.errors import ApiError
from nenghao.store.migrate import current_revision, head_revision

router = APIRouter(tags=["meta"])
logger = logging.getLogger("nenghao.api")


@router.get("/health", summary="Service and database health")
def health(engine: EngineDep) -> dict[str, Any]:
    """Whether the database answers and its schema is at the code's revision."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        logger.warning("health: database unreachable: %s", exc.__class__.__name__)
        raise ApiError(
            503,
            "database_unreachable",
            "the database cannot be reached; check NENGHAO_DATABASE_URL and the server",
            details={"backend": engine.dialect.name},
        ) from None
    head = head_revision()
    return {
        "status": "ok" if revision == head else "migration_needed",
        "version": __version__,
        "database": {
            "reachable": True,
            "backend": engine.dialect.name,
            "revision": revision,
            "head": head,
            "up_to_date": revision == head,
        },
    }
