"""Engine set-up: SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from nenghao.store.private_files import private_sqlite_file


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for `url`; SQLite files get WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_sqlite_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


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
