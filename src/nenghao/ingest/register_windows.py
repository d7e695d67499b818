"""The stored surroundings of many register items' new readings, read in one query each.

A message of register readings touches up to a thousand items. Each item's new readings are
decoded against its stored chain around them (`nenghao.ingest.register_chain`) and replace
the derived intervals of the span they decode; reading both per item took several queries a
record. Here each is one statement for the whole message: the items' ranges travel as a
``VALUES`` list joined to the table's primary key, so every item reads only its own range
(one item's old reading never widens the range read for the others).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from nenghao.ingest.writer import Slot
from nenghao.store.schema import readings

CHUNK = 500
"""Ranges per statement (SQLite binds at most 32 766 parameters; PostgreSQL 65 535)."""

_CHAIN_COLUMNS = ", ".join(
    f"r.{name}"
    for name in ("period_start", "register_value", "event", "quality", "revision", "received_at")
)
_READING_COLUMNS = ", ".join(f"r.{column.name}" for column in readings.columns)


@dataclass(frozen=True, slots=True)
class StoredReading:
    """A stored register reading (a row of ``register_readings``)."""

    period_start: int
    register_value: float
    event: dict[str, Any] | None
    quality: str
    revision: int
    received_at: int


@dataclass(slots=True)
class ChainWindow:
    """An item's stored readings around a range of starts: the latest before it, those in
    it (by start) and the first after it."""

    before: StoredReading | None = None
    inside: dict[int, StoredReading] = field(default_factory=dict)
    after: StoredReading | None = None


def _marks(conn: Connection, width: int, rows: int, casts: Sequence[str]) -> str:
    """``VALUES`` rows of `width` placeholders; the first row casts its columns (PostgreSQL
    types a ``VALUES`` list from its first row)."""
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    first = ", ".join(f"CAST({mark} AS {cast})" for cast in casts)
    other = "(" + ", ".join([mark] * width) + ")"
    return ", ".join([f"({first})", *[other] * (rows - 1)])


def _chunks(ranges: Sequence[tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    for begin in range(0, len(ranges), CHUNK):
        yield ranges[begin : begin + CHUNK]


def _event(value: Any) -> dict[str, Any] | None:
    """The event column as read by the driver: JSON text (SQLite) or decoded (PostgreSQL)."""
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return value or None


def chain_windows(
    conn: Connection, ranges: Mapping[int, tuple[int, int]]
) -> dict[int, ChainWindow]:
    """The stored register readings of each item around its range.

    Parameters
    ----------
    ranges : mapping of int to (int, int) [Unix s]
        Item id to the lowest and highest start of its new readings.

    Returns
    -------
    dict of int to ChainWindow
        For every item of `ranges`.
    """
    windows = {item_id: ChainWindow() for item_id in ranges}
    flat = [(item_id, lo, hi) for item_id, (lo, hi) in ranges.items()]
    for chunk in _chunks(flat):
        values = _marks(conn, 3, len(chunk), ("INTEGER", "BIGINT", "BIGINT"))
        sql = (
            f"WITH w (item_id, lo, hi) AS (VALUES {values}), "
            "b (item_id, lo, hi) AS (SELECT w.item_id, COALESCE((SELECT r.period_start"
            " FROM register_readings r WHERE r.item_id = w.item_id AND r.period_start < w.lo"
            " ORDER BY r.period_start DESC LIMIT 1), w.lo), COALESCE((SELECT r.period_start"
            " FROM register_readings r WHERE r.item_id = w.item_id AND r.period_start > w.hi"
            " ORDER BY r.period_start LIMIT 1), w.hi) FROM w) "
            f"SELECT r.item_id, {_CHAIN_COLUMNS}"
            " FROM b JOIN register_readings r ON r.item_id = b.item_id"
            " AND r.period_start BETWEEN b.lo AND b.hi"
        )
        parameters = tuple(value for row in chunk for value in row)
        for item_id, start, register, event, quality, revision, received in conn.exec_driver_sql(
            sql, parameters
        ):
            stored = StoredReading(start, register, _event(event), quality, revision, received)
            window = windows[item_id]
            lo, hi = ranges[item_id]
            if start < lo:
                window.before = stored
            elif start > hi:
                window.after = stored
            else:
                window.inside[start] = stored
    return windows


def stored_spans(
    conn: Connection, spans: Sequence[tuple[int, str, int, int]]
) -> dict[Slot, dict[str, Any]]:
    """The stored readings in each span, by slot (rows as `nenghao.ingest.writer`
    `stored_readings` gives them).

    Parameters
    ----------
    spans : sequence of (int, str, int, int)
        (item id, period, from start [Unix s], to start [Unix s], excluded).
    """
    found: dict[Slot, dict[str, Any]] = {}
    for chunk in _chunks(spans):
        values = _marks(conn, 4, len(chunk), ("INTEGER", "VARCHAR", "BIGINT", "BIGINT"))
        sql = (
            f"WITH w (item_id, period, lo, hi) AS (VALUES {values}) "
            f"SELECT {_READING_COLUMNS} FROM w JOIN readings r ON r.item_id = w.item_id"
            " AND r.period = w.period AND r.period_start >= w.lo AND r.period_start < w.hi"
        )
        parameters = tuple(value for row in chunk for value in row)
        for row in conn.exec_driver_sql(sql, parameters).mappings():
            found[(row["item_id"], row["period"], row["period_start"])] = dict(row)
    return found
