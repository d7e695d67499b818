"""Device status and fault reports over the API: messages from the gateway move the counters
in their own transaction; enterprises report and close faults; regulators see the overdue
repairs. Every error in the one shape (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from api_support import assert_error_shape, credit_code
from sqlalchemy import func, insert, select

from nenghao.ingest.signing import signed_headers
from nenghao.standards.calendar import cst_date
from nenghao.store.schema import audit_log, data_items, readings, status_days

NOW = datetime.now(UTC)
HOUR = NOW.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


@pytest.fixture
def hourly(engine, world) -> None:
    """An hourly electricity item of every enterprise, registered long ago."""
    with engine.begin() as conn:
        for label in "abc":
            conn.execute(
                insert(data_items).values(
                    enterprise_id=world.enterprise_ids[label],
                    code="E01",
                    name="全厂电力",
                    measures="energy",
                    usage="consumption",
                    unit="kWh",
                    period="hour",
                    created_at=0,
                )
            )


def send(client, world, message_id: str, hours: list[int]) -> None:
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": credit_code("a", "210302"),
            "device_id": world.key_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "message_id": message_id,
            "records": [
                {
                    "item": "E01",
                    "period": "hour",
                    "start": (HOUR - timedelta(hours=h)).isoformat(),
                    "value": 5.0,
                    "unit": "kWh",
                }
                for h in hours
            ],
        }
    ).encode()
    headers = signed_headers(
        world.key_id, world.device_secret.encode(), "POST", "/api/v1/uplink", body
    )
    response = client.post("/api/v1/uplink", content=body, headers=headers)
    assert response.status_code == 200, response.text


def test_gateway_messages_make_the_enterprise_online(client, world, engine, hourly) -> None:
    send(client, world, "m-1", [0, 1])
    send(client, world, "m-2", [2, 0])  # hour 0 again: a duplicate, no new record
    regulator = world.headers("regulator")
    listing = client.get("/api/v1/status/enterprises", headers=regulator).json()
    states = {row["enterprise_id"]: row["state"] for row in listing["items"]}
    ids = world.enterprise_ids
    assert states == {ids["a"]: "online", ids["b"]: "never", ids["c"]: "never"}
    with engine.connect() as conn:
        stored = conn.execute(select(readings.c.period_start)).scalars().all()
        counted = conn.execute(select(func.sum(status_days.c.records))).scalar_one()
    assert len(stored) == counted == 3
    detail = client.get(f"/api/v1/enterprises/{ids['a']}/status?days=3", headers=regulator)
    body = detail.json()
    assert detail.status_code == 200, body
    by_day = {row["day"]: row["received"] for row in body["days"]}
    for start in stored:
        by_day[cst_date(start).isoformat()] -= 1
    assert set(by_day.values()) == {0}
    (key,) = body["credentials"]
    assert key["key_id"] == world.key_id
    assert key["last_seen_at"] is not None
    assert sum(d["messages"] for d in key["days"]) == 2
    assert sum(d["records"] for d in key["days"]) == 4  # records the messages carried
    only_never = client.get("/api/v1/status/enterprises?state=never", headers=regulator).json()
    assert only_never["total"] == 2
    district = client.get("/api/v1/status/enterprises", headers=world.headers("district")).json()
    assert {row["enterprise_id"] for row in district["items"]} == {ids["a"], ids["b"]}
    grid = client.get("/api/v1/status/districts", headers=regulator).json()["districts"]
    cells = {cell["division_code"]: cell for cell in grid}
    assert (cells["210302"]["online"], cells["210302"]["never"]) == (1, 1)
    assert cells["210302"]["division_name"] == "铁东区"
    assert cells["210381"]["never"] == 1


def fault(days_ago: int, repair_in: int, **extra) -> dict:
    start = NOW - timedelta(days=days_ago)
    due = (NOW + timedelta(hours=8)).date() + timedelta(days=repair_in)
    return {
        "cause": "通信中断",
        "started_at": start.isoformat(),
        "expected_repair": due.isoformat(),
        **extra,
    }


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (fault(1, -3), "fault_repair_before_start"),
        (fault(1, 2, cause="雷击"), "unknown_fault_cause"),
        (fault(-2, 3), "fault_start_in_future"),
        (fault(1, 2, cause="other"), "fault_cause_text_missing"),
        (fault(1, 2, key_id="nhk_0000000000000000"), "fault_unknown_key"),
        ({**fault(1, 2), "started_at": "2025-03-01T08:00:00"}, "validation_error"),
    ],
)
def test_bad_fault_reports_are_422_and_store_nothing(client, world, engine, body, code) -> None:
    url = f"/api/v1/enterprises/{world.enterprise_ids['a']}/faults"
    headers = {**world.headers("enterprise"), "Accept-Language": "zh-CN"}
    error = assert_error_shape(client.post(url, json=body, headers=headers), 422, code)
    assert error["message"]
    listing = client.get(url, headers=world.headers("enterprise")).json()
    assert listing["total"] == 0


def test_fault_report_lifecycle_and_overdue_repairs(client, world, engine) -> None:
    ids = world.enterprise_ids
    mine = world.headers("enterprise")
    regulator = world.headers("regulator")
    url = f"/api/v1/enterprises/{ids['a']}/faults"
    current = client.post(url, json=fault(1, 3, key_id=world.key_id), headers=mine)
    assert current.status_code == 201, current.text
    assert current.json()["cause"] == "communication"
    assert current.json()["cause_name"] == "通信中断"
    late = client.post(url, json=fault(6, -2, cause="meter", note="电表烧毁"), headers=mine)
    assert late.status_code == 201, late.text
    outside = client.post(f"/api/v1/enterprises/{ids['c']}/faults", json=fault(1, 1), headers=mine)
    assert_error_shape(outside, 404, "enterprise_not_found")
    assert_error_shape(
        client.post(url, json=fault(1, 1), headers=world.headers("district")), 403, "forbidden"
    )
    seen = client.get("/api/v1/faults", headers=regulator).json()
    assert seen["total"] == 2
    overdue = client.get("/api/v1/faults?overdue=true", headers=regulator).json()
    assert [row["id"] for row in overdue["items"]] == [late.json()["id"]]
    assert overdue["items"][0]["enterprise_name"] == "鞍钢示范钢铁有限公司"
    status = client.get("/api/v1/status/enterprises", headers=regulator).json()["items"]
    row = next(r for r in status if r["enterprise_id"] == ids["a"])
    assert row["open_fault"]["id"] == current.json()["id"]  # the latest open report
    repair = f"{url}/{late.json()['id']}/repair"
    fixed = client.post(repair, json={"note": "已更换"}, headers=mine)
    assert fixed.status_code == 200
    assert fixed.json()["status"] == "repaired"
    assert client.get("/api/v1/faults?overdue=true", headers=regulator).json()["total"] == 0
    assert_error_shape(client.post(repair, headers=mine), 409, "fault_closed")
    with engine.connect() as conn:
        actions = conn.execute(
            select(audit_log.c.action).where(audit_log.c.entity == "fault_report")
        ).scalars()
        assert sorted(actions) == ["repair", "report", "report"]
    assert date.fromisoformat(fixed.json()["expected_repair"]) < cst_date(int(NOW.timestamp()))
