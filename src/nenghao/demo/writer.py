"""Bulk writing of the demo readings: executemany on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from sqlalchemy import Engine

from nenghao.demo.timegrid import HOUR

Progress = Callable[[str, int, int], None]

CHUNK_HOURS = 24 * 14
"""Hours per write chunk (all hourly items of the city, time-major)."""

SQLITE_COMMIT_ROWS = 1_500_000

_SQLITE_HOURLY = (
    "INSERT INTO readings (item_id, period, period_start, value, register_value, quality,"
    " source, revision, received_at) VALUES (?1, 'hour', ?2, ?3, NULL, 'good', 'demo', 1,"
    " ?2 + 3600)"
)
_SQLITE_GENERIC = (
    "INSERT INTO readings (item_id, period, period_start, value, register_value, quality,"
    " source, revision, received_at) VALUES (?, ?, ?, ?, ?, 'good', 'demo', 1, ?)"
)
_PG_COPY = (
    "COPY readings (item_id, period, period_start, value, register_value, quality, source,"
    " revision, received_at) FROM STDIN"
)


class HourlyBlock:
    """The interval hourly items of the whole city as one matrix (items x written hours)."""

    def __init__(
        self, item_ids: list[int], values: np.ndarray, present: np.ndarray, hours: np.ndarray
    ):
        self.item_ids = np.asarray(item_ids, dtype=np.int64)
        self.values = values
        self.present = present
        self.hours = hours

    @property
    def rows(self) -> int:
        """How many rows the block writes."""
        return int(self.present.sum())

    def chunks(self) -> Iterator[tuple[list[int], list[int], list[float]]]:
        """(item ids, period starts, values), time-major, CHUNK_HOURS at a time."""
        k = len(self.item_ids)
        for lo in range(0, len(self.hours), CHUNK_HOURS):
            hi = min(lo + CHUNK_HOURS, len(self.hours))
            mask = self.present[:, lo:hi].T.ravel()
            ids = np.tile(self.item_ids, hi - lo)[mask]
            starts = np.repeat(self.hours[lo:hi], k)[mask]
            values = self.values[:, lo:hi].T.ravel()[mask]
            yield ids.tolist(), starts.tolist(), values.tolist()


Row = tuple[int, str, int, float, float | None, int]
"""(item id, period, period start, value, register value, received at)."""


def write_readings(
    engine: Engine, block: HourlyBlock, other: list[Row], progress: Progress | None
) -> int:
    """Write the hourly block and the other rows (registers, monthly); return the row count."""
    total = block.rows + len(other)
    if engine.dialect.name == "sqlite":
        _write_sqlite(engine, block, other, progress, total)
    elif engine.dialect.name == "postgresql":
        _write_postgresql(engine, block, other, progress, total)
    else:  # pragma: no cover - only the two supported backends
        raise ValueError(
            f"the demo city can be written to SQLite or PostgreSQL, not {engine.dialect.name}"
        )
    return total


def _write_sqlite(
    engine: Engine, block: HourlyBlock, other: list[Row], progress: Progress | None, total: int
) -> None:
    raw = engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        cursor = connection.cursor()
        cursor.execute("PRAGMA cache_size=-262144")
        done = since_commit = 0
        for ids, starts, values in block.chunks():
            cursor.executemany(_SQLITE_HOURLY, zip(ids, starts, values, strict=True))
            done += len(ids)
            since_commit += len(ids)
            if since_commit >= SQLITE_COMMIT_ROWS:
                connection.commit()
                since_commit = 0
            if progress:
                progress("readings", done, total)
        cursor.executemany(_SQLITE_GENERIC, other)
        connection.commit()
        if progress:
            progress("readings", total, total)
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.close()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def _pg_number(value: float | None) -> str:
    return "\\N" if value is None else repr(float(value))


def _write_postgresql(
    engine: Engine, block: HourlyBlock, other: list[Row], progress: Progress | None, total: int
) -> None:
    raw = engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        done = 0
        with connection.cursor() as cursor:
            for ids, starts, values in block.chunks():
                text = "".join(
                    f"{i}\thour\t{s}\t{v!r}\t\\N\tgood\tdemo\t1\t{s + HOUR}\n"
                    for i, s, v in zip(ids, starts, values, strict=True)
                )
                with cursor.copy(_PG_COPY) as copy:
                    copy.write(text.encode())
                done += len(ids)
                if progress:
                    progress("readings", done, total)
            buffer = io.StringIO()
            for item_id, period, start, value, register, received in other:
                buffer.write(
                    f"{item_id}\t{period}\t{start}\t{value!r}\t{_pg_number(register)}"
                    f"\tgood\tdemo\t1\t{received}\n"
                )
            with cursor.copy(_PG_COPY) as copy:
                copy.write(buffer.getvalue().encode())
        connection.commit()
        if progress:
            progress("readings", total, total)
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
