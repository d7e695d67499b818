"""The plain path of the uplink: `parse_plain` and the plain-record store must agree with the
full path (`parse_message`, `validate_records`, `store_records`) on everything they accept, and hand
everything else to it."""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from message_builders import CREDIT_CODE, dumps, message, record
from sqlalchemy import func, select, update
from uplink_site import NOW, Site, body, make_site, rec

from nenghao.ingest import MessageRejected, parse_message, pipeline
from nenghao.ingest import prepare as prepare_module
from nenghao.ingest.acknowledgement import StoredAck
from nenghao.ingest.nonces import PendingNonce
from nenghao.ingest.plain_message import parse_plain, record_models
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import ReplayedNonce
from nenghao.ingest.writer import SlotWrite, stored_readings, write_slots
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import RecordStatus
from nenghao.store.bulk import execute_arrays
from nenghao.store.engine import make_engine, write_lock
from nenghao.store.rollups import rebuild
from nenghao.store.schema import data_items, readings, rollups, uplink_archive

# --- parse_plain ----------------------------------------------------------------------------


def assert_agrees(raw: bytes) -> None:
    """If the plain parser accepts `raw`, the full one accepts the same message."""
    plain = parse_plain(raw)
    if plain is None:
        return
    full = parse_message(raw)
    assert (plain.credit_code, plain.device_id, plain.message_id) == (
        full.credit_code,
        full.device_id,
        full.message_id,
    )
    assert record_models(plain) == full.records
    assert [r.model_fields_set for r in record_models(plain)] == [
        r.model_fields_set for r in full.records
    ]
    assert plain.starts == [r.period_start for r in full.records]


