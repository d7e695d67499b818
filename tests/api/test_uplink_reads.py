"""Device-signed reads (``GET /api/v1/uplink/items``, ``GET /api/v1/uplink/readings``) and
dry runs of ``POST /api/v1/uplink``: signed GETs with an empty body, only the signing key's
enterprise, nothing stored by a dry run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from api_support import assert_error_shape, credit_code
from sqlalchemy import func, insert, select, update

from nenghao.ingest.signing import sign, signed_headers
from nenghao.store.schema import (
    data_items,
    quarantine,
    readings,
    register_readings,
    rollups,
    uplink_archive,
    uplink_nonces,
)

ITEMS = "/api/v1/uplink/items"
READINGS = "/api/v1/uplink/readings"
UPLINK = "/api/v1/uplink"
HOUR = 3600
# 2024-05-01T00:00:00+08:00 = 2024-04-30T16:00:00Z
MAY_FIRST = int(datetime(2024, 4, 30, 16, tzinfo=UTC).timestamp())


def _item(conn, enterprise_id: int, code: str, **values) -> int:
    row = {
        "enterprise_id": enterprise_id,
        "code": code,
        "name": f"{code} 名称",
        "measures": "energy",
        "energy_kind": "electricity",
        "usage": "consumption",
        "unit": "kWh",
        "period": "hour",
        "created_at": 0,
        **values,
    }
    return conn.execute(insert(data_items).values(**row)).inserted_primary_key[0]


@pytest.fixture
def registry(engine, world) -> dict[str, int]:
    """Enterprise a: approved E01, changed E02 (register, 99999999.99 / 0.01), draft E03,
    inactive E04; enterprise c: approved C01."""
    a, c = world.enterprise_ids["a"], world.enterprise_ids["c"]
    with engine.begin() as conn:
        return {
            "E01": _item(conn, a, "E01", max_value=5000.0),
            "E02": _item(
                conn,
                a,
                "E02",
                value_kind="register",
                register_max=99999999.99,
                approval="changed",
            ),
            "E03": _item(conn, a, "E03", approval="draft"),
            "E04": _item(conn, a, "E04", active=False),
            "C01": _item(conn, c, "C01"),
        }


def signed_get(client, world, target: str, **sign_args):
    headers = signed_headers(
        world.key_id, world.device_secret.encode(), "GET", target, b"", **sign_args
    )
    return client.get(target, headers=headers)


def test_get_signature_covers_the_query_and_the_empty_body() -> None:
    # canonical string: GET / target with its query / timestamp / nonce / sha256 of b""
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    text = "\n".join(
        ("GET", "/api/v1/uplink/items?page=1", "1714530000", "AbCdEfGhIjKlMnOp_-12", empty)
    )
    import hashlib
    import hmac

    expected = hmac.new(b"demo-secret", text.encode(), hashlib.sha256).hexdigest()
    got = sign(
        b"demo-secret",
        "GET",
        "/api/v1/uplink/items?page=1",
        1714530000,
        "AbCdEfGhIjKlMnOp_-12",
        b"",
    )
    assert got == expected


def test_items_are_the_enterprises_accepting_items(client, world, registry) -> None:
    response = signed_get(client, world, ITEMS)
    assert response.status_code == 200, response.text
    page = response.json()
    assert [i["code"] for i in page["items"]] == ["E01", "E02"]  # no draft, inactive, or c's
    assert page["total"] == 2
    e01, e02 = page["items"]
    assert e01["value_kind"] == "interval"
    assert e01["register_resolution"] is None
    assert e01["bound"] == 5000.0  # its own max_value, below the kWh bound 1e11
    assert e01["approval"] == "approved"
    assert e02["value_kind"] == "register"
    assert e02["register_max"] == 99999999.99
    assert e02["register_resolution"] == 0.01  # not registered: decoding's default
    assert e02["bound"] == 1e11  # kWh dimension bound (appendix E)
    assert e02["approval"] == "changed"


def test_reads_are_paged_and_the_query_is_signed(client, world, registry) -> None:
    target = f"{ITEMS}?page=2&page_size=1"
    response = signed_get(client, world, target)
    assert response.json()["items"][0]["code"] == "E02"
    headers = signed_headers(world.key_id, world.device_secret.encode(), "GET", ITEMS, b"")
    tampered = client.get(f"{ITEMS}?page=2", headers=headers)  # the query was not signed
    assert_error_shape(tampered, 401, "bad_signature")


def test_user_tokens_and_unsigned_reads_are_401(client, world, registry) -> None:
    for path in (ITEMS, f"{READINGS}?range=2024-05"):
        for role in (None, "admin", "enterprise"):
            response = client.get(path, headers=world.headers(role))
            assert_error_shape(response, 401, "missing_signature_field")
    # the signature is checked before the parameters: an unsigned bad query learns nothing
    assert_error_shape(client.get(f"{READINGS}?range=nonsense"), 401, "missing_signature_field")


def test_a_replayed_read_is_refused(client, world, registry) -> None:
    first = signed_get(client, world, ITEMS, nonce="n" * 20)
    assert first.status_code == 200
    again = signed_get(client, world, ITEMS, nonce="n" * 20)
    assert_error_shape(again, 401, "replayed_nonce")


def _message(world, *records, dry_run: bool | None = None) -> bytes:
    body = {
        "protocol": "nenghao-uplink/1",
        "credit_code": credit_code("a", "210302"),
        "device_id": world.key_id,
        "sent_at": datetime.now(UTC).isoformat(),
        "message_id": "m-1",
        "records": list(records),
    }
    if dry_run is not None:
        body["dry_run"] = dry_run
    return json.dumps(body).encode()


def _start(instant: int) -> str:
    return datetime.fromtimestamp(instant, UTC).isoformat()


def _post(client, world, body: bytes):
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", UPLINK, body)
    return client.post(UPLINK, content=body, headers=headers)


def test_read_back_gives_values_revisions_sources_and_gap_flags(
    client, world, registry, engine
) -> None:
    # E02 (register, hourly): readings 100.0 at 00:00 and 130.0 at 03:00 (CST, 1 May 2024):
    # 30 kWh over 3 hours -> 10 kWh per hour, each flagged gap_spanned over 3 periods,
    # the first with register_value 100.0, the others none.
    # E01 (interval): 5.0 at 00:00, then revised to 6.0 (revision 2).
    body = _message(
        world,
        {"item": "E02", "period": "hour", "start": _start(MAY_FIRST), "register": 100.0,
         "unit": "kWh"},
        {"item": "E02", "period": "hour", "start": _start(MAY_FIRST + 3 * HOUR),
         "register": 130.0, "unit": "kWh"},
        {"item": "E01", "period": "hour", "start": _start(MAY_FIRST), "value": 5.0,
         "unit": "kWh"},
    )  # fmt: skip
    assert _post(client, world, body).status_code == 200
    revised = _message(
        world,
        {"item": "E01", "period": "hour", "start": _start(MAY_FIRST), "value": 6.0,
         "unit": "kWh"},
    )  # fmt: skip
    assert _post(client, world, revised).json()["results"][0]["status"] == "revised"
    response = signed_get(client, world, f"{READINGS}?range=2024-05-01")
    assert response.status_code == 200, response.text
    rows = response.json()["items"]
    assert [(r["item"], r["start"]) for r in rows] == [
        ("E01", "2024-04-30T16:00:00Z"),
        ("E02", "2024-04-30T16:00:00Z"),
        ("E02", "2024-04-30T17:00:00Z"),
        ("E02", "2024-04-30T18:00:00Z"),
    ]
    e01 = rows[0]
    assert (e01["value"], e01["revision"], e01["source"], e01["flags"]) == (6.0, 2, "http", [])
    assert e01["gap_periods"] is None
    for row in rows[1:]:
        assert row["value"] == pytest.approx(10.0)
        assert row["flags"] == ["gap_spanned"]
        assert row["gap_periods"] == 3
        assert row["quality"] == "estimated"
    assert [r["register_value"] for r in rows[1:]] == [100.0, None, None]
    one = signed_get(client, world, f"{READINGS}?range=2024-05-01&item=E01")
    assert [r["item"] for r in one.json()["items"]] == ["E01"]


def test_read_back_is_range_capped_and_scoped(client, world, registry, engine) -> None:
    too_long = signed_get(client, world, f"{READINGS}?range=2024-01-01..2025-01-31")
    assert_error_shape(too_long, 422, "range_too_large")
    with engine.begin() as conn:  # a reading of enterprise c
        conn.execute(
            insert(readings).values(
                item_id=registry["C01"],
                period="hour",
                period_start=MAY_FIRST,
                value=1.0,
                source="http",
                received_at=MAY_FIRST,
            )
        )
    response = signed_get(client, world, f"{READINGS}?range=2024-05&item=C01")
    assert response.json() == {"items": [], "total": 0, "page": 1, "page_size": 50}


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (
                readings,
                register_readings,
                rollups,
                quarantine,
                uplink_archive,
                uplink_nonces,
            )
        }


def test_dry_run_answers_like_a_real_upload_and_stores_nothing(
    client, world, registry, engine
) -> None:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    records = [
        {"item": "E01", "period": "hour", "start": start.isoformat(), "value": 5.0, "unit": "kWh"},
        {"item": "E03", "period": "hour", "start": start.isoformat(), "value": 5.0, "unit": "kWh"},
        {"item": "NOPE", "period": "hour", "start": start.isoformat(), "value": 1.0, "unit": "kWh"},
        {"item": "E01", "period": "hour", "start": (start - timedelta(hours=1)).isoformat(),
         "value": 9000.0, "unit": "kWh"},
    ]  # fmt: skip
    before = _counts(engine)
    dry = _post(client, world, _message(world, *records, dry_run=True))
    assert dry.status_code == 200, dry.text
    assert _counts(engine) == before  # no reading, archive, quarantine entry or nonce
    answer = dry.json()
    assert answer["dry_run"] is True
    real = _post(client, world, _message(world, *records)).json()
    assert "dry_run" not in real
    assert answer["results"] == real["results"]
    assert [r["status"] for r in real["results"]] == [
        "accepted",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert [r.get("code") for r in real["results"]] == [
        None,
        "item_not_approved",
        "unknown_item",
        "value_too_large",
    ]
    # After the real upload, a dry run of the same records answers duplicate, again storing
    # nothing.
    stored = _counts(engine)
    again = _post(client, world, _message(world, records[0], dry_run=True)).json()
    assert again["results"] == [{"index": 0, "status": "duplicate", "revision": 1}]
    assert _counts(engine) == stored


def test_a_dry_run_refused_whole_is_not_archived(client, world, registry, engine) -> None:
    before = _counts(engine)
    bad = _message(
        world,
        {"item": "E01", "period": "hour", "start": "2024-05-01T00:30:00+08:00", "value": 1.0,
         "unit": "kWh"},
        dry_run=True,
    )  # fmt: skip
    response = _post(client, world, bad)
    assert_error_shape(response, 422, "misaligned_start")
    assert _counts(engine) == before
    real = _post(client, world, bad.replace(b', "dry_run": true', b""))
    assert_error_shape(real, 422, "misaligned_start")
    assert _counts(engine)["uplink_archive"] == before["uplink_archive"] + 1


def test_dry_run_must_be_a_boolean(client, world, registry) -> None:
    start = "2024-05-01T00:00:00+08:00"
    body = json.loads(
        _message(
            world,
            {"item": "E01", "period": "hour", "start": start, "value": 1.0, "unit": "kWh"},
        )
    )
    body["dry_run"] = "yes"
    response = _post(client, world, json.dumps(body).encode())
    assert_error_shape(response, 422, "wrong_type")


def test_item_codes_in_reads_are_checked_after_the_signature(client, world, registry) -> None:
    response = signed_get(client, world, f"{READINGS}?range=2024-05&item=a%20b")
    assert_error_shape(response, 422)
    with pytest.raises(AssertionError):
        assert_error_shape(response, 401)


def test_update_approval_shows_in_discovery(client, world, registry, engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(data_items).where(data_items.c.code == "E03").values(approval="approved")
        )
    codes = [i["code"] for i in signed_get(client, world, ITEMS).json()["items"]]
    assert codes == ["E01", "E02", "E03"]


@pytest.mark.parametrize("query", ["page=9223372036854775808", "page_size=18446744073709551616"])
def test_huge_paging_of_signed_reads_is_422(client, world, registry, query) -> None:
    for path in (f"{ITEMS}?{query}", f"{READINGS}?range=2024-05&{query}"):
        error = assert_error_shape(signed_get(client, world, path), 422, "validation_error")
        assert error["details"][0]["location"] == f"query.{query.split('=')[0]}"
