"""The local store-and-forward queue: one SQLite file (WAL, every commit fsync'd).

A reading is committed here before anything is uploaded, and leaves the ``pending`` table only
when the platform's per-record ack says ``accepted``, ``duplicate`` or ``revised``; a
``rejected`` record moves to ``rejected`` with its reason code and message, where
``nenghao gateway status`` shows it. The file also keeps each meter's state (last value, last
good read, fault counts), the replacement/reset events declared on the gateway and awaiting the
meter's next reading, and a few status values (clock skew, last upload).

Disk cap (docs/gateway.md, "Store-and-forward"): `size_bytes` is compared by the poller with
the configured cap; above the warning fraction the status warns, at the cap the gateway stops
reading meters until uploads free space. Nothing is ever deleted to make room.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    item TEXT NOT NULL, period TEXT NOT NULL, start INTEGER NOT NULL,
    register REAL NOT NULL, unit TEXT NOT NULL, event TEXT, read_at REAL NOT NULL,
    UNIQUE (item, period, start)
);
CREATE TABLE IF NOT EXISTS rejected (
    seq INTEGER PRIMARY KEY,
    item TEXT NOT NULL, period TEXT NOT NULL, start INTEGER NOT NULL,
    register REAL NOT NULL, unit TEXT NOT NULL, event TEXT, read_at REAL NOT NULL,
    code TEXT NOT NULL, message TEXT NOT NULL, rejected_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meters (
    item TEXT PRIMARY KEY, meter TEXT NOT NULL,
    last_value REAL, last_read_at REAL, last_changed_at REAL, last_start INTEGER,
    held_since REAL, last_error TEXT, last_error_at REAL, faults TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS events (
    item TEXT PRIMARY KEY, event TEXT NOT NULL, declared_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS status (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Reading:
    """A register reading to upload: the item's value at the start of a CST period."""

    item: str
    period: str
    start: int
    """Period start [Unix s]."""
    register: float
    """Cumulative reading in `unit`."""
    unit: str
    read_at: float
    """When the meter was read [Unix s, gateway clock]."""
    event: dict[str, Any] | None = None
    """A declared ``register_event`` carried by this reading (protocol §4)."""


@dataclass(frozen=True, slots=True)
class Queued:
    """A reading waiting in the queue, with its sequence number (upload order)."""

    seq: int
    reading: Reading


@dataclass(frozen=True, slots=True)
class MeterState:
    """What the gateway remembers of one meter between readings."""

    item: str
    meter: str
    last_value: float | None
    last_read_at: float | None
    last_changed_at: float | None
    last_start: int | None
    held_since: float | None
    last_error: str | None
    last_error_at: float | None
    faults: dict[str, int]


