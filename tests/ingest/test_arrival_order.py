"""A slot's current value comes from the message received last, whatever the order in
which messages are written: live (plain and full path), held and stored late, and register
readings. Each test runs on SQLite and PostgreSQL (the ``engine`` fixture).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from uplink_site import HOUR0, NOW, Site, body, make_site, rec

from nenghao.ingest import pipeline
from nenghao.ingest.recovery import recover_pending
from nenghao.store import archive
from nenghao.store.schema import reading_revisions, readings, rollups, uplink_archive

LATER = NOW + timedelta(seconds=10)
T_NOW, T_LATER = int(NOW.timestamp()), int(LATER.timestamp())


@pytest.fixture
def site(engine) -> Site:
    return make_site(engine)


def send(site: Site, *records, now=NOW, message_id: str = "m-1"):
    message = body(site, *records, message_id=message_id)
    return site.uplink.ingest(message, sender=site.sender, now=now).ack()


def hold(site: Site, monkeypatch: pytest.MonkeyPatch, *records, now=NOW, message_id="m-held"):
    """Send a message whose storing fails with a database fault: archived ``received``."""

    def fault(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.PlainJob, "write", fault)
        patch.setattr(pipeline, "store_records", fault)
        with pytest.raises(OperationalError):
            send(site, *records, now=now, message_id=message_id)


def slot(engine, site: Site, item: str, n: int) -> dict:
    """The current reading of hour `n`, its history (revision, value, received, superseded)
    and its CST day's rollup (value, count)."""
    item_id = site.item_ids[item]
    start = int((HOUR0 + timedelta(hours=n)).timestamp())
    with engine.connect() as conn:
        current = conn.execute(
            select(readings).where(readings.c.item_id == item_id, readings.c.period_start == start)
        ).one()
        h = reading_revisions.c
        history = conn.execute(
            select(h.revision, h.value, h.received_at, h.superseded_at)
            .where(h.item_id == item_id, h.period_start == start)
            .order_by(h.id)
        ).all()
        day = conn.execute(
            select(rollups.c.value, rollups.c.count).where(
                rollups.c.item_id == item_id, rollups.c.grain == "day"
            )
        ).one()
    return {
        "current": (current.value, current.revision, current.received_at),
        "history": [tuple(row) for row in history],
        "day": tuple(day),
    }


def summaries(engine) -> list[tuple[str | None, dict]]:
    with engine.connect() as conn:
        query = select(uplink_archive.c.message_id, uplink_archive.c.summary).order_by(
            uplink_archive.c.received_at, uplink_archive.c.id
        )
        return [tuple(row) for row in conn.execute(query)]


OLDER = {"status": "duplicate", "revision": 1, "code": "older_than_stored"}


@pytest.mark.parametrize(
    ("unit", "value"),
    [("kWh", 100.0), ("MWh", 0.1)],
    ids=["plain", "converted"],  # the plain path, and the full path (unit converted)
)
def test_a_live_message_written_after_a_later_one_does_not_replace_it(
    engine, site, unit, value
) -> None:
    # The correction (120 kWh) arrived 10 s after the first message (100 kWh) but is written
    # first; the first message, written after it, must not bring 100 kWh back.
    send(site, rec(n=0, value=120.0), now=LATER, message_id="m-correction")
    ack = send(site, rec(n=0, value=value, unit=unit), now=NOW, message_id="m-first")
    result = ack.results[0].model_dump(mode="json", exclude_none=True)
    assert {k: result[k] for k in OLDER} == OLDER
    assert result["message"]
    # 0.1 MWh = 100 kWh: kept in the history as revision 0, superseded on its arrival.
    assert slot(engine, site, "E01", 0) == {
        "current": (120.0, 1, T_LATER),
        "history": [(0, 100.0, T_NOW, T_NOW)],
        "day": (120.0, 1),
    }


