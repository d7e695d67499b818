"""Group commit: concurrent writers of one process share a transaction and its commit.

A writer hands its job to `GroupCommitter.submit` and waits under the database's write lock
(`nenghao.store.engine.write_lock`). Whoever holds the lock leads: it takes the queued jobs
(its own and those that queued while the previous group committed), writes them in one
transaction, commits once and hands every job its result. The others find their job done
when they get the lock. Nothing is answered before the commit that made it durable.

A job may be *refused* (one of the `refusals` exception types, raised before the job
wrote anything): that job gets the exception, the rest of the group goes on. Any other
failure rolls the group back and each of its jobs is then written in a transaction of its
own, so one bad job never fails another.

A writer that will submit soon says so first (`GroupCommitter.expecting`, around the
work that prepares its job): a leader waits for those announced jobs, up to `gather_s`,
before it starts (as PostgreSQL's ``commit_delay`` does), so that concurrent messages share
one commit, and the pages they touch in common (an item's latest readings, its rollups)
are written once instead of once each.

SQLite has one writer at a time, so there the jobs queue and group. On PostgreSQL, which
takes concurrent writers, each job is written at once in a transaction of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from nenghao.store.engine import write_lock

J = TypeVar("J")
R = TypeVar("R")
S = TypeVar("S")


@dataclass(eq=False, slots=True)
class _Slot(Generic[J, R]):
    job: J
    done: bool = False
    result: R | None = None
    error: BaseException | None = None


_SERIAL_CPU = threading.Lock()


def serial_cpu(engine: Engine) -> AbstractContextManager[object]:
    """Hold around CPU-bound Python work on an SQLite hot path (SQLite: one lock per process).

    Python's ``sqlite3`` releases the GIL around every step of a statement, so an
    ``executemany`` of 1,000 rows gives the GIL up 1,000 times; with another thread busy in
    Python code, each step then waits for that thread's switch interval (5 ms) before it
    may go on, and a 1 ms insert takes seconds. Threads that parse and plan messages hold
    this lock, and so does a group's leader while it runs its statements, so neither stalls
    the other; the commit, which waits on the disk with the GIL released, runs outside it
    while the next messages are parsed. On PostgreSQL this is a no-op.
    """
    if engine.dialect.name != "sqlite":
        return nullcontext()
    return _SERIAL_CPU


class Ticket:
    """An announced job (`GroupCommitter.expecting`): settled once, when the job is queued or
    when it will not come."""

    __slots__ = ("_committer", "_lock", "_settled")

    def __init__(self, committer: GroupCommitter[Any, Any, Any]) -> None:
        self._committer = committer
        self._lock = threading.Lock()
        self._settled = False

    def settle(self) -> None:
        """The job is queued, or will not come (idempotent)."""
        with self._lock:
            if self._settled:
                return
            self._settled = True
        self._committer._arrived()


class GroupCommitter(Generic[J, S, R]):
    """Writes jobs in shared transactions (see the module docstring).

    `start(conn)` makes the group's state (caches, pending rollup changes);
    `write(conn, state, job)` writes one job and returns its result; `finish(conn, state)`
    runs last, before the commit. At most `max_jobs` jobs share a transaction.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        start: Callable[[Connection], S],
        write: Callable[[Connection, S, J], R],
        finish: Callable[[Connection, S], None],
        refusals: tuple[type[BaseException], ...] = (),
        max_jobs: int = 32,
        gather_s: float = 0.01,
        gather_jobs: int = 4,
    ) -> None:
        self.engine = engine
        self._start, self._write, self._finish = start, write, finish
        self.refusals = refusals
        self.max_jobs = max_jobs
        self.gather_s = gather_s
        self.gather_jobs = gather_jobs
        self._queue: list[_Slot[J, R]] = []
        self._expected = 0
        """Jobs announced and not queued yet."""
        self._changed = threading.Condition(threading.Lock())
        self._grouping = engine.dialect.name == "sqlite"
        self.groups = 0
        """Transactions committed so far (groups, and jobs written alone)."""
        self.jobs = 0
        """Jobs written so far."""

    @contextmanager
    def expecting(self) -> Iterator[Ticket]:
        """Announce a job that may be submitted within the block (from any thread), with the
        `Ticket` the block gives."""
        ticket = Ticket(self)
        with self._changed:
            self._expected += 1
        try:
            yield ticket
        finally:
            ticket.settle()

    def _arrived(self) -> None:
        with self._changed:
            self._expected -= 1
            self._changed.notify_all()

    def submit(self, job: J, ticket: Ticket | None = None) -> R:
        """Write `job` (with whatever else is queued) and return its result after the commit;
        `ticket`, the job's announcement, if it was announced.

        Raises the job's refusal, or what failed when it was written alone.
        """
        slot: _Slot[J, R] = _Slot(job)
        if not self._grouping:
            self._commit([slot])
        else:
            with self._changed:
                self._queue.append(slot)
                self._changed.notify_all()
            if ticket is not None:
                ticket.settle()
            with write_lock(self.engine):
                while not slot.done:
                    self._commit(self._gather())
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _gather(self) -> list[_Slot[J, R]]:
        """The next group: the queued jobs, once the announced ones have joined (or
        `gather_s` is over)."""
        deadline = time.monotonic() + self.gather_s
        with self._changed:
            while len(self._queue) < self.gather_jobs and self._expected > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            group = self._queue[: self.max_jobs]
            del self._queue[: self.max_jobs]
        if not group:
            raise RuntimeError("a queued job left the queue unwritten")
        return group

    def _commit(self, group: list[_Slot[J, R]]) -> None:
        try:
            self._transaction(group)
        except Exception as exc:
            if len(group) == 1:
                group[0].error = exc
            else:
                for slot in group:  # one bad job must not fail the others
                    try:
                        self._transaction([slot])
                    except Exception as alone:
                        slot.error = alone
        except BaseException as exc:  # interrupted: no job of the group is answered as stored
            for slot in group:
                slot.error = exc
            raise
        finally:
            for slot in group:
                slot.done = True

    def _transaction(self, group: list[_Slot[J, R]]) -> None:
        outcomes: list[tuple[_Slot[J, R], R | None, BaseException | None]] = []
        with self.engine.connect() as conn, conn.begin() as transaction:
            with serial_cpu(self.engine):  # the statements; the commit (fsync) lets others run
                state = self._start(conn)
                for slot in group:
                    try:
                        outcomes.append((slot, self._write(conn, state, slot.job), None))
                    except self.refusals as refused:
                        outcomes.append((slot, None, refused))
                self._finish(conn, state)
            transaction.commit()
        self.groups += 1
        self.jobs += len(group)
        for slot, result, error in outcomes:
            slot.result, slot.error = result, error
