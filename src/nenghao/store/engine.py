"""Engine set-up: SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import weakref
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import PoolResetState

from nenghao.store.private_files import private_sqlite_file

logger = logging.getLogger("nenghao.store")
_OPEN_CURSORS = "nenghao.open_cursors"
DATABASE_FAULTS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PoolTimeoutError,
)
"""Errors of a database that is away, refuses, times out, is locked or has a full disk
(not of the statement or the data)."""


@dataclass(frozen=True)
class Timeouts:
    """How long the database may keep a caller waiting [s]; None: no limit.

    `connect`: establishing a connection (PostgreSQL ``connect_timeout``, also the TCP
    user timeout and keepalive probes that notice a silent server); `statement`: one
    statement (PostgreSQL ``statement_timeout``, enforced by the server); `busy`: waiting for
    another writer's lock (SQLite busy timeout, PostgreSQL ``lock_timeout``); `checkout`:
    waiting for a free pooled connection.
    """

    connect: float = 10.0
    statement: float | None = None
    busy: float = 30.0
    checkout: float = 30.0


def make_engine(url: str, *, timeouts: Timeouts | None = None, **kwargs: Any) -> Engine:
    """Create an engine for `url` with bounded waits (`timeouts`); SQLite files get WAL,
    foreign keys and a busy timeout."""
    limits = timeouts or Timeouts()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                private_sqlite_file(Path(parsed.database))
            except OSError as exc:  # the first connection says so: 503, not a failed start
                logger.warning("cannot prepare the database file: %s", exc.strerror)
            kwargs.setdefault("pool_timeout", limits.checkout)  # (a memory database has no queue)
        engine = create_engine(url, connect_args={"timeout": limits.busy}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(limits))
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_timeout", limits.checkout)
        engine = create_engine(url, connect_args=_postgresql_args(limits), **kwargs)
    _close_cursors_on_return(engine)
    return engine


def _postgresql_args(limits: Timeouts) -> dict[str, Any]:
    """libpq parameters bounding every wait on the server (see `Timeouts`)."""
    connect = max(1, round(limits.connect))
    options = [f"-c lock_timeout={round(limits.busy * 1000)}"]
    if limits.statement is not None:
        options.append(f"-c statement_timeout={round(limits.statement * 1000)}")
    return {
        "connect_timeout": connect,
        "tcp_user_timeout": connect * 1000,
        "keepalives": 1,
        "keepalives_idle": connect,
        "keepalives_interval": max(1, connect // 3),
        "keepalives_count": 3,
        "options": " ".join(options),
    }


def _sqlite_pragmas(limits: Timeouts) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(limits.busy * 1000)}")
        cursor.close()

    return on_connect


def _close_cursors_on_return(engine: Engine) -> None:
    """Close every cursor a connection opened when it goes back to the pool.

    A result that was never read to its end (a request that failed between two reads)
    keeps its statement open; on SQLite an open statement holds its read snapshot even
    after the rollback-on-return, so the next request on that connection would read the
    database as it was. Closing the connection's cursors ends every statement, whatever way
    the request left.
    """

    @event.listens_for(engine, "after_cursor_execute")
    def track(conn: Any, cursor: Any, *_args: Any) -> None:
        if cursor.description is None:
            return  # no rows to leave unread (inserts, updates, DDL)
        cursors = conn.info.get(_OPEN_CURSORS)
        if cursors is None:
            cursors = conn.info[_OPEN_CURSORS] = weakref.WeakSet()
        cursors.add(cursor)

    @event.listens_for(engine, "reset")
    def close_all(_dbapi: Any, record: Any, _state: PoolResetState) -> None:
        for cursor in list(record.info.pop(_OPEN_CURSORS, ())):
            try:
                cursor.close()
            except Exception:  # a cursor of a connection that is already gone
                continue


class WriteLock:
    """The write lock of one SQLite database: a thread lock, and across processes an
    exclusive ``flock`` on ``<database>-writelock`` (files only), both re-entrant.

    The file lock is taken once per process at the outermost level and opened afresh in a
    forked child (a lock inherited through ``fork`` would be shared with the parent).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> WriteLock:
        self._thread_lock.acquire()
        try:
            if self._depth == 0 and self.path is not None:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise
        self._depth += 1
        return self

    def __exit__(self, *_exc: object) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            assert self.path is not None
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        """Close the lock file (the engine is gone)."""
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, WriteLock] = weakref.WeakKeyDictionary()
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock(engine: Engine) -> AbstractContextManager[object]:
    """Hold around a write transaction on a busy path (SQLite: serialises the writers).

    SQLite has one writer at a time; a connection that finds the database locked polls in
    its busy handler, sleeping up to 100 ms between tries, so concurrent writers would wait
    far longer than the lock is held. Queueing them on a `WriteLock` instead (a thread lock
    within the process, a file lock between the processes serving one database) wakes the
    next one as soon as the previous commit returns. Writers that do not take it still meet
    the busy timeout. On PostgreSQL this is a no-op.
    """
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _WRITE_LOCKS_GUARD:
        lock = _WRITE_LOCKS.get(engine)
        if lock is None:
            database = engine.url.database
            path = None
            if database and database != ":memory:" and not database.startswith("file:"):
                path = Path(f"{Path(database).resolve()}-writelock")
            lock = _WRITE_LOCKS[engine] = WriteLock(path)
            weakref.finalize(engine, lock.close)
    return lock
