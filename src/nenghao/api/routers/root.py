"""``GET /``: a small JSON index until the web dashboard exists."""

from __future__ import annotations

from fastapi import APIRouter

from nenghao import __version__
from nenghao.api.models.meta import IndexLinks, IndexOut

router = APIRouter(tags=["meta"])


@router.get("/", summary="Index of the service")
def index() -> IndexOut:
    """Name, version and where to go next."""
    return IndexOut(
        name="nenghao 能耗",
        description="重点用能单位能耗在线监测系统 / online energy-consumption monitoring",
        version=__version__,
        links=IndexLinks(
            health="/api/v1/health",
            openapi="/api/v1/openapi.json",
            docs="/api/v1/docs",
            login="/api/v1/auth/login",
        ),
    )
