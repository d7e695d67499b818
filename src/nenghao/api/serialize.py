"""Turning stored rows and catalogue objects into JSON-ready values."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

from nenghao.store.common import Page


def iso(instant: int | None) -> str | None:
    """Unix seconds as an ISO 8601 UTC string (``...Z``), None stays None."""
    if instant is None:
        return None
    return datetime.fromtimestamp(instant, UTC).isoformat().replace("+00:00", "Z")


Instant = Annotated[str | None, BeforeValidator(lambda v: iso(v) if isinstance(v, int) else v)]
"""A stored instant, answered as an ISO 8601 UTC string."""


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


class Model(BaseModel):
    """Base of the API's response models: built from row dicts; a field with a default is
    answered all the same (the document marks it required)."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


class Strict(BaseModel):
    """Base of the API's request bodies: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    """One page of a listing."""

    items: list[T]
    total: int
    page: int
    page_size: int


def page_out(page: Page, page_size: int) -> dict[str, Any]:
    """A `PageOut` body from a store `Page`."""
    return {
        "items": page.items,
        "total": page.total,
        "page": page.offset // page_size + 1,
        "page_size": page_size,
    }