def test_the_acknowledgement_json_carries_the_code(engine, site) -> None:
    send(site, rec(n=0, value=120.0), now=LATER, message_id="m-correction")
    stored = site.uplink.ingest(body(site, rec(n=0, value=100.0)), sender=site.sender, now=NOW)
    assert stored.json() == stored.ack().model_dump_json(exclude_none=True).encode()
    assert b'"code":"older_than_stored"' in stored.json()


def test_within_one_second_the_live_message_written_last_holds(engine, site) -> None:
    send(site, rec(n=0, value=100.0), message_id="m-first")
    ack = send(site, rec(n=0, value=120.0), message_id="m-correction")
    assert (ack.results[0].status.value, ack.results[0].revision) == ("revised", 2)
    assert slot(engine, site, "E01", 0)["current"] == (120.0, 2, T_NOW)


def test_a_held_message_yields_to_a_value_received_in_the_same_second(
    engine, site, monkeypatch
) -> None:
    hold(site, monkeypatch, rec(n=0, value=100.0))
    send(site, rec(n=0, value=120.0), message_id="m-correction")  # same second, after it
    assert recover_pending(site.uplink) == 1
    assert slot(engine, site, "E01", 0) == {
        "current": (120.0, 1, T_NOW),
        "history": [(0, 100.0, T_NOW, T_NOW)],
        "day": (120.0, 1),
    }
    (held, summary), _correction = summaries(engine)
    assert held == "m-held"
    assert (summary["duplicate"], summary["revised"]) == (1, 0)


def test_a_held_message_replaces_a_value_received_before_it(engine, site, monkeypatch) -> None:
    # Stored late, but received after the stored value: it is the newer one.
    send(site, rec(n=0, value=90.0), now=NOW - timedelta(seconds=10), message_id="m-before")
    hold(site, monkeypatch, rec(n=0, value=100.0))
    assert recover_pending(site.uplink) == 1
    state = slot(engine, site, "E01", 0)
    assert state["current"] == (100.0, 2, T_NOW)
    assert state["history"] == [(1, 90.0, T_NOW - 10, T_NOW)]
    assert state["day"] == (100.0, 1)


def test_held_messages_are_stored_in_arrival_order_not_archive_order(engine, site) -> None:
    # A message held after a failed transaction is archived when the failure is known: its
    # id can come after that of a message that arrived later. Archive them in that order.
    with engine.begin() as conn:
        for message_id, value, at in (("m-second", 120.0, T_LATER), ("m-first", 100.0, T_NOW)):
            message = body(site, rec(n=0, value=value), message_id=message_id)
            pipeline.archive_body(conn, message, site.sender, at, "received", message_id=message_id)
        assert [
            conn.execute(
                select(uplink_archive.c.message_id).where(uplink_archive.c.id == i)
            ).scalar_one()
            for i in archive.pending(conn)
        ] == ["m-first", "m-second"]
    assert recover_pending(site.uplink) == 2
    (first, first_summary), (second, second_summary) = summaries(engine)
    assert (first, first_summary["accepted"]) == ("m-first", 1)
    assert (second, second_summary["revised"]) == ("m-second", 1)
    assert slot(engine, site, "E01", 0)["current"] == (120.0, 2, T_LATER)


def test_a_register_reading_received_earlier_leaves_the_chain(engine, site) -> None:
    # Readings 1000, 1010, 1025 kWh at hours -2, -1, 0 (received later): intervals 10, 15.
    chain = [rec("M01", n=n, register=r) for n, r in ((-2, 1000.0), (-1, 1010.0), (0, 1025.0))]
    send(site, *chain, now=LATER, message_id="m-later")
    ack = send(site, rec("M01", n=-1, register=1012.0), now=NOW, message_id="m-earlier")
    result = ack.results[0].model_dump(mode="json", exclude_none=True)
    assert {k: result[k] for k in OLDER} == OLDER
    with engine.connect() as conn:
        values = conn.execute(
            select(readings.c.value, readings.c.revision)
            .where(readings.c.item_id == site.item_ids["M01"])
            .order_by(readings.c.period_start)
        ).all()
    assert [tuple(v) for v in values] == [(10.0, 1), (15.0, 1)]
