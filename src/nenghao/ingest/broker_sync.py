"""The MQTT broker's clients and ACLs, kept in step with the device keys.

The platform maintains Mosquitto's dynamic-security plugin (`nenghao.ingest.dynsec`) from its
device credentials:

- one client per active device key: username and client id = the key id, password =
  `device_mqtt_password` (derived from the key's secret), role ``nenghao-enterprise-{code}``;
- one role per enterprise: publish to ``nenghao/v1/{code}/up``, subscribe to
  ``nenghao/v1/{code}/ack``, nothing else;
- the platform's own client (settings ``mqtt_username``, ``mqtt_password``), role
  ``nenghao-platform``: subscribe to ``nenghao/v1/+/up`` (also as the shared subscription
  ``$share/<group>/nenghao/v1/+/up`` of several API nodes), publish to ``nenghao/v1/+/ack``;
- default access: publishing and subscribing are denied unless a role allows them.

`sync_broker` rebuilds it all (``nenghao mqtt sync-broker``, and when the subscriber starts);
`sync_device` brings one key in step after it is issued, rotated or revoked. Only what differs
is sent, because every change to a client disconnects it: a client whose password, client id
and roles are right is left alone (its ``textdescription`` holds a tag of its password keyed
with the master key, so passwords are compared without being kept). Clients and roles that the
platform did not create (other text names, other role names) are never touched.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from nenghao.config import Settings
from nenghao.ingest.credentials import DeviceCredentials
from nenghao.ingest.dynsec import BrokerError, DynsecAdmin, Outcome
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.store import devices

logger = logging.getLogger("nenghao.mqtt")

MQTT_PASSWORD_LABEL = b"nenghao-mqtt-password"
DEVICE_TEXTNAME = "nenghao device"
PLATFORM_TEXTNAME = "nenghao platform"
ENTERPRISE_ROLE_PREFIX = "nenghao-enterprise-"
PLATFORM_ROLE = "nenghao-platform"
DEFAULT_ACL_ACCESS = (
    ("publishClientSend", False),
    ("publishClientReceive", True),  # what a client may subscribe to, it may receive
    ("subscribe", False),
    ("unsubscribe", True),
)

Acl = tuple[str, str, bool]
"""An ACL entry of a role: type, topic, allow."""


def device_mqtt_password(secret: str) -> str:
    """The MQTT password of a device key: ``base64url_nopad(HMAC-SHA256(secret,
    "nenghao-mqtt-password"))`` with the secret's UTF-8 bytes as the key (43 characters).

    One-way: the broker, which sees and hashes this password, never learns the signing secret.
    """
    digest = hmac.new(secret.encode("utf-8"), MQTT_PASSWORD_LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def enterprise_role(credit_code: str) -> tuple[str, frozenset[Acl]]:
    """The role of an enterprise's devices: its name and ACL."""
    acls = {
        ("publishClientSend", mqtt_up_topic(credit_code), True),
        ("subscribeLiteral", mqtt_ack_topic(credit_code), True),
    }
    return f"{ENTERPRISE_ROLE_PREFIX}{credit_code}", frozenset(acls)


PLATFORM_ACLS: frozenset[Acl] = frozenset(
    {
        ("subscribePattern", mqtt_up_topic("+"), True),
        # MQTT 5 shared subscriptions of the API nodes (any group), checked with the prefix
        ("subscribePattern", f"$share/+/{mqtt_up_topic('+')}", True),
        ("publishClientSend", mqtt_ack_topic("+"), True),
    }
)


@dataclass(frozen=True, slots=True)
class BrokerClient:
    """A dynamic-security client as far as the platform cares."""

    username: str
    clientid: str | None
    textname: str | None
    tag: str | None
    roles: frozenset[str]
    groups: frozenset[str] = frozenset()
    disabled: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BrokerClient:
        """From the plugin's ``getClient`` or verbose ``listClients`` entry."""
        return cls(
            username=data["username"],
            clientid=data.get("clientid") or None,
            textname=data.get("textname"),
            tag=data.get("textdescription"),
            roles=frozenset(r["rolename"] for r in data.get("roles", [])),
            groups=frozenset(g["groupname"] for g in data.get("groups", [])),
            disabled=bool(data.get("disabled", False)),
        )


