"""``GET /``: a small JSON index until the web dashboard exists."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from nenghao import __version__

router = APIRouter(tags=["meta"])


@router.get("/", summary="Index of the service")
def index() -> dict[str, Any]:
    """Name, version and where to go next."""
    return {
        "name": "nenghao 能耗",
        "description": "重点用能单位能耗在线监测系统 / online energy-consumption monitoring",
        "version": __version__,
        "links": {
            "health": "/api/v1/health",
            "openapi": "/api/v1/openapi.json",
            "docs": "/api/v1/docs",
            "login": "/api/v1/auth/login",
        },
    }
