"""Held messages (archived raw, not stored) are stored in the background, oldest first.

Each test runs on SQLite and PostgreSQL (the ``engine`` fixture).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from uplink_site import NOW, Site, body, make_site, rec

from nenghao.ingest import held, pipeline, recovery
from nenghao.ingest.held import HeldRetrier
from nenghao.store.schema import readings, uplink_archive


@pytest.fixture
def site(engine) -> Site:
    return make_site(engine)


def _fault() -> OperationalError:
    return OperationalError("INSERT", {}, Exception("server closed the connection"))


def _hold(engine, site: Site, monkeypatch: pytest.MonkeyPatch, hours: list[int]) -> list[int]:
    """Send one message per hour whose storing fails with a database fault; their ids."""

    def fail(*_args, **_kwargs):
        raise _fault()

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.PlainJob, "write", fail)
        patch.setattr(pipeline, "store_records", fail)
        for n in hours:
            with pytest.raises(OperationalError):
                site.uplink.ingest(body(site, rec(n=n)), sender=site.sender, now=NOW)
    with engine.connect() as conn:
        rows = conn.execute(select(uplink_archive.c.id, uplink_archive.c.status)).all()
    assert {status for _id, status in rows} == {"received"}
    return [archive_id for archive_id, _status in rows]


@pytest.fixture
def processed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The archive ids the retrier processes, in the order it processes them."""
    order: list[int] = []
    original = recovery.process_archive

    def recording(uplink, archive_id, *args, **kwargs):
        order.append(archive_id)
        return original(uplink, archive_id, *args, **kwargs)

    monkeypatch.setattr(recovery, "process_archive", recording)
    return order


def _wait_for(condition, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the state was not reached in time"
        time.sleep(0.02)


def _stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(readings)).scalar_one()


def _statuses(engine) -> list[str]:
    with engine.connect() as conn:
        query = select(uplink_archive.c.status).order_by(uplink_archive.c.id)
        return list(conn.execute(query).scalars())


def test_held_messages_are_stored_in_arrival_order(engine, site, monkeypatch, processed) -> None:
    held_ids = _hold(engine, site, monkeypatch, [-1, 0, 1])
    processed.clear()
    assert _stored(engine) == 0
    retrier = HeldRetrier(site.uplink, interval_s=0.05, min_age_s=0).start()
    try:
        _wait_for(lambda: _statuses(engine) == ["processed"] * 3)
    finally:
        retrier.stop()
    assert processed == held_ids
    assert _stored(engine) == 3


def test_a_database_fault_ends_the_round_and_keeps_the_order(
    engine, site, monkeypatch, processed
) -> None:
    held_ids = _hold(engine, site, monkeypatch, [0, 1])
    processed.clear()
    faults = iter([True])
    original = pipeline.store_records

    def flaky(*args, **kwargs):
        if next(faults, False):
            raise _fault()
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "store_records", flaky)
    retrier = HeldRetrier(site.uplink, interval_s=60, min_age_s=0)
    assert retrier.retry(0) == 0  # the oldest failed: the newer one waits for it
    assert processed == held_ids[:1]
    assert retrier.retry(0) == 2
    assert processed == [held_ids[0], *held_ids]
    assert _statuses(engine) == ["processed", "processed"]


def test_a_defective_message_is_set_aside_and_the_rest_go_on(
    engine, site, monkeypatch, processed
) -> None:
    held_ids = _hold(engine, site, monkeypatch, [0, 1])
    processed.clear()
    original = pipeline.store_records

    def defective_first(conn, archive_id, *args, **kwargs):
        if archive_id == held_ids[0]:
            raise RuntimeError("a defect, not the database")
        return original(conn, archive_id, *args, **kwargs)

    monkeypatch.setattr(pipeline, "store_records", defective_first)
    retrier = HeldRetrier(site.uplink, interval_s=60, min_age_s=0)
    assert retrier.retry(0) == 1
    for _ in range(held.MAX_FAILURES):
        retrier.retry(0)
    assert retrier.failures[held_ids[0]] == held.MAX_FAILURES
    assert _statuses(engine) == ["received", "processed"]


def test_young_messages_are_left_to_their_own_request(engine, site, monkeypatch) -> None:
    _hold(engine, site, monkeypatch, [0])
    with engine.begin() as conn:
        conn.execute(uplink_archive.update().values(received_at=int(time.time())))
    retrier = HeldRetrier(site.uplink, interval_s=60, min_age_s=3600)
    assert retrier.retry(3600) == 0
    assert _statuses(engine) == ["received"]
    assert retrier.retry(0) == 1