VALID = {
    "one record": dumps(message()),
    "many kinds": dumps(
        message(
            record(),
            record(item="E02", start="2024-05-01T01:00:00Z", quality="estimated"),
            record(item="W01", period="day", start="2024-04-30T00:00:00+08:00", unit="t"),
            record(item="M01", period="month", start="2024-04-01T00:00:00+08:00", value=0),
            record(
                item="R01",
                value=None,
                register=12.5,
                register_event={"kind": "replacement", "old_final": 9.5, "new_initial": 0},
            ),
            record(item="R02", value=None, register=3.0, register_event={"kind": "reset"}),
        )
    ),
    "pretty printed": json.dumps(message(record(), record(item="E02")), indent=2),
    "sent_at with a fraction": dumps(message(sent_at="2024-05-01T10:20:00.123456+08:00")),
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_plain_parse_gives_the_full_parse(text: str) -> None:
    plain = parse_plain(text.encode())
    assert plain is not None
    assert_agrees(text.encode())


ONE = '{"item":"E01","period":"hour","start":"2024-05-01T09:00:00+08:00","value":1,"unit":"kWh"}'
HEAD = (
    f'"protocol":"nenghao-uplink/1","credit_code":"{CREDIT_CODE}","device_id":"gw-01",'
    '"sent_at":"2024-05-01T10:20:00+08:00","message_id":"m-1"'
)

LEFT_TO_THE_FULL_PATH = {
    # valid, but unusual: the full parser decides
    "fractional start": dumps(message(record(start="2024-05-01T09:00:00.000+08:00"))),
    "escaped text": dumps(message(record(item="E\\u0030"))).replace("\\\\u", "\\u"),
    "a value looking like a key": dumps(message(record(item='E":1'))),
    # repeated keys, however written
    "repeated record key": "{" + HEAD + ',"records":[' + ONE[:-1] + ',"value":2}]}',
    "repeated key after white space": "{" + HEAD + ',"records":[' + ONE[:-1] + ',"value" :2}]}',
    "repeated header key": "{" + HEAD + ',"message_id":"m-2","records":[' + ONE + "]}",
    "repeated event key": dumps(
        message(record(value=None, register=1.0, register_event={"kind": "reset"}))
    ).replace('{"kind": "reset"}', '{"kind": "reset", "kind": "reset"}'),
    # invalid
    "misaligned": dumps(message(record(start="2024-05-01T09:30:00+08:00"))),
    "naive": dumps(message(record(start="2024-05-01T09:00:00"))),
    "year 3001": dumps(message(record(period="year", start="3001-01-01T00:00:00+08:00"))),
    "NaN": dumps(message(record(value=float("nan")))),
    "Infinity": dumps(message(record(value=float("inf")))),
    "huge": dumps(message()).replace("123.5", "1e400"),
    "negative register": dumps(message(record(value=None, register=-1.0))),
    "no value": dumps(message(record(value=None))),
    "event without register": dumps(message(record(register_event={"kind": "reset"}))),
    "same slot twice": dumps(message(record(), record(start="2024-05-01T01:00:00Z", value=2.0))),
    "no records": dumps(message(records=[])),
    "too many records": dumps(message(*[record(item=f"E{i}") for i in range(1001)])),
    "unknown protocol": dumps(message(protocol="nenghao-uplink/2")),
    "lower-case credit code": dumps(message(credit_code=CREDIT_CODE.lower())),
    "bad sent_at": dumps(message(sent_at="yesterday")),
    "extra field": dumps(message(record(comment="hi"))),
    "wrong type": dumps(message(record(value="1"))),
    "bool value": dumps(message(record(value=True))),
    "not an object": "[]",
    "malformed": "{",
}


@pytest.mark.parametrize("text", LEFT_TO_THE_FULL_PATH.values(), ids=LEFT_TO_THE_FULL_PATH.keys())
def test_plain_parse_leaves_the_rest_to_the_full_parse(text: str) -> None:
    assert parse_plain(text.encode()) is None


def test_plain_parse_respects_the_limits() -> None:
    raw = dumps(message(record(), record(item="E02"))).encode()
    assert parse_plain(raw, max_records=1) is None
    assert parse_plain(raw, max_body_bytes=len(raw) - 1) is None
    assert parse_plain(raw, max_records=2, max_body_bytes=len(raw)) is not None


_starts = st.one_of(
    st.integers(0, 23).map(lambda h: f"2024-05-01T{h:02d}:00:00+08:00"),
    st.integers(0, 23).map(lambda h: f"2024-04-30T{h:02d}:00:00Z"),
    st.sampled_from(
        [
            "2024-05-01T09:15:00+08:00",
            "2024-05-01T09:00:00.5+08:00",
            "2024-05-01T00:00:00+08:00",
            "2024-05-01T09:00:00",
            "2024-13-01T09:00:00+08:00",
        ]
    ),
)
_finite = st.floats(-1e6, 1e6)
_numbers = st.one_of(
    _finite,
    _finite,
    st.integers(-5, 5),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just("1"),
)
_records = st.fixed_dictionaries(
    {
        "item": st.sampled_from([f"E0{i}" for i in range(1, 10)] + ["", "E 1", 'E"1']),
        "period": st.sampled_from(["hour", "hour", "hour", "15min", "day", "week"]),
        "start": _starts,
        "unit": st.sampled_from(["kWh", "kWh", "t", " kWh"]),
        "value": _numbers,
    },
    optional={
        "register": _numbers,
        "register_event": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"kind": st.sampled_from(["reset", "replacement", "swap"])},
                optional={"old_final": _numbers, "new_initial": _numbers},
            ),
        ),
        "quality": st.sampled_from(["good", "suspect", "bad", None]),
    },
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(_records, min_size=1, max_size=4),
    indent=st.sampled_from([None, 1]),
    repeat=st.sampled_from([None, None, '"value":', '"item":', '"kind":', '"message_id":']),
)
def test_whatever_the_plain_parse_accepts_the_full_parse_accepts_alike(
    records: list[dict[str, Any]], indent: int | None, repeat: str | None
) -> None:
    text = json.dumps(message(*records), indent=indent, separators=None if indent else (",", ":"))
    if repeat is not None and repeat in text:
        # repeat the first such key: `"value":` becomes `"value":0,"value":`
        text = text.replace(repeat, f"{repeat}0,{repeat}", 1)
    assert_agrees(text.encode())


# --- the service --------------------------------------------------------------------------


@pytest.fixture
def site(engine) -> Site:
    return make_site(engine)


