"""Turning stored rows and catalogue objects into JSON-ready values."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

from nenghao.standards.jsonable import iso
from nenghao.store.common import Page

Instant = Annotated[str | None, BeforeValidator(lambda v: iso(v) if isinstance(v, int) else v)]
"""A stored instant, answered as an ISO 8601 UTC string."""


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
