"""JSON-ready values: instants as ISO 8601 strings, catalogue objects as plain data."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel


def iso(instant: int | None) -> str | None:
    """Unix seconds as an ISO 8601 UTC string (``...Z``), None stays None."""
    if instant is None:
        return None
    return datetime.fromtimestamp(instant, UTC).isoformat().replace("+00:00", "Z")


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of pydantic models, dataclasses, mappings, sequences and dates."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