@pytest.fixture(params=["plain", "full"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on the plain path and again with it switched off (the full path)."""
    if request.param == "full":
        monkeypatch.setattr(UplinkService, "_prepare", lambda *_a, **_k: None)
    return str(request.param)


def table(engine, name, *order) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(name).order_by(*order))]


def answers(raw: bytes) -> list[tuple[str, int | None, str | None]]:
    return [(r["status"], r.get("revision"), r.get("code")) for r in json.loads(raw)["results"]]


def test_plain_and_full_paths_store_and_answer_alike(engine, site, path) -> None:
    first = body(site, rec(n=0), rec(n=1), rec("Q01", 0, period="15min"), message_id="a")
    assert (
        answers(site.uplink.ingest(first, sender=site.sender, now=NOW).json())
        == [("accepted", 1, None)] * 3
    )
    again = body(site, rec(n=0), rec(n=1, value=12.0), message_id="b")
    assert answers(site.uplink.ingest(again, sender=site.sender, now=NOW).json()) == [
        ("duplicate", 1, None),
        ("revised", 2, None),
    ]
    mixed = body(site, rec(n=-1), rec("X99", -1), message_id="c")  # an unknown item
    assert answers(site.uplink.ingest(mixed, sender=site.sender, now=NOW).json()) == [
        ("accepted", 1, None),
        ("rejected", None, "unknown_item"),
    ]
    stored = table(engine, readings, readings.c.item_id, readings.c.period_start)
    assert [(r["value"], r["revision"], r["quality"]) for r in stored] == [
        (10.0, 1, "good"),
        (10.0, 1, "good"),
        (12.0, 2, "good"),
        (10.0, 1, "good"),
    ]
    summaries = [a["summary"] for a in table(engine, uplink_archive, uplink_archive.c.id)]
    assert [(s["accepted"], s["duplicate"], s["revised"], s["rejected"]) for s in summaries] == [
        (3, 0, 0, 0),
        (0, 1, 1, 0),
        (1, 0, 0, 1),
    ]
    assert summaries[0]["rejections"] == []
    kept = table(engine, rollups, rollups.c.item_id, rollups.c.grain, rollups.c.period_start)
    with engine.begin() as conn:
        rebuild(conn)
    assert table(engine, rollups, rollups.c.item_id, rollups.c.grain, rollups.c.period_start) == (
        kept
    )


def test_the_json_ack_is_the_ack(engine, site, path) -> None:
    raw = body(site, rec(n=0), rec("X99", 0), message_id="a")
    ack = site.uplink.ingest(raw, sender=site.sender, now=NOW).ack()
    raw = body(site, rec(n=0), rec("X99", 0), message_id="b")
    as_json = json.loads(site.uplink.ingest(raw, sender=site.sender, now=NOW).json())
    expected = json.loads(ack.model_dump_json(exclude_none=True))
    expected["message_id"] = "b"
    expected["results"][0] = {"index": 0, "status": "duplicate", "revision": 1}
    assert as_json == expected


def test_compact_results_render_like_the_models() -> None:
    stored = StoredAck(
        "m",
        "gw",
        datetime(2024, 5, 1, 2, 20, 0, 123456, tzinfo=UTC),
        None,
        [
            (RecordStatus.ACCEPTED, 1, None),
            (RecordStatus.REVISED, 3, None),
            (RecordStatus.DUPLICATE, 1, None),
            (RecordStatus.DUPLICATE, 2, ReasonCode.OLDER_THAN_STORED),
        ],
    )
    assert stored.json() == stored.ack().model_dump_json(exclude_none=True).encode()


def test_a_registry_change_before_the_write_takes_the_full_path(engine, site, monkeypatch) -> None:
    with engine.connect() as conn:
        before = pipeline.item_rows(conn, site.enterprise_id)
    with engine.begin() as conn:
        conn.execute(update(data_items).where(data_items.c.code == "E01").values(active=False))
    real = pipeline.item_rows
    calls: list[str] = []

    def stale(_conn, _enterprise_id):
        calls.append("plan")
        return before

    def real_in_transaction(conn, enterprise_id):
        calls.append("write")
        return real(conn, enterprise_id)

    monkeypatch.setattr(prepare_module, "item_rows", stale)
    monkeypatch.setattr(pipeline, "item_rows", real_in_transaction)
    ack = site.uplink.ingest(body(site, rec(n=0)), sender=site.sender, now=NOW).ack()
    assert calls == ["plan", "write"]  # planned on the stale registry, checked when writing
    assert (ack.results[0].status, ack.results[0].code.value) == ("rejected", "unknown_item")
    assert table(engine, readings) == []


def test_the_nonce_is_recorded_with_the_archive_and_a_replay_archives_nothing(engine, site) -> None:
    cache = site.uplink.nonces

    def nonce() -> PendingNonce:
        pending = PendingNonce(cache)
        assert pending.remember(site.key_id, "n" * 16, now=1000, expires_at=1300)
        return pending

    site.uplink.ingest(body(site, rec(n=0)), sender=site.sender, now=NOW, nonce=nonce())
    for raw in (body(site, rec(n=1)), b"{"):  # a replay is refused before anything else
        with pytest.raises(ReplayedNonce):
            site.uplink.ingest(raw, sender=site.sender, now=NOW, nonce=nonce())
    assert len(table(engine, uplink_archive)) == 1
    assert not cache.remember(site.key_id, "n" * 16, now=1100, expires_at=1400)
    fresh = PendingNonce(cache)
    fresh.remember(site.key_id, "m" * 16, now=1000, expires_at=1300)
    with pytest.raises(MessageRejected):
        site.uplink.ingest(b"{", sender=site.sender, now=NOW, nonce=fresh)
    assert not cache.remember(site.key_id, "m" * 16, now=1100, expires_at=1400)
    with pytest.raises(RuntimeError):
        PendingNonce(cache).record(None)  # type: ignore[arg-type]


def test_stored_readings_finds_each_period_of_an_item(engine, site) -> None:
    item = site.item_ids["E01"]
    start = int(NOW.timestamp()) // 3600 * 3600 - 7200
    writes = [
        SlotWrite(0, item, "hour", start, 1.0),
        SlotWrite(1, item, "15min", start, 2.0),
        SlotWrite(2, item, "15min", start + 900, 3.0),
    ]
    with engine.begin() as conn:
        write_slots(conn, writes, source="http", received_at=0, rolled_periods={item: "hour"})
        found = stored_readings(
            conn, [w.slot for w in writes] + [(item, "hour", start + 3600), (item, "day", start)]
        )
    assert {slot: row["value"] for slot, row in found.items()} == {
        (item, "hour", start): 1.0,
        (item, "15min", start): 2.0,
        (item, "15min", start + 900): 3.0,
    }
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(readings)).scalar_one() == 3


def test_write_lock_serialises_sqlite_writers_only(engine, tmp_path) -> None:
    lock = write_lock(engine)
    if engine.dialect.name == "sqlite":
        assert lock is write_lock(engine)
        with lock, lock:  # re-entrant
            pass
        other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
        assert write_lock(other) is not lock
        other.dispose()
    else:
        assert isinstance(lock, nullcontext)


def test_execute_arrays_inserts_a_batch_on_postgresql_only(engine, site) -> None:
    item = site.item_ids["E01"]
    rows = [(item, "hour", 3600 * k, 1.5 * k, None) for k in range(3)]
    sql = (
        "INSERT INTO readings (item_id, period, period_start, value, register_value, source,"
        " received_at) SELECT i, p, s, v, r, 'file', 0 FROM unnest(%b::integer[],"
        " %b::varchar[], %b::bigint[], %b::double precision[], %b::double precision[])"
        " AS t(i, p, s, v, r)"
    )
    with engine.begin() as conn:
        if engine.dialect.name != "postgresql":
            with pytest.raises(ValueError, match="PostgreSQL"):
                execute_arrays(conn, sql, rows)
            return
        execute_arrays(conn, sql, rows)
    stored = table(engine, readings, readings.c.period_start)
    assert [(r["period_start"], r["value"], r["register_value"]) for r in stored] == [
        (0, 0.0, None),
        (3600, 1.5, None),
        (7200, 3.0, None),
    ]
