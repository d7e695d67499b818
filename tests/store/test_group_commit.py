"""Group commit and the SQLite write lock: jobs share transactions, refusals and failures stay
with their job, announced jobs are waited for, and the lock holds across processes."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest
from sqlalchemy import Connection, text

from nenghao.store.engine import make_engine, write_lock
from nenghao.store.group_commit import GroupCommitter


class RefusedError(Exception):
    """A job refused before it wrote anything."""


# The jobs write rows of a real table with a primary key: nonces of a key "gc".
_INSERT = text("INSERT INTO uplink_nonces (key_id, nonce, expires_at) VALUES ('gc', :j, 0)")


def _table(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM uplink_nonces WHERE key_id = 'gc'"))


def _stored(engine) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT nonce FROM uplink_nonces WHERE key_id = 'gc'"))
        return sorted(int(row[0]) for row in rows)


def _committer(engine, *, finished: list[int], gather_s: float = 0.0, gather_jobs: int = 4):
    def write(conn: Connection, state: list[int], job: int) -> int:
        if job < 0:
            raise RefusedError(job)
        conn.execute(_INSERT, {"j": str(job)})
        state.append(job)
        return job * 10

    def finish(_conn: Connection, state: list[int]) -> None:
        finished.append(len(state))

    return GroupCommitter(
        engine,
        start=lambda _conn: [],
        write=write,
        finish=finish,
        refusals=(RefusedError,),
        gather_s=gather_s,
        gather_jobs=gather_jobs,
    )


def test_a_job_alone_is_written_and_answered(engine) -> None:
    _table(engine)
    finished: list[int] = []
    committer = _committer(engine, finished=finished)
    assert committer.submit(7) == 70
    assert _stored(engine) == [7]
    assert (committer.groups, committer.jobs, finished) == (1, 1, [1])


def test_a_refused_job_gets_its_refusal_and_the_group_goes_on(engine) -> None:
    _table(engine)
    finished: list[int] = []
    committer = _committer(engine, finished=finished)
    with pytest.raises(RefusedError):
        committer.submit(-1)
    assert committer.submit(3) == 30
    assert _stored(engine) == [3]


def test_concurrent_jobs_share_a_commit_when_announced(engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writes each job in a transaction of its own")
    _table(engine)
    finished: list[int] = []
    committer = _committer(engine, finished=finished, gather_s=5.0, gather_jobs=4)
    results: dict[int, int] = {}
    announced = threading.Barrier(4)

    def send(job: int) -> None:
        with committer.expecting() as ticket:
            announced.wait()  # every job is announced before any is submitted
            results[job] = committer.submit(job, ticket)

    threads = [threading.Thread(target=send, args=(job,)) for job in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {1: 10, 2: 20, 3: 30, 4: 40}
    assert _stored(engine) == [1, 2, 3, 4]
    assert (committer.groups, committer.jobs, finished) == (1, 4, [4])


def test_a_leader_waits_no_longer_than_gather_s_for_an_announced_job(engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL does not group")
    _table(engine)
    committer = _committer(engine, finished=[], gather_s=0.2)
    with committer.expecting():  # announced, never submitted
        began = time.monotonic()
        assert committer.submit(1) == 10
        waited = time.monotonic() - began
    assert 0.15 <= waited < 5


def test_a_failing_group_is_written_job_by_job(engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL does not group")
    _table(engine)
    with engine.begin() as conn:
        conn.execute(_INSERT, {"j": "2"})  # job 2 will collide
    finished: list[int] = []
    committer = _committer(engine, finished=finished, gather_s=5.0)
    outcome: dict[int, object] = {}
    announced = threading.Barrier(3)

    def send(job: int) -> None:
        with committer.expecting() as ticket:
            announced.wait()
            try:
                outcome[job] = committer.submit(job, ticket)
            except Exception as exc:
                outcome[job] = type(exc).__name__

    threads = [threading.Thread(target=send, args=(job,)) for job in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome[1] == 10
    assert outcome[3] == 30
    assert outcome[2] == "IntegrityError"
    assert _stored(engine) == [1, 2, 3]  # 2 is the row that was there before


def _hold_lock(path: str, held, release) -> None:
    engine = make_engine(f"sqlite:///{path}")
    with write_lock(engine):
        held.set()
        release.wait(30)
    engine.dispose()


def test_the_write_lock_holds_across_processes(tmp_path) -> None:
    path = str(tmp_path / "locked.db")
    engine = make_engine(f"sqlite:///{path}")
    context = multiprocessing.get_context("spawn")
    held, release = context.Event(), context.Event()
    child = context.Process(target=_hold_lock, args=(path, held, release))
    child.start()
    try:
        assert held.wait(60)
        acquired = threading.Event()

        def take() -> None:
            with write_lock(engine):
                acquired.set()

        taker = threading.Thread(target=take)
        taker.start()
        assert not acquired.wait(0.5)  # the other process holds it
        release.set()
        assert acquired.wait(30)
        taker.join(timeout=30)
    finally:
        release.set()
        child.join(timeout=30)
        engine.dispose()
