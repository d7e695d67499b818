"""What the repositories share: the clock, a page of results and the domain errors."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Select, func, select


def now() -> int:
    """The current instant as integer Unix seconds (UTC); tests may patch it."""
    return int(time.time())


@dataclass(frozen=True)
class Page:
    """One page of a listing and the total number of rows matching the filters."""

    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int


def _mappings(rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in rows]


def page_of(
    conn: Connection,
    query: Select[Any],
    *,
    offset: int = 0,
    limit: int | None = None,
    items: Callable[[Sequence[Row[Any]]], list[dict[str, Any]]] = _mappings,
) -> Page:
    """Rows `offset` to `offset + limit` of the ordered `query` (all from `offset` when
    `limit` is None), made items by `items`, and the number of rows the query selects.

    Each result is read to its end before the next statement runs, so that no statement is
    left open on the connection if the second one fails.
    """
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    total = int(conn.execute(counted).scalar_one())
    rows = conn.execute(query.offset(offset).limit(limit)).all()
    return Page(items=items(rows), total=total, offset=offset, limit=limit or 0)


class StoreError(Exception):
    """A repository refused an operation; `code` is stable, `message` says what to fix."""

    code = "invalid_input"

    def __init__(
        self, message: str, code: str | None = None, details: Any = None, zh: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details
        self.zh = zh
        """A Chinese message saying where and what (else the code's Chinese message)."""


class InvalidInputError(StoreError):
    """The input is malformed or refers to something unknown (HTTP 422)."""


class ConflictError(StoreError):
    """The input clashes with what is stored, e.g. a duplicate key (HTTP 409)."""

    code = "conflict"


class NotFoundError(StoreError):
    """The thing does not exist or lies outside the caller's scope (HTTP 404)."""

    code = "not_found"


class OutsideScopeError(StoreError):
    """The write would reach outside the caller's scope (HTTP 403)."""

    code = "outside_scope"


class AuthError(StoreError):
    """A credential or token is not valid (HTTP 401)."""

    code = "invalid_credentials"
