"""An admin client of Mosquitto's dynamic-security plugin (Mosquitto 2.x).

The plugin keeps the broker's clients (username, password hash, optional fixed client id),
roles and ACLs, and is driven by JSON commands published to ``$CONTROL/dynamic-security/v1``;
it answers on ``…/response``. Changes take effect at once: deleting, disabling or modifying
a client disconnects its live connection. See https://mosquitto.org/documentation/dynamic-security/.
"""

from __future__ import annotations

import contextlib
import json
import queue
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from nenghao.config import Settings
from nenghao.ingest.mqtt_link import make_client

if TYPE_CHECKING:
    from paho.mqtt.client import Client, MQTTMessage

CONTROL_TOPIC = "$CONTROL/dynamic-security/v1"
RESPONSE_TOPIC = f"{CONTROL_TOPIC}/response"
BATCH = 50
"""Commands per control message."""
TIMEOUT_S = 10.0


class BrokerError(RuntimeError):
    """The broker cannot be reached, refused the admin or a command, or did not answer in
    time; or the platform's broker settings are incomplete."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The plugin's answer to one command: its error text (None: done) and data."""

    command: str
    error: str | None
    data: dict[str, Any]


class DynsecAdmin:
    """A connection of the admin (settings ``mqtt_admin_username``/``_password``).

    Use as a context manager; `run` sends commands and returns their outcomes in order.
    """

    def __init__(self, settings: Settings, timeout_s: float = TIMEOUT_S) -> None:
        if not settings.mqtt_admin_username:
            raise BrokerError("NENGHAO_MQTT_ADMIN_USERNAME is not set")
        self.settings = settings
        self.timeout_s = timeout_s
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._client = make_client(
            settings,
            client_id=f"nenghao-admin-{uuid.uuid4().hex[:12]}",
            username=settings.mqtt_admin_username,
            password=settings.mqtt_admin_password,
        )
        self._client.on_connect = lambda _c, _u, _f, reason, _p: self._events.put(
            ("connect", reason)
        )
        self._client.on_subscribe = lambda _c, _u, _m, reasons, _p: self._events.put(
            ("subscribe", reasons)
        )
        self._client.on_message = self._on_message

    def _on_message(self, _c: Client, _u: Any, message: MQTTMessage) -> None:
        with contextlib.suppress(ValueError):  # not the plugin's JSON: not ours to read
            self._events.put(("response", json.loads(message.payload)))

    def _wait(self, kind: str, deadline: float) -> Any:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrokerError(
                    f"the broker at {self.settings.mqtt_host}:{self.settings.mqtt_port}"
                    f" did not answer within {self.timeout_s:g} s ({kind})"
                )
            try:
                event, value = self._events.get(timeout=left)
            except queue.Empty:
                continue
            if event == kind:
                return value

    def __enter__(self) -> DynsecAdmin:
        deadline = time.monotonic() + self.timeout_s
        where = f"{self.settings.mqtt_host}:{self.settings.mqtt_port}"
        try:
            self._client.connect(self.settings.mqtt_host, self.settings.mqtt_port, keepalive=30)
        except (OSError, ValueError) as exc:
            raise BrokerError(f"cannot reach the MQTT broker at {where}: {exc}") from None
        self._client.loop_start()
        try:
            reason = self._wait("connect", deadline)
            if reason.is_failure:
                raise BrokerError(
                    f"the broker at {where} refused the admin {self.settings.mqtt_admin_username!r}"
                    f" ({reason}); check NENGHAO_MQTT_ADMIN_USERNAME and _PASSWORD"
                )
            self._client.subscribe(RESPONSE_TOPIC, qos=1)
            if any(r.is_failure for r in self._wait("subscribe", deadline)):
                raise BrokerError(f"the admin may not read {RESPONSE_TOPIC} on {where}")
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def run(self, commands: Sequence[dict[str, Any]]) -> list[Outcome]:
        """Send `commands` (in batches of `BATCH`); their outcomes, in the same order."""
        outcomes: list[Outcome] = []
        for start in range(0, len(commands), BATCH):
            outcomes += self._run_batch(commands[start : start + BATCH])
        return outcomes

    def _run_batch(self, commands: Sequence[dict[str, Any]]) -> list[Outcome]:
        tag = uuid.uuid4().hex
        body = {"commands": [{**command, "correlationData": tag} for command in commands]}
        self._client.publish(CONTROL_TOPIC, json.dumps(body), qos=1)
        deadline = time.monotonic() + self.timeout_s
        while True:
            answer = self._wait("response", deadline)
            responses = answer.get("responses") if isinstance(answer, dict) else None
            if not responses or responses[0].get("correlationData") != tag:
                continue  # another admin's answer
            return [
                Outcome(r.get("command", ""), r.get("error"), r.get("data") or {})
                for r in responses
            ]
