"""Alerts over HTTP: scoped lists, acknowledge and resolve with audit, rule settings and
channels (secrets never answered nor audited)."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape

from nenghao.monitor.alerting import Candidate
from nenghao.store import alerts

SECRET = "webhook-secret-0123456789"


@pytest.fixture
def raised(engine, world):
    ids = {}
    with engine.begin() as conn:
        for label, division in (("a", "210302"), ("c", "210381")):
            candidate = Candidate(
                "completeness",
                f"item:{label}",
                f"gap at {label}",
                "18 of 24 readings",
                "warning",
                world.enterprise_ids[label],
                division,
            )
            row, _ = alerts.raise_alert(conn, candidate.values(), 1_700_000_000)
            ids[label] = row["id"]
    return ids


def _ids(client, world, role, **params):
    answer = client.get("/api/v1/alerts", params=params, headers=world.headers(role))
    assert answer.status_code == 200, answer.text
    return sorted(item["id"] for item in answer.json()["items"])


def test_lists_are_scoped(client, world, raised):
    assert _ids(client, world, "regulator") == sorted(raised.values())
    assert _ids(client, world, "district") == [raised["a"]]
    assert _ids(client, world, "enterprise") == [raised["a"]]
    assert _ids(client, world, "auditor", status="resolved") == []
    missing = client.get(f"/api/v1/alerts/{raised['c']}", headers=world.headers("enterprise"))
    assert_error_shape(missing, 404, "alert_not_found")


def test_alerts_name_their_enterprise(client, world, raised):
    headers = world.headers("regulator")
    names = {
        label: client.get(
            f"/api/v1/enterprises/{world.enterprise_ids[label]}", headers=headers
        ).json()["name"]
        for label in raised
    }
    listed = client.get("/api/v1/alerts", headers=headers).json()["items"]
    assert {item["id"]: item["enterprise_name"] for item in listed} == {
        raised[label]: names[label] for label in raised
    }
    one = client.get(f"/api/v1/alerts/{raised['a']}", headers=world.headers("enterprise"))
    assert one.json()["enterprise_name"] == names["a"]
    ack = client.post(
        f"/api/v1/alerts/{raised['a']}/acknowledge", json={}, headers=world.headers("enterprise")
    )
    assert ack.json()["enterprise_name"] == names["a"]


def test_acknowledge_then_resolve_with_comment(client, world, raised):
    url = f"/api/v1/alerts/{raised['a']}"
    headers = world.headers("enterprise")
    ack = client.post(f"{url}/acknowledge", json={"comment": "查看中"}, headers=headers)
    assert ack.status_code == 200, ack.text
    assert (ack.json()["status"], ack.json()["acknowledged_by"]) == ("acknowledged", "enterprise")
    no_comment = client.post(f"{url}/resolve", json={}, headers=headers)
    assert_error_shape(no_comment, 422, "validation_error")
    done = client.post(f"{url}/resolve", json={"comment": "网关已修复"}, headers=headers)
    assert done.json()["resolve_comment"] == "网关已修复"
    twice = client.post(f"{url}/resolve", json={"comment": "again"}, headers=headers)
    assert_error_shape(twice, 409, "alert_state")
    other = client.post(f"/api/v1/alerts/{raised['c']}/acknowledge", json={}, headers=headers)
    assert_error_shape(other, 404, "alert_not_found")
    trail = client.get(
        "/api/v1/audit", params={"entity": "alert"}, headers=world.headers("auditor")
    ).json()
    assert [row["action"] for row in trail["items"]] == ["alert.resolve", "alert.acknowledge"]
    assert {row["actor"] for row in trail["items"]} == {"enterprise"}


def test_rule_settings(client, world):
    headers = world.headers("regulator")
    put = client.put(
        "/api/v1/alerts/rules",
        json={"rule": "device_offline", "severity": "critical", "params": {"offline_hours": 6}},
        headers=headers,
    )
    assert put.status_code == 200, put.text
    assert put.json()["params"] == {"offline_hours": 6}
    rules = {
        r["name"]: r for r in client.get("/api/v1/alerts/rules", headers=headers).json()["items"]
    }
    assert rules["device_offline"]["customised"] is True
    assert rules["quota_above_limit"]["kind"] == "external"
    bad = client.put(
        "/api/v1/alerts/rules",
        json={"rule": "spike", "severity": "warning", "params": {"offline_hours": 1}},
        headers=headers,
    )
    assert_error_shape(bad, 422, "invalid_rule_setting")
    ratio = client.put(
        "/api/v1/alerts/rules",
        json={"rule": "completeness", "severity": "warning", "params": {"completeness_min": 2}},
        headers=headers,
    )
    assert_error_shape(ratio, 422, "invalid_rule_setting")


def test_channels_never_show_their_secret(client, world):
    headers = world.headers("admin")
    body = {"name": "ops", "kind": "webhook", "target": "https://hooks.example/a", "secret": SECRET}
    created = client.post("/api/v1/alerts/channels", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["has_secret"] is True
    assert SECRET not in created.text
    duplicate = client.post("/api/v1/alerts/channels", json=body, headers=headers)
    assert_error_shape(duplicate, 409, "channel_exists")
    bad = client.post(
        "/api/v1/alerts/channels",
        json={"name": "mail", "kind": "email", "target": "not-an-address"},
        headers=headers,
    )
    assert_error_shape(bad, 422, "invalid_target")
    channel_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/alerts/channels/{channel_id}",
        json={"secret": SECRET + "-new", "min_severity": "critical"},
        headers=headers,
    )
    assert patched.json()["min_severity"] == "critical"
    listed = client.get("/api/v1/alerts/channels", headers=headers)
    audit = client.get("/api/v1/audit", params={"entity": "channel"}, headers=headers)
    for answer in (patched, listed, audit):
        assert SECRET not in answer.text
    removed = client.delete(f"/api/v1/alerts/channels/{channel_id}", headers=headers)
    assert removed.status_code == 200


@pytest.fixture
def regulated(engine, world):
    """A quota alert on enterprise a (district 210302) and one on c (210381)."""
    ids = {}
    with engine.begin() as conn:
        for label, division in (("a", "210302"), ("c", "210381")):
            candidate = Candidate(
                "quota_above_limit",
                f"product:{label}:2025-01",
                f"超限额：{label}",
                "单位产品能耗超过3级限定值",
                "critical",
                world.enterprise_ids[label],
                division,
            )
            row, _ = alerts.raise_alert(conn, candidate.values(), 1_700_000_000)
            ids[label] = row["id"]
    return ids


def _trail(client, world):
    answer = client.get(
        "/api/v1/audit", params={"entity": "alert"}, headers=world.headers("auditor")
    )
    return [(row["action"], row["actor"]) for row in answer.json()["items"]]


def test_enterprise_cannot_close_a_quota_alert_but_may_add_a_rectification_note(
    client, world, regulated
):
    url = f"/api/v1/alerts/{regulated['a']}"
    headers = world.headers("enterprise")
    assert client.get(url, headers=headers).json()["regulated"] is True
    refused = client.post(f"{url}/resolve", json={"comment": "已整改"}, headers=headers)
    assert_error_shape(refused, 403, "alert_regulator_only")
    message = refused.json()["error"]["message"]
    assert message.startswith("此告警属于监管判定"), message
    note = client.post(
        f"{url}/rectification", json={"note": "三号窑炉已更换燃烧器，下月复测"}, headers=headers
    )
    assert note.status_code == 200, note.text
    body = note.json()
    assert (body["status"], body["rectification_note"], body["rectification_by"]) == (
        "open",
        "三号窑炉已更换燃烧器，下月复测",
        "enterprise",
    )
    empty = client.post(f"{url}/rectification", json={"note": ""}, headers=headers)
    assert_error_shape(empty, 422, "validation_error")
    still = client.get(url, headers=world.headers("regulator")).json()
    assert (still["status"], still["rectification_note"]) == (
        "open",
        "三号窑炉已更换燃烧器，下月复测",
    )
    assert _trail(client, world) == [
        ("alert.rectify", "enterprise"),
        ("alert.resolve_refused", "enterprise"),
    ]


def test_regulator_closes_a_quota_alert(client, world, regulated):
    url = f"/api/v1/alerts/{regulated['c']}/resolve"
    done = client.post(url, json={"comment": "复核后关闭"}, headers=world.headers("regulator"))
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["resolved_by"]) == ("resolved", "regulator")
    assert _trail(client, world) == [("alert.resolve", "regulator")]


def test_district_closes_a_quota_alert_only_in_its_division(client, world, regulated):
    headers = world.headers("district")
    other = client.post(
        f"/api/v1/alerts/{regulated['c']}/resolve", json={"comment": "x"}, headers=headers
    )
    assert_error_shape(other, 404, "alert_not_found")
    own = client.post(
        f"/api/v1/alerts/{regulated['a']}/resolve", json={"comment": "已核查"}, headers=headers
    )
    assert own.status_code == 200, own.text
    assert own.json()["resolved_by"] == "district"


def test_enterprise_still_resolves_a_data_quality_alert(client, world, raised):
    answer = client.get(f"/api/v1/alerts/{raised['a']}", headers=world.headers("enterprise"))
    assert answer.json()["regulated"] is False


def test_regulated_rules_are_rules_of_the_monitor():
    from nenghao.monitor.alerting import RULES

    assert alerts.REGULATED_RULES.issubset(RULES)
    assert {"quota_above_limit", "target_warning"} <= alerts.REGULATED_RULES
    assert not {"completeness", "gap", "spike", "device_offline"} & alerts.REGULATED_RULES
