"""The collection plan (采集方案) through the API: submit, return with a comment, resubmit,
approve; scope; bad input; the uplink of an item not yet approved goes to the quarantine and
is accepted after approval; every step audited. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from api_support import assert_error_shape, credit_code
from sqlalchemy import insert, select

from nenghao.ingest.signing import signed_headers
from nenghao.store.schema import audit_log, data_items

UPLINK = "/api/v1/uplink"
LAST_HOUR = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
ELECTRICITY = {"name": "全厂电力消耗", "measures": "energy", "energy_kind": "电力"}
ELECTRICITY |= {"unit": "kWh", "period": "hour"}


def _plan(world, label: str = "a") -> str:
    return f"/api/v1/enterprises/{world.enterprise_ids[label]}/plan"


def _post(client, world, path: str, role: str, body: dict | None = None):
    return client.post(path, json=body or {}, headers=world.headers(role))


def _upload(client, world, code: str, hours_back: int = 0) -> dict:
    start = LAST_HOUR - timedelta(hours=hours_back)
    record = {"item": code, "period": "hour", "start": start.isoformat()}
    record |= {"value": 5.0, "unit": "kWh"}
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": credit_code("a", "210302"),
            "device_id": world.key_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "message_id": f"m-{code}-{hours_back}",
            "records": [record],
        }
    ).encode()
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", UPLINK, body)
    answer = client.post(UPLINK, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


def _approved_item(engine, world, code: str, label: str = "a") -> int:
    """An item stored as before the collection plan existed (approved by the default)."""
    with engine.begin() as conn:
        return conn.execute(
            insert(data_items).values(
                enterprise_id=world.enterprise_ids[label],
                code=code,
                name=code,
                measures="energy",
                energy_kind="electricity",
                usage="consumption",
                unit="kWh",
                period="hour",
                created_at=0,
            )
        ).inserted_primary_key[0]


def test_submit_return_resubmit_approve_and_the_uplink_rule(client, world, engine) -> None:
    items = f"/api/v1/enterprises/{world.enterprise_ids['a']}/items"
    made = client.post(items, json=ELECTRICITY, headers=world.headers("enterprise")).json()
    assert made["approval"] == "draft"
    plan = client.get(_plan(world), headers=world.headers("enterprise")).json()
    assert (plan["status"], plan["latest"], plan["pending_counts"]["added"]) == ("draft", None, 1)

    # data for a draft item: quarantined with its reason, not refused, not lost
    first = _upload(client, world, made["code"])
    assert (first["status"], first["code"]) == ("rejected", "item_not_approved")
    held = client.get("/api/v1/quarantine", headers=world.headers("enterprise")).json()["items"]
    assert [(e["code"], e["reason_zh"]) for e in held] == [
        ("item_not_approved", "数据项未经采集方案审核通过")
    ]

    submitted = _post(client, world, _plan(world) + "/submit", "enterprise", {"note": "首次"})
    assert submitted.status_code == 201, submitted.text
    version = submitted.json()
    assert (version["version"], version["status"], version["counts"]["added"]) == (
        1,
        "submitted",
        1,
    )
    assert [i["code"] for i in version["snapshot"]] == [made["code"]]
    again = _post(client, world, _plan(world) + "/submit", "enterprise")
    assert_error_shape(again, 409, "plan_already_submitted")
    # the enterprise may not review its own plan; a return needs a comment
    assert_error_shape(_post(client, world, _plan(world) + "/approve", "enterprise"), 403)
    missing = _post(client, world, _plan(world) + "/return", "district")
    assert_error_shape(missing, 422, "validation_error")
    bare = _post(client, world, _plan(world) + "/return", "district", {"comment": "  "})
    assert assert_error_shape(bare, 422, "plan_comment_required")["details"]["field"] == "comment"
    returned = _post(client, world, _plan(world) + "/return", "district", {"comment": "名称不规范"})
    assert (returned.json()["status"], returned.json()["reviewed_by"]) == ("returned", "district")

    seen = client.get(_plan(world), headers=world.headers("enterprise")).json()
    assert (seen["status"], seen["latest"]["comment"]) == ("returned", "名称不规范")
    assert_error_shape(_post(client, world, _plan(world) + "/approve", "district"), 409)
    renamed = {"name": "全厂电力消耗（总表）", "reason": "按审核意见改名"}
    changed = client.patch(
        f"{items}/{made['id']}", json=renamed, headers=world.headers("enterprise")
    )
    assert changed.json()["approval"] == "draft"  # a draft stays a draft when changed
    second = _post(client, world, _plan(world) + "/submit", "enterprise").json()
    assert second["version"] == 2
    assert second["snapshot"][0]["name"] == "全厂电力消耗（总表）"

    approved = _post(client, world, _plan(world) + "/approve", "district", {"comment": "同意"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    after = client.get(_plan(world), headers=world.headers("enterprise")).json()
    assert after["status"] == "approved"
    assert [i["approval"] for i in after["plan_items"]] == ["approved"]

    # the quarantined record is accepted on re-processing; new data is accepted at once
    redo = _post(client, world, f"/api/v1/quarantine/{held[0]['id']}/reprocess", "enterprise")
    assert redo.json()["result"]["status"] == "accepted", redo.text
    assert _upload(client, world, made["code"], hours_back=1)["status"] == "accepted"

    listed = client.get(_plan(world) + "/versions", headers=world.headers("auditor")).json()
    assert [(v["version"], v["status"]) for v in listed["items"]] == [
        (2, "approved"),
        (1, "returned"),
    ]
    one = client.get(_plan(world) + "/versions/1", headers=world.headers("enterprise")).json()
    assert (one["comment"], one["note"], one["snapshot"][0]["name"]) == (
        "名称不规范",
        "首次",
        "全厂电力消耗",
    )
    with engine.connect() as conn:
        trail = conn.execute(
            select(audit_log.c.actor, audit_log.c.action)
            .where(audit_log.c.entity == "collection_plan")
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(row) for row in trail] == [
        ("enterprise", "submit"),
        ("district", "return"),
        ("enterprise", "submit"),
        ("district", "approve"),
    ]


def test_a_change_to_an_approved_item_keeps_data_flowing_and_is_reviewed(
    client, world, engine
) -> None:
    item = _approved_item(engine, world, "E01")
    gone = _approved_item(engine, world, "E02")
    items = f"/api/v1/enterprises/{world.enterprise_ids['a']}/items"
    plan = client.get(_plan(world), headers=world.headers("enterprise")).json()
    assert (plan["status"], plan["pending_counts"]) == (
        "approved",
        {"added": 0, "changed": 0, "deactivated": 0},
    )
    # a first approval records the items as they stand
    _post(client, world, _plan(world) + "/submit", "enterprise")
    _post(client, world, _plan(world) + "/approve", "regulator")
    patch = {"max_value": 900.0, "reason": "更换表计"}
    answer = client.patch(f"{items}/{item}", json=patch, headers=world.headers("enterprise"))
    assert answer.json()["approval"] == "changed", answer.text
    client.post(f"{items}/{gone}/deactivate", json={}, headers=world.headers("enterprise"))
    assert _upload(client, world, "E01")["status"] == "accepted"  # not blocked
    pending = client.get(_plan(world), headers=world.headers("district")).json()
    assert pending["status"] == "draft"
    assert pending["pending"]["changed"] == [
        {"id": item, "code": "E01", "name": "E01", "fields": {"max_value": [None, 900.0]}}
    ]
    assert [g["code"] for g in pending["pending"]["deactivated"]] == ["E02"]
    version = _post(client, world, _plan(world) + "/submit", "admin").json()
    assert version["counts"] == {"added": 0, "changed": 1, "deactivated": 1}
    _post(client, world, _plan(world) + "/approve", "admin")
    final = client.get(_plan(world), headers=world.headers("enterprise")).json()
    assert final["status"] == "approved"
    assert {i["code"]: i["approval"] for i in final["plan_items"]} == {
        "E01": "approved",
        "E02": "approved",
    }


def test_scope_bad_input_and_the_list_awaiting_review(client, world, engine) -> None:
    # an enterprise without items: an empty plan is refused and nothing is stored
    empty = _post(client, world, _plan(world, "b") + "/submit", "admin")
    assert_error_shape(empty, 422, "plan_empty")
    assert (
        client.get(_plan(world, "b") + "/versions", headers=world.headers("admin")).json()["total"]
        == 0
    )
    _approved_item(engine, world, "E01", "c")
    _approved_item(engine, world, "E01", "a")
    assert _post(client, world, _plan(world, "c") + "/submit", "admin").status_code == 201
    assert _post(client, world, _plan(world, "a") + "/submit", "enterprise").status_code == 201
    # district 210302 does not see enterprise c (210381): it cannot review it
    foreign = _post(client, world, _plan(world, "c") + "/approve", "district")
    assert_error_shape(foreign, 404, "enterprise_not_found")
    assert_error_shape(client.get(_plan(world, "c"), headers=world.headers("enterprise")), 404)
    assert_error_shape(
        client.get(_plan(world) + "/versions/9", headers=world.headers("admin")),
        404,
        "plan_version_not_found",
    )
    names = {
        role: [
            p["enterprise_id"]
            for p in client.get("/api/v1/plans", headers=world.headers(role)).json()["items"]
        ]
        for role in ("regulator", "district", "enterprise")
    }
    ids = world.enterprise_ids
    assert names == {
        "regulator": [ids["c"], ids["a"]],
        "district": [ids["a"]],
        "enterprise": [ids["a"]],
    }
    _post(client, world, _plan(world, "c") + "/approve", "regulator")
    waiting = client.get("/api/v1/plans", headers=world.headers("regulator")).json()
    assert [p["enterprise_name"] for p in waiting["items"]] == [
        client.get(f"/api/v1/enterprises/{ids['a']}", headers=world.headers("admin")).json()["name"]
    ]
    done = client.get(
        "/api/v1/plans", params={"status": "approved"}, headers=world.headers("regulator")
    ).json()
    assert [p["enterprise_id"] for p in done["items"]] == [ids["c"]]
