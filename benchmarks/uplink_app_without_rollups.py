"""The API app with rollup maintenance switched off, for measuring what rollups cost.

Used only by ``benchmarks/uplink_http.py --without-rollups``: the same pipeline, minus the
``apply_changes`` calls of the ingest writer and of the group commit of plain messages, so the
two runs differ by rollups alone.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from nenghao.app import create_app as create_platform_app
from nenghao.ingest import pipeline, writer


def _skip(_connection: Any, _changes: Any) -> int:
    return 0


def create_app() -> FastAPI:
    """The platform app whose ingest writer does not touch the rollups."""
    writer.apply_changes = _skip  # type: ignore[assignment]
    pipeline.apply_changes = _skip  # type: ignore[assignment]
    return create_platform_app()
