"""A message held by a fault and stored late never undoes a value received after it.

The sequence, through the HTTP API on SQLite and PostgreSQL: a message is archived but its
storing fails (503); the device resends it (stored, 100 kWh); a correction follows
(120 kWh); the server restarts, and the held copy of the first message is stored at start-up.
The correction stays current; the late copy's value is kept in the history.
"""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from test_uplink_api import items, message, post, record  # noqa: F401 (fixture)

from nenghao.app import create_app
from nenghao.ingest import pipeline
from nenghao.store.schema import reading_revisions, readings, rollups, uplink_archive


def _archives(engine) -> list[dict]:
    with engine.connect() as conn:
        query = select(uplink_archive).order_by(uplink_archive.c.id)
        return [dict(row._mapping) for row in conn.execute(query)]


def _wait_for(condition, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the state was not reached in time"
        time.sleep(0.05)


def test_correction_stays_after_the_held_message_is_stored_at_restart(
    settings,
    engine,
    world,
    items,  # noqa: F811 (the fixture, imported)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet = settings.model_copy(update={"uplink_retry_interval_s": 3600.0})
    first = message(world, record(0, value=100.0), message_id="m-first")
    correction = message(world, record(0, value=120.0), message_id="m-correction")

    def fault(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    with TestClient(create_app(quiet, engine), raise_server_exceptions=False) as client:
        # 1. The body is archived, its storing fails: 503, nothing acknowledged.
        with monkeypatch.context() as patch:
            patch.setattr(pipeline.PlainJob, "write", fault)
            patch.setattr(pipeline, "store_records", fault)
            response = post(client, world, first)
        assert response.status_code == 503, response.text
        assert [a["status"] for a in _archives(engine)] == ["received"]
        # 2. The device resends it: stored as the slot's first revision.
        response = post(client, world, first)
        assert response.status_code == 200, response.text
        assert response.json()["results"][0] == {"index": 0, "status": "accepted", "revision": 1}
        # 3. The correction: revision 2.
        response = post(client, world, correction)
        assert response.json()["results"][0] == {"index": 0, "status": "revised", "revision": 2}

    # 4. Restart: the held copy of the first message is stored at start-up.
    with TestClient(create_app(quiet, engine), raise_server_exceptions=False) as client:
        _wait_for(lambda: _archives(engine)[0]["status"] == "processed")
        uploads = client.get(
            f"/api/v1/enterprises/{world.enterprise_ids['a']}/uploads",
            headers=world.headers("admin"),
        ).json()["items"]

    item_id = items["a:E01"]
    with engine.connect() as conn:
        current = conn.execute(select(readings).where(readings.c.item_id == item_id)).one()
        history = conn.execute(
            select(reading_revisions.c.revision, reading_revisions.c.value)
            .where(reading_revisions.c.item_id == item_id)
            .order_by(reading_revisions.c.id)
        ).all()
        day = conn.execute(
            select(rollups.c.value, rollups.c.count).where(
                rollups.c.item_id == item_id, rollups.c.grain == "day"
            )
        ).one()
    held, resent, corrected = _archives(engine)
    # The correction stays: 120 kWh, revision 2, received with the correction.
    assert (current.value, current.revision) == (120.0, 2)
    assert current.received_at == corrected["received_at"]
    # The history: the resent 100 kWh (revision 1, replaced by the correction) and the held
    # copy's 100 kWh, stored late and never current (revision 0).
    assert [(h.revision, h.value) for h in history] == [(1, 100.0), (0, 100.0)]
    # The day's total is the current value alone: 120 kWh from one reading.
    assert (day.value, day.count) == (120.0, 1)
    # The held copy's record is answered "duplicate" with the reason it did not apply.
    assert held["received_at"] <= resent["received_at"] <= corrected["received_at"]
    late = next(u for u in uploads if u["id"] == held["id"])
    assert late["status"] == "processed"
    assert (late["summary"]["duplicate"], late["summary"]["revised"]) == (1, 0)
