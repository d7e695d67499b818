"""Bounded parameter types shared by every router: each integer the API reads fits its column.

A number beyond a column's range does not simply match nothing: the drivers raise on it
(SQLite ``OverflowError`` past 64 bits, PostgreSQL ``integer out of range`` past 32 bits for
an ``integer`` column). So every integer path, query and body parameter carries an upper
bound, and routers take their integer parameters from here; ``tests/api/test_bounds.py``
walks every route and fails on an unbounded one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

INT32_MAX = 2**31 - 1
"""The largest value of an ``Integer`` column (PostgreSQL ``integer``)."""
INT64_MAX = 2**63 - 1
"""The largest value of a ``BigInteger`` column (and of any SQLite integer)."""
YEAR_MIN, YEAR_MAX = 2000, 2100
"""Statistics, target and report years."""
PAGE_SIZE_MAX = 200
"""The most rows one page of a listing holds."""
OFFSET_MAX = INT32_MAX
"""The largest row offset a listing may ask for (``(page - 1) * page_size``)."""
PAGE_MAX = OFFSET_MAX // PAGE_SIZE_MAX + 1
"""The last page number accepted, so that no page size takes the offset past `OFFSET_MAX`."""

Id = Annotated[int, Path(ge=1, le=INT32_MAX)]
"""A path id of an ``Integer`` key: enterprises, users, data items, channels."""
BigId = Annotated[int, Path(ge=1, le=INT64_MAX)]
"""A path id of a ``BigInteger`` key: alerts, quarantine entries."""
IdFilter = Annotated[int | None, Query(ge=1, le=INT32_MAX)]
"""An optional query filter by the id of an ``Integer`` key (``enterprise_id``, ``item_id``)."""
BodyId = Annotated[int, Field(ge=1, le=INT32_MAX)]
"""An id of an ``Integer`` key in a request body."""
Year = Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX)]
"""A required ``year`` query parameter."""
YearFilter = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)]
"""An optional ``year`` query filter."""
BodyYear = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
"""A year in a request body."""
Page = Annotated[int, Query(ge=1, le=PAGE_MAX, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=PAGE_SIZE_MAX, description="Rows per page.")]
