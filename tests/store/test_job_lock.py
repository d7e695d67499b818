"""Background jobs once across nodes: the PostgreSQL advisory lock of `JobLock`; on SQLite
the single node always runs them."""

from __future__ import annotations

from sqlalchemy import text

from nenghao.ingest.held import HeldRetrier
from nenghao.store.job_lock import JobLock, job_key


def test_one_node_at_a_time_runs_a_job_and_a_dead_one_hands_it_over(engine) -> None:
    node_a, node_b = JobLock(engine, "monitor"), JobLock(engine, "monitor")
    other_job = JobLock(engine, "held")
    try:
        assert node_a.held()
        if engine.dialect.name != "postgresql":
            assert node_b.held()  # SQLite: one node, every job runs as before
            return
        assert not node_b.held()
        assert node_a.held()  # kept across rounds
        assert other_job.held()  # one lock per job
        assert node_a._conn is not None
        pid = node_a._conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as conn:  # the node's session ends (a kill -9, a lost link)
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        assert node_b.held()  # the lock went with the session
        assert not node_a.held()  # the old holder notices and does not run
        node_b.release()
        assert node_a.held()
    finally:
        for lock in (node_a, node_b, other_job):
            lock.release()


def test_job_keys_are_stable_signed_32_bit_numbers() -> None:
    # crc32(b"monitor") = 0xE1159985 = 3 776 289 157 >= 2**31: minus 2**32 = -518 678 139
    assert job_key("monitor") == -518_678_139
    assert all(-(2**31) <= job_key(name) < 2**31 for name in ("held", "monitor", "x" * 50))


def test_the_held_retrier_skips_its_rounds_without_the_lock(engine) -> None:
    holder = JobLock(engine, "held")
    try:
        assert holder.held()
        calls = []
        retrier = HeldRetrier(
            _NoUplink(), interval_s=0.01, min_age_s=5, lock=JobLock(engine, "held")
        )
        retrier.retry = lambda min_age: calls.append(min_age) or 0  # type: ignore[method-assign]
        retrier.start()
        retrier._stop.wait(0.2)
        retrier.stop()
        if engine.dialect.name == "postgresql":
            assert calls == []
        else:
            assert calls[0] == 0.0  # the single node takes every held message at start
    finally:
        holder.release()


class _NoUplink:
    engine = None
