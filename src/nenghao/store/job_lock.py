"""Background jobs run once across API nodes: a PostgreSQL session advisory lock per job.

Every node runs the same background loops (the monitor's schedule, the held-message retries);
on PostgreSQL each round first asks `JobLock.held`. The node that holds the job's lock runs
it; the others skip the round and ask again at the next one. The lock is a session advisory
lock (``pg_try_advisory_lock``) on a connection kept for the purpose, outside the pool: the
server releases it when that session ends, so a node killed with ``kill -9`` (or cut off from
the database) hands the job over at the others' next round. Each round also checks the
connection; a lost one gives the lock up at once.

The connection must reach PostgreSQL itself, not a pgbouncer in transaction mode (which would
hand the session to another client): setting ``database_lock_url`` (default: the database
URL). On SQLite the single node runs every job, as before.
"""

from __future__ import annotations

import logging
import threading
import zlib
from typing import Any

from sqlalchemy import Connection, Engine, text

from nenghao.store.engine import Timeouts, make_engine

logger = logging.getLogger("nenghao.jobs")

LOCK_SPACE = 7302
"""The first key of the two-key advisory locks of jobs (7301: writers of one enterprise)."""


def job_key(name: str) -> int:
    """The second key of job `name`'s lock (a signed 32-bit CRC of the name)."""
    value = zlib.crc32(name.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


class JobLock:
    """Whether this node runs job `name` now (see the module docstring).

    Parameters
    ----------
    engine : Engine
        The database; on SQLite every call of `held` is True.
    name : str
        The job (one lock per name).
    url : str, optional
        Where the lock's connection goes (default: `engine`'s URL).
    timeouts : Timeouts, optional
        The waits of that connection (its keepalives notice a silent server).
    """

    def __init__(
        self,
        engine: Engine,
        name: str,
        url: str | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        self.name = name
        self.key = job_key(name)
        self.single_node = engine.dialect.name != "postgresql"
        self._url = url or engine.url.render_as_string(hide_password=False)
        self._timeouts = timeouts
        self._lock_engine: Engine | None = None
        self._conn: Connection | None = None
        self._mutex = threading.Lock()

    def held(self) -> bool:
        """True when this node holds the job's lock (taking it when it is free)."""
        if self.single_node:
            return True
        with self._mutex:
            try:
                if self._conn is not None:
                    self._conn.execute(text("SELECT 1"))  # still ours: the session is alive
                    return True
                return self._take()
            except Exception as exc:  # a database fault: not the leader until it answers
                logger.warning("job %s: lock not held (%s)", self.name, exc.__class__.__name__)
                self._drop()
                return False

    def release(self) -> None:
        """Give the lock up (the process ends); another node takes it at its next round."""
        with self._mutex:
            if self._conn is not None:
                try:
                    self._conn.execute(text("SELECT pg_advisory_unlock(:s, :k)"), self._keys())
                except Exception as exc:
                    logger.warning("job %s: unlock failed (%s)", self.name, exc.__class__.__name__)
            self._drop()
            if self._lock_engine is not None:
                self._lock_engine.dispose()
                self._lock_engine = None

    def _take(self) -> bool:
        if self._lock_engine is None:
            self._lock_engine = make_engine(
                self._url,
                timeouts=self._timeouts,
                pool_size=1,
                max_overflow=0,
                isolation_level="AUTOCOMMIT",
            )
        conn = self._lock_engine.connect()
        try:
            taken = conn.execute(
                text("SELECT pg_try_advisory_lock(:s, :k)"), self._keys()
            ).scalar_one()
        except Exception:
            conn.close()
            raise
        if not taken:
            conn.close()
            return False
        logger.info("job %s: this node runs it", self.name)
        self._conn = conn
        return True

    def _drop(self) -> None:
        """Forget the lock's connection and end its session (never back to the pool)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.invalidate()
            conn.close()

    def _keys(self) -> dict[str, Any]:
        return {"s": LOCK_SPACE, "k": self.key}