def _acls_from_json(data: dict[str, Any]) -> frozenset[Acl]:
    return frozenset((a["acltype"], a["topic"], bool(a["allow"])) for a in data.get("acls", []))


@dataclass
class BrokerState:
    """Roles and clients (with the passwords of the wanted ones)."""

    roles: dict[str, frozenset[Acl]] = field(default_factory=dict)
    clients: dict[str, BrokerClient] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)


@dataclass
class SyncReport:
    """What a sync changed (usernames and role names)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.created)} clients created, {len(self.updated)} updated,"
            f" {len(self.deleted)} deleted; {len(self.roles)} roles changed"
        )


def _managed_role(name: str) -> bool:
    return name == PLATFORM_ROLE or name.startswith(ENTERPRISE_ROLE_PREFIX)


def _tag(master_key: bytes, password: str) -> str:
    mac = hmac.new(master_key, b"mqtt-tag:" + password.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:16]


def _want(state: BrokerState, master_key: bytes, client: BrokerClient, password: str) -> None:
    state.clients[client.username] = replace(client, tag=_tag(master_key, password))
    state.passwords[client.username] = password


def desired_state(
    credentials: DeviceCredentials, settings: Settings, key_id: str | None = None
) -> BrokerState:
    """What the broker should hold: for every active key (or only `key_id`), and, for the
    whole, the platform's client."""
    master_key = credentials.master_key()
    with credentials.engine.connect() as conn:
        if key_id is None:
            rows = devices.active_credentials(conn)
        else:
            row = devices.active_credential(conn, key_id)
            rows = [] if row is None else [row]
    state = BrokerState()
    for row in rows:
        secret = devices.checked_secret(row, master_key)
        if secret is None:
            logger.warning("key %s predates the master key: rotate it", row["key_id"])
            continue
        role, acls = enterprise_role(row["credit_code"])
        state.roles[role] = acls
        device = BrokerClient(
            row["key_id"], row["key_id"], DEVICE_TEXTNAME, None, frozenset([role])
        )
        _want(state, master_key, device, device_mqtt_password(secret))
    if key_id is None:
        username, password = settings.mqtt_username, settings.mqtt_password
        if not username or password is None:
            raise BrokerError(
                "set NENGHAO_MQTT_USERNAME and NENGHAO_MQTT_PASSWORD (the platform's own client)"
            )
        if username == settings.mqtt_admin_username:
            raise BrokerError("the platform's MQTT client must not be the broker's admin")
        state.roles[PLATFORM_ROLE] = PLATFORM_ACLS
        platform = BrokerClient(username, None, PLATFORM_TEXTNAME, None, frozenset([PLATFORM_ROLE]))
        _want(state, master_key, platform, password.get_secret_value())
    return state


def _role_commands(name: str, want: frozenset[Acl], have: frozenset[Acl] | None) -> list[Any]:
    if have is None:
        acls = [{"acltype": t, "topic": p, "allow": a} for t, p, a in sorted(want)]
        return [{"command": "createRole", "rolename": name, "acls": acls}]
    commands: list[dict[str, Any]] = [
        {"command": "removeRoleACL", "rolename": name, "acltype": t, "topic": p}
        for t, p, _allow in sorted(have - want)
    ]
    commands += [
        {"command": "addRoleACL", "rolename": name, "acltype": t, "topic": p, "allow": a}
        for t, p, a in sorted(want - have)
    ]
    return commands


def _client_commands(
    want: BrokerClient, password: str, have: BrokerClient | None
) -> list[dict[str, Any]]:
    fields = {
        "username": want.username,
        "password": password,
        "clientid": want.clientid or "",
        "textname": want.textname,
        "textdescription": want.tag,
        "roles": [{"rolename": role} for role in sorted(want.roles)],
    }
    if have is None:
        return [{"command": "createClient", **fields}]
    commands: list[dict[str, Any]] = []
    if replace(have, disabled=False) != want:
        commands.append({"command": "modifyClient", **fields, "groups": []})
    if have.disabled:
        commands.append({"command": "enableClient", "username": want.username})
    return commands


