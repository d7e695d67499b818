"""Forwarding in one process: a city and a province on two SQLite databases, the city's
forwarder sending through the province's ASGI app (no sockets).

Covers the outbox (written only while an upstream is configured, in the data's
transaction), the adapter (signed batches, backoff honouring Retry-After) and the receiver
(exactly once, a replay refused, a member outside its divisions refused).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from federation_site import (
    CITY_MASTER,
    CREDIT_CODE,
    PROVINCE_MASTER,
    day_total,
    make_member,
    message,
    point_upstream,
    register,
    series,
    upload,
)
from sqlalchemy import Engine, func, select

from nenghao.app import create_app
from nenghao.config import Settings
from nenghao.federation.adapter import OutboxEntry
from nenghao.federation.forwarder import Backoff, Forwarder
from nenghao.federation.nenghao_protocol import BATCH_PATH, NenghaoProtocol, batch_body
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import signed_headers
from nenghao.ingest.writer import remove_rows, stored_readings
from nenghao.standards.calendar import CST
from nenghao.store import outbox, tokens, users
from nenghao.store.engine import make_engine
from nenghao.store.schema import (
    data_items,
    enterprises,
    federation_applied,
    federation_months,
    federation_outbox,
)

START = 1714521600  # 2024-05-01 08:00 CST


@dataclass
class Pair:
    city: Engine
    province: Engine
    client: TestClient
    uplink: UplinkService
    key_id: str
    secret: str

    def forwarder(self, **kwargs: object) -> Forwarder:
        transport = self.client._transport

        def adapter(upstream):  # the province's app as the transport
            return NenghaoProtocol(upstream, transport=transport)

        return Forwarder(self.city, lambda: CITY_MASTER, adapters={"nenghao": adapter}, **kwargs)


def _database(template: Path, path: Path) -> Engine:
    shutil.copyfile(template, path)
    return make_engine(f"sqlite:///{path}")


@pytest.fixture
def pair(sqlite_template: Path, tmp_path: Path) -> Iterator[Pair]:
    city = _database(sqlite_template, tmp_path / "city.db")
    province = _database(sqlite_template, tmp_path / "province.db")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'province.db'}",
        data_dir=tmp_path,
        secret_key=PROVINCE_MASTER.decode(),
        monitor_enabled=False,
    )
    key_id, secret = make_member(province, ["2103"])
    with TestClient(create_app(settings, province), base_url="http://province") as client:
        yield Pair(
            city, province, client, UplinkService(city, master_key=CITY_MASTER), key_id, secret
        )
    city.dispose()
    province.dispose()


def _outbox(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        query = select(federation_outbox.c.kind, federation_outbox.c.records)
        return [tuple(row) for row in conn.execute(query.order_by(federation_outbox.c.id))]


def test_the_outbox_is_written_only_while_an_upstream_is_configured(pair: Pair) -> None:
    with pair.city.begin() as conn:
        enterprise = register(conn)
    upload(pair.uplink, enterprise, message(range(3), 10.0))
    assert _outbox(pair.city) == []
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    upload(pair.uplink, enterprise, message(range(3, 5), 10.0))  # two new readings
    upload(pair.uplink, enterprise, message(range(3, 5), 10.0))  # the same again: nothing
    upload(pair.uplink, enterprise, message(range(4, 5), 12.0))  # one revision
    assert _outbox(pair.city) == [("readings", 2), ("readings", 1)]
    with pair.city.connect() as conn:
        revision = conn.execute(select(federation_outbox.c.payload)).all()[1][0]
    # (item, period, start, value, register value, quality, source, revision, received, flags)
    assert revision["readings"][0][:8] == [
        "ent.electricity",
        "hour",
        START + 4 * 3600,
        12.0,
        None,
        "good",
        "http",
        2,
    ]


def test_the_city_arrives_upstream_once_with_its_revisions(pair: Pair) -> None:
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    with pair.city.begin() as conn:
        enterprise = register(conn)
    upload(pair.uplink, enterprise, message(range(12), 10.0))  # 08:00-20:00 CST
    upload(pair.uplink, enterprise, message(range(5, 6), 25.0))
    assert pair.forwarder().run_round() == 4  # enterprise, item, two readings entries
    assert _outbox(pair.city) == []
    # 11 hours of 10 kWh and the revised hour of 25 kWh: 110 + 25 = 135 kWh on the day
    assert series(pair.province) == series(pair.city)
    assert day_total(pair.province) == pytest.approx(135.0)
    with pair.province.connect() as conn:
        row = conn.execute(
            select(enterprises).where(enterprises.c.credit_code == CREDIT_CODE)
        ).one()
        assert row.division_code == "210302"
        assert conn.execute(select(func.count()).select_from(federation_applied)).scalar() == 4


def _send(pair: Pair, entries: list[OutboxEntry], nonce: str | None = None) -> httpx.Response:
    body = batch_body(entries)
    headers = signed_headers(
        pair.key_id, pair.secret.encode(), "POST", BATCH_PATH, body, nonce=nonce
    )
    return pair.client.post(BATCH_PATH, content=body, headers=headers)


def _register_entries(division: str = "210302") -> list[OutboxEntry]:
    row = {
        "credit_code": CREDIT_CODE if division == "210302" else "91210381MA0FEDER2X",
        "name": "企业",
        "name_en": None,
        "division_code": division,
        "industry_code": "3110",
        "key_unit_level": "key",
        "address": None,
        "contact": None,
        "active": True,
    }
    return [OutboxEntry(1, "enterprise", {"credit_code": row["credit_code"], "enterprise": row}, 1)]


def test_a_batch_sent_again_changes_nothing_and_a_replayed_nonce_is_refused(pair: Pair) -> None:
    entries = _register_entries()
    first = _send(pair, entries, nonce="n" * 20)
    assert first.json() == {"applied": 1, "repeated": 0}
    replay = _send(pair, entries, nonce="n" * 20)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "replayed_nonce"
    again = _send(pair, entries)  # the same entries, a fresh signature: applied once only
    assert again.json() == {"applied": 0, "repeated": 1}


def test_a_member_outside_its_divisions_is_refused_in_the_error_shape(pair: Pair) -> None:
    key_id, secret = make_member(pair.province, ["210302"], name="铁东区")
    pair.key_id, pair.secret = key_id, secret
    answer = _send(pair, _register_entries("210381"))
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "federation_outside_divisions"
    assert error["details"] == {"field": "division_code", "entry": 1}
    with pair.province.connect() as conn:
        assert conn.execute(select(func.count()).select_from(enterprises)).scalar() == 0


def test_a_bad_signature_and_a_bad_batch_are_refused(pair: Pair) -> None:
    pair.secret = "wrong"
    assert _send(pair, _register_entries()).json()["error"]["code"] == "bad_signature"
    _key, pair.secret = pair.key_id, pair.secret
    body = b'{"entries": [{"id": 0, "kind": "other", "payload": {}}]}'
    key_id, secret = make_member(pair.province, ["2103"], name="另一市")
    headers = signed_headers(key_id, secret.encode(), "POST", BATCH_PATH, body)
    answer = pair.client.post(BATCH_PATH, content=body, headers=headers)
    assert answer.status_code == 422
    locations = {d["location"] for d in answer.json()["error"]["details"]}
    assert locations == {"body.entries.0.id", "body.entries.0.kind"}


def test_an_upstream_away_backs_off_as_it_asks_and_loses_nothing(pair: Pair) -> None:
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    with pair.city.begin() as conn:
        enterprise = register(conn)
    upload(pair.uplink, enterprise, message(range(2), 10.0))

    def away(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "120"}, json={"error": {}})

    clock = [1_800_000_000.0]
    down = Forwarder(
        pair.city,
        lambda: CITY_MASTER,
        adapters={"nenghao": lambda up: NenghaoProtocol(up, transport=httpx.MockTransport(away))},
        clock=lambda: clock[0],
    )
    assert down.run_round() == 0
    with pair.city.connect() as conn:
        state = conn.execute(select(federation_outbox.c.id)).all()
        assert len(state) == 3
    status = _state(pair.city)
    # first failure: backoff at most 2 s, but the upstream asked for 120 s
    assert status["next_attempt_at"] == 1_800_000_120
    assert status["failures"] == 1
    assert status["last_error"].startswith("HTTP 503")
    clock[0] += 60
    assert down.run_round() == 0  # still waiting: no attempt made
    assert _state(pair.city)["failures"] == 1
    up = pair.forwarder(clock=lambda: clock[0] + 61)
    assert up.run_round() == 3
    assert _state(pair.city)["failures"] == 0
    assert series(pair.province) == series(pair.city)


def _state(engine: Engine) -> dict:
    with engine.connect() as conn:
        from nenghao.store import federation

        state = federation.upstream_state(conn)
    assert state is not None
    return state


def test_backoff_doubles_to_its_cap_with_jitter_in_the_upper_half() -> None:
    backoff = Backoff(base_s=2.0, cap_s=300.0)
    rng = random.Random(7)
    # failures 1..9: ceilings 2, 4, 8, 16, 32, 64, 128, 256, then 512 capped at 300 s
    for failures, ceiling in [(1, 2), (2, 4), (3, 8), (4, 16), (8, 256), (9, 300), (20, 300)]:
        wait = backoff.delay(failures, None, rng)
        assert ceiling / 2 <= wait <= ceiling
    assert backoff.delay(1, 120.0, rng) == 120.0  # Retry-After longer than the backoff wins


def test_outbox_depth_counts_entries_and_readings(pair: Pair) -> None:
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    with pair.city.begin() as conn:
        enterprise = register(conn)
    upload(pair.uplink, enterprise, message(range(5), 1.0))
    with pair.city.connect() as conn:
        entries, records, oldest = outbox.depth(conn)
    # enterprise (1) + item (1) + readings entry carrying 5 readings
    assert (entries, records) == (3, 7)
    assert oldest is not None


def test_a_closed_month_is_forwarded_once_with_its_sums(pair: Pair) -> None:
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    with pair.city.begin() as conn:
        enterprise = register(conn)
    april_30 = datetime(2024, 4, 30, 0, 0, tzinfo=UTC)  # 08:00 CST
    for hour, value in ((0, 10.0), (1, 20.0), (2, 30.0)):
        upload(pair.uplink, enterprise, message(range(hour, hour + 1), value, hour0=april_30))
    # April 2024 (CST) starts 2024-04-01 00:00 CST = 2024-03-31 16:00 UTC
    april = 1_711_900_800
    may_3 = datetime(2024, 5, 3, 23, 0, tzinfo=CST).timestamp()  # April not closed yet
    may_4 = datetime(2024, 5, 4, 1, 0, tzinfo=CST).timestamp()  # 3 days after its end: closed
    first = pair.forwarder(clock=lambda: may_3)
    assert first.run_round() == 5  # register, item, three readings entries
    # March (31 days) is noted as closed, not sent: earlier data goes by backfill
    assert _state(pair.city)["closed_month"] == april - 31 * 86400
    assert pair.forwarder(clock=lambda: may_4).run_round() == 1  # April's month entry
    assert pair.forwarder(clock=lambda: may_4 + 86400).run_round() == 0  # once
    with pair.province.connect() as conn:
        rows = conn.execute(select(federation_months)).all()
    # April's sum: 10 + 20 + 30 = 60 kWh from 3 readings
    assert [(r.item_code, r.month_start, r.value, r.count) for r in rows] == [
        ("ent.electricity", april, 60.0, 3)
    ]


def test_removed_readings_are_removed_upstream(pair: Pair) -> None:
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    with pair.city.begin() as conn:
        enterprise = register(conn)
    upload(pair.uplink, enterprise, message(range(3), 10.0))
    # A register correction removes a derived reading (as `register_chain` does).
    with pair.city.begin() as conn:
        stored = stored_readings(conn, [(item_of(conn, enterprise), "hour", START + 3600)])
        remove_rows(conn, list(stored.values()), at=START + 7200, rolled_periods={})
    assert pair.forwarder().run_round() == 4  # register, item, readings, the removal
    assert sorted(series(pair.province)) == [
        ("ent.electricity", START),
        ("ent.electricity", START + 7200),
    ]


def item_of(conn, enterprise: int) -> int:  # type: ignore[no-untyped-def]
    return conn.execute(
        select(data_items.c.id).where(data_items.c.enterprise_id == enterprise)
    ).scalar_one()


def test_regulators_read_the_members_and_the_lag(pair: Pair) -> None:
    point_upstream(pair.city, "http://province", pair.key_id, pair.secret)
    with pair.city.begin() as conn:
        register(conn)
    assert pair.forwarder().run_round() == 2
    with pair.province.begin() as conn:
        user = users.create(
            conn, username="reg", password="correct-horse-7x", role="regulator", actor="t"
        )
        token = tokens.issue(conn, user["id"], 30).token
    answer = pair.client.get(
        "/api/v1/federation/status", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert (answer["upstream"], answer["outbox_entries"], answer["lag_s"]) == (None, 0, 0)
    [member] = answer["members"]
    assert (member["name"], member["divisions"], member["active"]) == ("鞍山市", ["2103"], True)
    assert (member["applied_entries"], member["enterprises"]) == (2, 1)
    assert member["last_batch_at"].endswith("Z") or "+" in member["last_batch_at"]
