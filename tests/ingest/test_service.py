"""The ingest service: archive first, one transaction, revisions, quarantine, registers.

Each test runs on SQLite and PostgreSQL (the ``engine`` fixture).
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from uplink_site import HOUR0, NOW, Site, body, make_site, rec, service

from nenghao.ingest import pipeline
from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.nonces import DbNonceCache, PendingNonce
from nenghao.ingest.protocol import UplinkRecord
from nenghao.ingest.recovery import recover_pending, reprocess_quarantined
from nenghao.ingest.sender import Sender, UplinkLimits
from nenghao.ingest.signing import ReplayedNonce
from nenghao.store.rollups import rebuild
from nenghao.store.schema import (
    quarantine,
    reading_revisions,
    readings,
    register_readings,
    rollups,
    uplink_archive,
)


@pytest.fixture
def site(engine) -> Site:
    return make_site(engine)


def send(engine, site: Site, *records, **overrides):
    message = body(site, *records, **overrides)
    return site.uplink.ingest(message, sender=site.sender, now=NOW).ack()


def statuses(ack) -> list[str]:
    return [r.status.value for r in ack.results]


def rows(engine, table, *where):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).where(*where))]


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def value_of(engine, site: Site, item: str, n: int) -> float:
    start = int((HOUR0 + timedelta(hours=n)).timestamp())
    (row,) = rows(
        engine,
        readings,
        readings.c.item_id == site.item_ids[item],
        readings.c.period_start == start,
    )
    return row["value"]


def rollup_table(engine):
    with engine.connect() as conn:
        return {
            (r.item_id, r.grain, r.period_start): (pytest.approx(r.value), r.count)
            for r in conn.execute(select(rollups))
        }


def test_accepted_duplicate_revised_keep_history(engine, site) -> None:
    assert statuses(send(engine, site, rec(n=0), rec(n=1, value=5.0))) == ["accepted"] * 2
    ack = send(engine, site, rec(n=0), rec(n=1, value=6.5))
    assert statuses(ack) == ["duplicate", "revised"]
    assert [r.revision for r in ack.results] == [1, 2]
    assert value_of(engine, site, "E01", 1) == 6.5
    (history,) = rows(engine, reading_revisions)
    assert (history["value"], history["revision"], history["superseded_at"]) == (5.0, 1, 1714530000)
    # a quality change alone is a revision too
    assert statuses(send(engine, site, rec(n=0, quality="estimated"))) == ["revised"]
    assert count(engine, uplink_archive) == 3


def test_rollups_equal_sums_after_mixed_uploads_and_revisions(engine, site) -> None:
    send(engine, site, *[rec(n=n, value=float(n)) for n in range(2)])
    send(engine, site, rec(n=1, value=7.25), rec(n=0, value=3.0))  # two revisions
    quarter = [
        rec("Q01", period="15min", start=f"2024-05-01T08:{m:02d}:00+08:00") for m in (0, 15, 30, 45)
    ]
    send(engine, site, *quarter, message_id="q")
    send(engine, site, rec("M01", 0, register=10.0), rec("M01", 1, register=25.0))
    send(engine, site, rec("M01", 2, register=31.5), rec("N01", 1, value=-4.0))
    incremental = rollup_table(engine)
    with engine.begin() as conn:
        rebuild(conn)
    assert rollup_table(engine) == incremental
    assert incremental[(site.item_ids["E01"], "day", 1714492800)][0] == 10.25
    assert incremental[(site.item_ids["Q01"], "hour", 1714521600)] == (pytest.approx(40.0), 4)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", "malformed_json"),
        (b'{"protocol": 1}', "wrong_type"),
        (None, "invalid_credit_code"),
        (None, "misaligned_start"),
        (None, "not_finite"),
        (None, "duplicate_record"),
        (None, "wrong_type_value"),
    ],
)
def test_whole_message_errors_archive_raw_and_store_nothing(engine, site, raw, code) -> None:
    if raw is None:
        raw = {
            "invalid_credit_code": body(site, rec(), credit_code=site.credit_code[:-1] + "0"),
            "misaligned_start": body(site, rec(start="2024-05-01T08:30:00+08:00")),
            "not_finite": body(site, rec()).replace(b'"value": 10.0', b'"value": NaN'),
            "duplicate_record": body(site, rec(n=0), rec(n=0, value=2.0)),
            "wrong_type_value": body(site, rec(value="12")),
        }[code]
        code = code.removesuffix("_value")
    with pytest.raises(MessageRejected) as caught:
        site.uplink.ingest(raw, sender=site.sender, now=NOW)
    assert caught.value.code.value == code
    (archived,) = rows(engine, uplink_archive)
    assert archived["body"] == raw
    assert (archived["status"], archived["error_code"]) == ("rejected", code)
    assert count(engine, readings) == 0


def test_infinity_and_oversized_body_are_refused(engine, site) -> None:
    infinite = body(site, rec()).replace(b'"value": 10.0', b'"value": 1e400')
    with pytest.raises(MessageRejected, match="finite"):
        site.uplink.ingest(infinite, sender=site.sender, now=NOW)
    big = body(site, *[rec(n=-n) for n in range(50)])
    small = service(engine, UplinkLimits(max_body_bytes=2048))
    with pytest.raises(MessageRejected) as caught:
        small.ingest(big, sender=site.sender, now=NOW)
    assert caught.value.code.value == "body_too_large"
    assert count(engine, readings) == 0


def test_another_enterprises_code_or_device_is_refused(engine, site) -> None:
    for overrides, code in (
        ({"credit_code": site.other_code}, "enterprise_mismatch"),
        ({"device_id": "someone-else"}, "device_mismatch"),
    ):
        with pytest.raises(MessageRejected) as caught:
            send(engine, site, rec(), **overrides)
        assert caught.value.code.value == code
    assert count(engine, readings) == 0


@pytest.mark.parametrize(
    ("record", "code"),
    [
        (rec("NOPE"), "unknown_item"),
        (rec(unit="t"), "unit_mismatch"),
        (rec(n=2), "future_period"),
        (rec(value=-1.0), "negative_value"),
        (rec(value=1e15), "value_too_large"),
        (rec("N01", value=6000.0), "value_too_large"),
        (rec(period="day", start="2024-04-30T00:00:00+08:00"), "period_mismatch"),
    ],
)
def test_bad_records_are_quarantined_the_rest_stored(engine, site, record, code) -> None:
    ack = send(engine, site, rec(n=-1, value=1.0), record)
    assert statuses(ack) == ["accepted", "rejected"]
    assert ack.results[1].code.value == code
    assert ack.results[1].message
    (entry,) = rows(engine, quarantine)
    assert (entry["code"], entry["record_index"], entry["status"]) == (code, 1, "open")
    assert entry["record"]["item"] == record["item"]
    assert count(engine, readings) == 1
    (archived,) = rows(engine, uplink_archive)
    assert archived["summary"]["rejected"] == 1


def test_units_are_converted_to_the_items_unit(engine, site) -> None:
    send(engine, site, rec(value=1.5, unit="MWh"))
    assert value_of(engine, site, "E01", 0) == 1500.0


def test_register_readings_become_intervals_and_the_last_waits(engine, site) -> None:
    ack = send(engine, site, rec("M01", -2, register=100.0), rec("M01", -1, register=130.0))
    assert statuses(ack) == ["accepted", "accepted"]
    (interval,) = rows(engine, readings)
    assert (interval["value"], interval["register_value"]) == (30.0, 100.0)
    assert count(engine, register_readings) == 2  # the latest is kept until the next one
    send(engine, site, rec("M01", 1, register=145.0))  # a gap of one hour
    # 15 kWh over 2 h, shared by time: 7.5 in each hour, estimated
    spanned = rows(engine, readings, readings.c.period_start >= 1714518000)
    assert [
        (r["value"], r["register_value"], r["flags"], r["quality"])
        for r in sorted(spanned, key=lambda r: r["period_start"])
    ] == [(7.5, 130.0, "gap_spanned", "estimated"), (7.5, None, "gap_spanned", "estimated")]
    # a late reading fills the gap: both estimated shares are revised into measured intervals
    send(engine, site, rec("M01", 0, register=139.0), message_id="late")
    late = rows(engine, readings, readings.c.period_start >= 1714518000)
    assert [r["value"] for r in sorted(late, key=lambda r: r["period_start"])] == [9.0, 6.0]
    assert rows(engine, readings, readings.c.register_value == 130.0)[0]["flags"] is None
    assert count(engine, reading_revisions) == 2


def test_register_rollover_flag_and_backwards_rejection(engine, site) -> None:
    send(engine, site, rec("M01", -2, register=99990.0), rec("M01", -1, register=5.0))
    (interval,) = rows(engine, readings)
    assert interval["flags"] == "rollover"
    assert interval["value"] == pytest.approx(15.0)  # 99999.99 + 0.01 wraps to 0
    ack = send(engine, site, rec("M01", 0, register=1.0), message_id="back")
    assert ack.results[0].code.value == "register_backwards"
    assert rows(engine, quarantine)[0]["code"] == "register_backwards"
    # a replacement event explains the drop
    event = {"kind": "replacement", "old_final": 8.0, "new_initial": 0.0}
    ack = send(engine, site, rec("M01", 0, register=1.0, register_event=event), message_id="r")
    assert statuses(ack) == ["accepted"]
    assert rows(engine, readings, readings.c.register_value == 5.0)[0]["flags"] == "replacement"


def test_a_late_reading_that_would_break_the_stored_chain_is_refused(engine, site) -> None:
    send(engine, site, rec("M01", -2, register=100.0), rec("M01", 0, register=120.0))
    ack = send(engine, site, rec("M01", -1, register=125.0), message_id="late")
    assert ack.results[0].code.value == "register_backwards"
    assert "stored reading" in ack.results[0].message
    assert [r["value"] for r in rows(engine, readings)] == [10.0, 10.0]  # 20 over 2 h


def test_quarantined_record_is_reprocessed_after_a_fix(engine, site) -> None:
    send(engine, site, rec(unit="t"))
    (entry,) = rows(engine, quarantine)
    again, result = reprocess_quarantined(site.uplink, entry, actor="ops", now=NOW)
    assert (again["status"], result.code.value) == ("open", "unit_mismatch")
    with engine.begin() as conn:  # the fix: the item was registered with the wrong unit
        conn.exec_driver_sql("UPDATE data_items SET unit = 't' WHERE code = 'E01'")
    done, result = reprocess_quarantined(site.uplink, again, actor="ops", now=NOW)
    assert (done["status"], done["resolved_by"], result.status.value) == (
        "reprocessed",
        "ops",
        "accepted",
    )
    assert count(engine, readings) == 1
    assert count(engine, quarantine) == 1  # no second entry for the refused attempt


def test_manual_filing_marks_manual_and_refuses_online_items(engine, site) -> None:
    sender = Sender(site.enterprise_id, site.credit_code, "manual", "manager")
    records = [
        UplinkRecord.model_validate(
            {
                "item": "S01",
                "period": "month",
                "start": "2024-04-01T00:00:00+08:00",
                "value": 12.5,
                "unit": "t",
            }
        ),
        UplinkRecord.model_validate(rec(n=-1)),
    ]
    ack = site.uplink.ingest_records(records, sender=sender, raw=b"form", now=NOW)
    assert statuses(ack) == ["accepted", "rejected"]
    assert ack.results[1].code.value == "not_manual_item"
    (filed,) = rows(engine, readings)
    assert (filed["source"], filed["quality"]) == ("manual", "manual")
    (archived,) = rows(engine, uplink_archive)
    assert archived["channel"] == "manual"
    assert json.loads(archived["records"])[0]["item"] == "S01"


@pytest.mark.parametrize(
    ("owner", "name", "unit"),
    [(pipeline.PlainJob, "write", "kWh"), (pipeline, "store_records", "MWh")],
    ids=["plain", "converted"],
)
def test_archive_left_received_by_a_crash_is_recovered_once(
    engine, site, monkeypatch, owner, name, unit
) -> None:
    def crash(*_args, **_kwargs):
        raise RuntimeError("power cut")

    # PlainJob.write stores messages of plain interval records (the item's own unit, ...),
    # store_records every other message; a crash in the one that runs rolls back archive and
    # records together, and the body is then archived alone, received.
    monkeypatch.setattr(owner, name, crash)
    with pytest.raises(RuntimeError):
        send(engine, site, rec(n=0), rec(n=1, unit=unit))
    assert rows(engine, uplink_archive)[0]["status"] == "received"
    assert count(engine, readings) == 0
    monkeypatch.undo()
    assert recover_pending(site.uplink) == 1
    assert recover_pending(site.uplink) == 0
    assert rows(engine, uplink_archive)[0]["status"] == "processed"
    assert count(engine, readings) == 2


def test_device_secret_sender_and_nonces(engine, site) -> None:
    credentials = site.uplink.credentials
    assert credentials.secret(site.key_id) == site.secret.encode()
    assert credentials.secret("nhk_unknown") is None
    assert credentials.sender(site.key_id, "mqtt") == Sender(
        site.enterprise_id, site.credit_code, "mqtt", site.key_id
    )
    nonces = DbNonceCache(engine)
    assert nonces.remember(site.key_id, "n" * 16, now=100, expires_at=400)
    assert not nonces.remember(site.key_id, "n" * 16, now=399, expires_at=700)
    assert nonces.remember("other", "n" * 16, now=399, expires_at=700)
    assert nonces.remember(site.key_id, "n" * 16, now=401, expires_at=701)  # expired: reusable


def test_concurrent_plain_messages_share_a_commit_and_keep_their_own_results(engine, site) -> None:
    """Four announced messages: one group on SQLite; a replayed nonce fails only its own."""
    threads_ready = threading.Barrier(4)
    nonces = site.uplink.nonces
    outcome: dict[int, object] = {}

    def deliver(n: int) -> None:
        nonce = PendingNonce(nonces)
        nonce.remember(site.key_id, "replayed" if n >= 2 else f"nonce-{n}", now=0, expires_at=9e9)
        with site.uplink.announce() as ticket:
            threads_ready.wait()
            message = body(site, rec(n=-2 * n), rec(n=-2 * n - 1), message_id=f"m-{n}")
            try:
                ack = site.uplink.ingest(
                    message, sender=site.sender, now=NOW, nonce=nonce, ticket=ticket
                ).ack()
                outcome[n] = statuses(ack)
            except ReplayedNonce:
                outcome[n] = "replayed"

    workers = [threading.Thread(target=deliver, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    accepted = ["accepted", "accepted"]
    assert outcome[0] == outcome[1] == accepted
    assert sorted(map(str, (outcome[2], outcome[3]))) == sorted([str(accepted), "replayed"])
    assert count(engine, readings) == 6  # three messages of two records
    assert [r["status"] for r in rows(engine, uplink_archive)] == ["processed"] * 3
    # the rollups equal the sums of the readings (kept once per group, not per message)
    with engine.connect() as conn:
        kept = conn.execute(select(func.sum(rollups.c.value)).where(rollups.c.grain == "day"))
        assert kept.scalar_one() == pytest.approx(60.0)