class Queue:
    """One connection to the queue file (open one per thread)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # one thread at a time uses a connection, but it may be opened by another
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # fsync the WAL at every commit
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One durable transaction (``BEGIN IMMEDIATE`` … ``COMMIT``)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # readings

    def add(self, conn: sqlite3.Connection, reading: Reading) -> int:
        """Insert `reading` inside a `transaction`; its sequence number."""
        cursor = conn.execute(
            "INSERT INTO pending (item, period, start, register, unit, event, read_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                reading.item,
                reading.period,
                reading.start,
                reading.register,
                reading.unit,
                json.dumps(reading.event) if reading.event else None,
                reading.read_at,
            ),
        )
        return int(cursor.lastrowid or 0)

    def head(self, limit: int) -> list[Queued]:
        """The oldest `limit` pending readings, in queue order."""
        rows = self._db.execute(
            "SELECT seq, item, period, start, register, unit, event, read_at FROM pending"
            " ORDER BY seq LIMIT ?",
            (limit,),
        ).fetchall()
        return [Queued(r[0], _reading(r[1:])) for r in rows]

    def settle(
        self, done: Iterable[int], rejected: Iterable[tuple[int, str, str]], **status: Any
    ) -> None:
        """Remove acknowledged readings; move rejected ones, with (code, message), aside;
        store `status` values: one transaction (one fsync)."""
        now = time.time()
        with self.transaction() as conn:
            conn.executemany("DELETE FROM pending WHERE seq = ?", [(s,) for s in done])
            self._put(conn, status)
            for seq, code, message in rejected:
                conn.execute(
                    "INSERT OR REPLACE INTO rejected SELECT seq, item, period, start, register,"
                    " unit, event, read_at, ?, ?, ? FROM pending WHERE seq = ?",
                    (code, message, now, seq),
                )
                conn.execute("DELETE FROM pending WHERE seq = ?", (seq,))

    def depth(self) -> int:
        """How many readings wait for upload."""
        return int(self._db.execute("SELECT count(*) FROM pending").fetchone()[0])

    def rejected(self, limit: int = 100) -> list[tuple[Queued, str, str, float]]:
        """The latest rejected readings: (reading, code, message, when)."""
        rows = self._db.execute(
            "SELECT seq, item, period, start, register, unit, event, read_at, code, message,"
            " rejected_at FROM rejected ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(Queued(r[0], _reading(r[1:8])), r[8], r[9], r[10]) for r in rows]

    def rejected_count(self) -> int:
        """How many readings the platform rejected (kept with their reasons)."""
        return int(self._db.execute("SELECT count(*) FROM rejected").fetchone()[0])

    def size_bytes(self) -> int:
        """Bytes the queue takes on disk (database and write-ahead log)."""
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        page = self._db.execute("PRAGMA page_size").fetchone()[0]
        wal = self.path.with_name(self.path.name + "-wal")
        return int(pages * page + (wal.stat().st_size if wal.exists() else 0))

    # meters and events

    def meters(self) -> dict[str, MeterState]:
        """Every meter's state, by item code."""
        rows = self._db.execute(
            "SELECT item, meter, last_value, last_read_at, last_changed_at, last_start,"
            " held_since, last_error, last_error_at, faults FROM meters"
        ).fetchall()
        return {
            r[0]: MeterState(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]))
            for r in rows
        }

    def save_meter(self, conn: sqlite3.Connection, state: MeterState) -> None:
        """Write one meter's state inside a `transaction`."""
        conn.execute(
            "INSERT OR REPLACE INTO meters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                state.item,
                state.meter,
                state.last_value,
                state.last_read_at,
                state.last_changed_at,
                state.last_start,
                state.held_since,
                state.last_error,
                state.last_error_at,
                json.dumps(state.faults, sort_keys=True),
            ),
        )

    def declare(self, item: str, event: dict[str, Any]) -> None:
        """Keep a replacement/reset `event` for the item's next reading (replaces an earlier
        undelivered declaration of the same item)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO events VALUES (?, ?, ?)",
                (item, json.dumps(event, sort_keys=True), time.time()),
            )

    def events(self) -> dict[str, dict[str, Any]]:
        """Declared events not yet sent, by item."""
        rows = self._db.execute("SELECT item, event FROM events").fetchall()
        return {item: json.loads(event) for item, event in rows}

    def consume_event(self, conn: sqlite3.Connection, item: str) -> None:
        """Drop the item's declared event inside the `transaction` that queues its reading."""
        conn.execute("DELETE FROM events WHERE item = ?", (item,))

    # status values

    def put_status(self, **values: Any) -> None:
        """Store status values (JSON)."""
        with self.transaction() as conn:
            self._put(conn, values)

    @staticmethod
    def _put(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO status VALUES (?, ?)",
            [(key, json.dumps(value)) for key, value in values.items()],
        )

    def status_values(self) -> dict[str, Any]:
        """Every stored status value."""
        rows = self._db.execute("SELECT key, value FROM status").fetchall()
        return {key: json.loads(value) for key, value in rows}


def _reading(row: tuple[Any, ...]) -> Reading:
    item, period, start, register, unit, event, read_at = row
    return Reading(
        item, period, start, register, unit, read_at, json.loads(event) if event else None
    )