def plan(
    want: BrokerState, have: BrokerState, *, prune: bool
) -> tuple[list[dict[str, Any]], SyncReport]:
    """The commands that turn `have` into `want`, and what they change.

    `prune` deletes the platform's clients and roles that `have` holds and `want` does not.
    Roles come first (clients refer to them), deletions last.
    """
    commands: list[dict[str, Any]] = []
    report = SyncReport()
    for name, acls in want.roles.items():
        changes = _role_commands(name, acls, have.roles.get(name))
        commands += changes
        report.roles += [name] if changes else []
    for username, client in want.clients.items():
        current = have.clients.get(username)
        changes = _client_commands(client, want.passwords[username], current)
        commands += changes
        if changes:
            (report.created if current is None else report.updated).append(username)
    if prune:
        managed = (DEVICE_TEXTNAME, PLATFORM_TEXTNAME)
        for username, current in have.clients.items():
            if username not in want.clients and current.textname in managed:
                commands.append({"command": "deleteClient", "username": username})
                report.deleted.append(username)
        for name in have.roles:
            if name not in want.roles and _managed_role(name):
                commands.append({"command": "deleteRole", "rolename": name})
                report.roles.append(name)
    return commands, report


def _checked(outcomes: list[Outcome]) -> list[Outcome]:
    errors = [f"{o.command}: {o.error}" for o in outcomes if o.error]
    if errors:
        raise BrokerError("the broker refused " + "; ".join(errors[:5]))
    return outcomes


def sync_broker(credentials: DeviceCredentials, settings: Settings) -> SyncReport:
    """Bring the whole broker in step with the device keys (idempotent)."""
    want = desired_state(credentials, settings)
    with DynsecAdmin(settings) as admin:
        clients, roles = _checked(
            admin.run(
                [
                    {"command": "listClients", "verbose": True, "count": -1},
                    {"command": "listRoles", "verbose": True, "count": -1},
                ]
            )
        )
        have = BrokerState(
            roles={r["rolename"]: _acls_from_json(r) for r in roles.data.get("roles", [])},
            clients={
                c["username"]: BrokerClient.from_json(c) for c in clients.data.get("clients", [])
            },
        )
        commands, report = plan(want, have, prune=True)
        access = [{"acltype": kind, "allow": allow} for kind, allow in DEFAULT_ACL_ACCESS]
        _checked(admin.run([{"command": "setDefaultACLAccess", "acls": access}, *commands]))
    logger.info("MQTT broker in step with the device keys: %s", report)
    return report


def sync_device(credentials: DeviceCredentials, settings: Settings, key_id: str) -> SyncReport:
    """Bring one key's broker client in step: created or updated while the key is active,
    deleted (its connection closed) once it is revoked."""
    want = desired_state(credentials, settings, key_id)
    with DynsecAdmin(settings) as admin:
        queries = [{"command": "getClient", "username": key_id}]
        queries += [{"command": "getRole", "rolename": name} for name in want.roles]
        client, *roles = admin.run(queries)
        have = BrokerState()
        if client.error is None:
            have.clients[key_id] = BrokerClient.from_json(client.data["client"])
        elif client.error != "Client not found":
            raise BrokerError(f"the broker refused getClient: {client.error}")
        for name, role in zip(want.roles, roles, strict=True):
            if role.error is None:
                have.roles[name] = _acls_from_json(role.data["role"])
        commands, report = plan(want, have, prune=True)
        _checked(admin.run(commands))
    return report


def after_key_change(credentials: DeviceCredentials, settings: Settings, key_id: str) -> str | None:
    """`sync_device` when the platform manages the broker (``mqtt_admin_username`` set).

    Never raises for the broker: the key change stands (the platform checks every envelope's
    signature against the keys anyway); the answer is a warning to show, else None.
    """
    if not settings.mqtt_admin_username:
        return None
    try:
        sync_device(credentials, settings, key_id)
    except BrokerError as exc:
        logger.warning("MQTT broker not updated for key %s: %s", key_id, exc)
        return f"the MQTT broker was not updated ({exc}); run `nenghao mqtt sync-broker`"
    return None
