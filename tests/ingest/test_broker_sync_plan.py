"""What `broker_sync.plan` sends for drift between the wanted and the present broker state."""

from __future__ import annotations

from dataclasses import replace

from nenghao.ingest.broker_sync import (
    DEVICE_TEXTNAME,
    BrokerClient,
    BrokerState,
    enterprise_role,
    plan,
)

CODE = "91210300MA0XY1234W"
ROLE, ACLS = enterprise_role(CODE)
DEVICE = BrokerClient("nhk_1", "nhk_1", DEVICE_TEXTNAME, "tag-1", frozenset([ROLE]))


def wanted() -> BrokerState:
    return BrokerState(roles={ROLE: ACLS}, clients={"nhk_1": DEVICE}, passwords={"nhk_1": "pw"})


def test_nothing_is_sent_when_the_broker_is_right() -> None:
    have = BrokerState(roles={ROLE: ACLS}, clients={"nhk_1": DEVICE})
    commands, report = plan(wanted(), have, prune=True)
    assert commands == []
    assert (report.created, report.updated, report.deleted, report.roles) == ([], [], [], [])


def test_drift_is_repaired() -> None:
    widened = ACLS | {("subscribePattern", "#", True)}
    tampered = replace(DEVICE, roles=frozenset([ROLE, "ops"]), disabled=True)
    stale = BrokerClient("nhk_old", "nhk_old", DEVICE_TEXTNAME, "t", frozenset([ROLE]))
    foreign = BrokerClient("ops-dashboard", None, None, None, frozenset(["ops"]))
    have = BrokerState(
        roles={ROLE: widened, "nenghao-enterprise-X": ACLS, "ops": frozenset()},
        clients={"nhk_1": tampered, "nhk_old": stale, "ops-dashboard": foreign},
    )
    commands, report = plan(wanted(), have, prune=True)
    assert [c["command"] for c in commands] == [
        "removeRoleACL",  # the widened ACL
        "modifyClient",  # roles back to the enterprise's only
        "enableClient",
        "deleteClient",  # a key no longer active
        "deleteRole",  # an enterprise without keys
    ]
    assert commands[0]["topic"] == "#"
    assert commands[1]["roles"] == [{"rolename": ROLE}]
    assert commands[1]["groups"] == []
    assert commands[3]["username"] == "nhk_old"
    assert commands[4]["rolename"] == "nenghao-enterprise-X"
    assert report.updated == ["nhk_1"]
    assert report.deleted == ["nhk_old"]  # never the clients the platform did not create


def test_one_key_is_created_with_its_role_and_pinned_client_id() -> None:
    commands, report = plan(wanted(), BrokerState(), prune=True)
    assert [c["command"] for c in commands] == ["createRole", "createClient"]
    assert commands[1]["clientid"] == "nhk_1"
    assert commands[1]["textdescription"] == "tag-1"
    assert report.created == ["nhk_1"]
