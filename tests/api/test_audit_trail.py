"""Every write lands in the audit log with before/after; secrets appear nowhere."""

from __future__ import annotations

import json
import logging

from api_support import credit_code
from sqlalchemy import select

from nenghao.store.schema import audit_log, device_credentials, users


def _audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(audit_log).order_by(audit_log.c.id))]


def _writes(client, world) -> dict[str, dict]:
    """Perform one of every write; returns the answers by name."""
    admin, regulator = world.headers("admin"), world.headers("regulator")
    body = {
        "credit_code": credit_code("n", "210381"),
        "name": "新企业",
        "division_code": "210381",
        "industry_code": "3110",
    }
    answers = {
        "create_enterprise": client.post("/api/v1/enterprises", json=body, headers=regulator),
        "update_enterprise": client.patch(
            f"/api/v1/enterprises/{world.enterprise_ids['b']}",
            json={"name": "铁东轧钢股份有限公司", "key_unit_level": "designated"},
            headers=regulator,
        ),
        "create_user": client.post(
            "/api/v1/users",
            json={"username": "new-user", "password": "s3cret-passw0rd", "role": "regulator"},
            headers=admin,
        ),
        "issue_device": client.post(
            f"/api/v1/enterprises/{world.enterprise_ids['c']}/devices",
            json={"label": "gw-c"},
            headers=admin,
        ),
        "revoke_device": client.post(f"/api/v1/devices/{world.key_id}/revoke", headers=admin),
    }
    uid = answers["create_user"].json()["id"]
    answers["update_user"] = client.patch(
        f"/api/v1/users/{uid}",
        json={"display_name": "新用户", "password": "0ther-passw0rd"},
        headers=admin,
    )
    answers["logout"] = client.post("/api/v1/auth/logout", headers=world.headers("auditor"))
    for name, response in answers.items():
        assert response.status_code < 300, (name, response.text)
    return {name: response.json() for name, response in answers.items()}


def test_every_write_is_audited_with_before_and_after(client, engine, world) -> None:
    answers = _writes(client, world)
    rows = [r for r in _audit_rows(engine) if r["actor"] != "seed"]
    by_action = {(r["entity"], r["action"]): r for r in rows}
    created = by_action[("enterprise", "create")]
    assert created["actor"] == "regulator"
    assert created["before"] is None
    assert created["after"]["credit_code"] == answers["create_enterprise"]["credit_code"]
    updated = by_action[("enterprise", "update")]
    assert updated["before"]["name"] == "铁东轧钢有限公司"
    assert updated["after"]["name"] == "铁东轧钢股份有限公司"
    assert updated["after"]["key_unit_level"] == "designated"
    assert updated["remote"] == "testclient"
    assert by_action[("user", "create")]["after"]["username"] == "new-user"
    assert by_action[("user", "update")]["after"]["display_name"] == "新用户"
    assert by_action[("user", "set_password")]["detail"].endswith("个登录凭证")
    issued = by_action[("device_credential", "issue")]
    assert issued["after"]["key_id"] == answers["issue_device"]["key_id"]
    revoked = by_action[("device_credential", "revoke")]
    assert revoked["before"]["revoked_at"] is None
    assert revoked["after"]["revoked_at"] is not None
    assert ("user", "logout") in by_action


def test_auditor_reads_the_log_with_filters(client, world, login) -> None:
    _writes(client, world)  # logs the auditor out
    auditor = {"Authorization": f"Bearer {login('auditor').json()['token']}"}
    page = client.get("/api/v1/audit?entity=enterprise&action=update", headers=auditor).json()
    assert page["total"] == 1
    assert page["items"][0]["after"]["key_unit_level"] == "designated"
    everything = client.get("/api/v1/audit?page_size=2", headers=auditor).json()
    assert len(everything["items"]) == 2
    assert everything["total"] > 2
    naive = client.get("/api/v1/audit?since=2026-01-01T00:00:00", headers=auditor)
    assert naive.status_code == 422
    aware = client.get("/api/v1/audit?since=2000-01-01T00:00:00%2B08:00", headers=auditor)
    assert aware.json()["total"] == everything["total"]


def test_secrets_never_appear_in_audit_rows_logs_or_answers(
    client, engine, world, login, caplog
) -> None:
    with caplog.at_level(logging.DEBUG):
        answers = _writes(client, world)
        logged_in = login("district").json()
        listings = [
            client.get(path, headers=world.headers("admin")).text
            for path in (
                "/api/v1/users",
                "/api/v1/audit?page_size=200",
                f"/api/v1/enterprises/{world.enterprise_ids['a']}/devices",
                f"/api/v1/enterprises/{world.enterprise_ids['c']}/devices",
                "/api/v1/auth/me",
            )
        ]
    with engine.connect() as conn:
        hashes = list(conn.execute(select(users.c.password_hash)).scalars())
        hashes += list(conn.execute(select(device_credentials.c.secret_hash)).scalars())
    secrets = [
        *world.secrets,
        "s3cret-passw0rd",
        "0ther-passw0rd",
        answers["issue_device"]["secret"],
        logged_in["token"],
        *hashes,
    ]
    audit_text = json.dumps(_audit_rows(engine), ensure_ascii=False, default=str)
    logs = "\n".join(record.getMessage() for record in caplog.records)
    later_answers = json.dumps(
        {k: v for k, v in answers.items() if k != "issue_device"}, ensure_ascii=False
    ) + "".join(listings)
    for secret in secrets:
        assert secret not in audit_text
        assert secret not in logs
        assert secret not in later_answers
    assert "password_hash" not in audit_text + later_answers
    assert "secret_hash" not in audit_text + later_answers


def test_audit_rows_name_their_enterprise_and_user(client, world) -> None:
    answers = _writes(client, world)
    admin = world.headers("admin")
    rows = client.get("/api/v1/audit", params={"page_size": 200}, headers=admin).json()["items"]
    enterprise = next(r for r in rows if (r["entity"], r["action"]) == ("enterprise", "update"))
    assert enterprise["entity_name"] == "铁东轧钢股份有限公司"
    user = next(r for r in rows if (r["entity"], r["action"]) == ("user", "update"))
    assert user["entity_id"] == str(answers["create_user"]["id"])
    assert user["entity_name"] == "新用户"
    device = next(r for r in rows if r["entity"] == "device_credential")
    assert device["entity_name"] is None
