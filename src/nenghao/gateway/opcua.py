"""Reading energy values from OPC UA servers (asyncua): one session per server, kept open.

Each server is reached at its ``endpoint`` with its security mode and policy (None, or Sign /
SignAndEncrypt with Basic256Sha256 and the gateway's application certificate; the gateway's
application URI is ``urn:nenghao:gateway``, which the certificate must carry) and an identity:
anonymous, a user name with its password read from ``password_file`` (never from the config),
or the certificate. The points of one server are read in one Read request (the Value
attribute). A value counts only with a Good status and a number type (Double, Float, Int*,
UInt*, Byte); otherwise a `Fault`: ``connection`` (cannot connect or the session broke),
``timeout``, ``bad_status`` (Bad or Uncertain status code, e.g. BadNodeIdUnknown or the
server's BadCommunicationError for a meter it cannot reach), ``bad_type``, ``not_finite``.
Faults are counted in the status and never uploaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Iterable
from pathlib import Path

from asyncua import ua
from asyncua.client.client import Client
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256
from asyncua.ua.uaerrors import UaError

from nenghao.gateway.background_loop import BackgroundLoop
from nenghao.gateway.config_meters import OpcuaPoint, OpcuaServer
from nenghao.gateway.faults import Fault

APPLICATION_URI = "urn:nenghao:gateway"
NUMBERS = {
    ua.VariantType.Double,
    ua.VariantType.Float,
    ua.VariantType.SByte,
    ua.VariantType.Byte,
    ua.VariantType.Int16,
    ua.VariantType.UInt16,
    ua.VariantType.Int32,
    ua.VariantType.UInt32,
    ua.VariantType.Int64,
    ua.VariantType.UInt64,
}
"""Variant types read as a number."""
logging.getLogger("asyncua").setLevel(logging.CRITICAL)  # faults are reported as `Fault`


def data_value(value: ua.DataValue) -> float | Fault:
    """The number in a read result, or why it is not one."""
    status = value.StatusCode or ua.StatusCode()
    if not status.is_good():
        return Fault("bad_status", f"status {status.name}")
    variant = value.Value
    if variant is None or variant.VariantType not in NUMBERS or variant.is_array:
        kind = "nothing" if variant is None else variant.VariantType.name
        return Fault("bad_type", f"value of type {kind}, not a number")
    number = float(variant.Value)
    if not math.isfinite(number):
        return Fault("not_finite", f"the value is {number}")
    return number


class OpcuaSession:
    """One server: connects on first use and again after a failure."""

    def __init__(self, server: OpcuaServer, base: Path) -> None:
        self.server = server
        self.base = base
        self.client: Client | None = None

    def _path(self, name: str | None) -> str:
        return str((self.base / str(name)).resolve())

    async def _connect(self) -> Client:
        server = self.server
        client = Client(server.endpoint, timeout=server.timeout_s)
        client.application_uri = APPLICATION_URI
        if server.security_mode != "None":
            await client.set_security(
                SecurityPolicyBasic256Sha256,
                certificate=self._path(server.certificate),
                private_key=self._path(server.private_key),
                server_certificate=(
                    self._path(server.server_certificate) if server.server_certificate else None
                ),
                mode=getattr(ua.MessageSecurityMode, server.security_mode),
            )
        if server.identity == "username":
            client.set_user(str(server.username))
            password = Path(self._path(server.password_file)).read_text(encoding="utf-8")
            client.set_password(password.strip())
        elif server.identity == "certificate":
            await client.load_client_certificate(self._path(server.certificate))
            await client.load_private_key(Path(self._path(server.private_key)))
        await client.connect()
        return client

    async def read(self, points: list[OpcuaPoint]) -> dict[str, float | Fault]:
        """Each point's value in its item's unit (or `Fault`), by item code."""
        name = self.server.name
        try:
            if self.client is None:
                self.client = await asyncio.wait_for(self._connect(), self.server.timeout_s * 2)
            nodes = [self.client.get_node(point.node_id) for point in points]
            results = await asyncio.wait_for(
                self.client.read_attributes(nodes), self.server.timeout_s
            )
        except TimeoutError:
            await self.close()
            return dict.fromkeys(
                (p.item for p in points),
                Fault("timeout", f"OPC UA server {name!r}: no answer in {self.server.timeout_s} s"),
            )
        except (OSError, UaError, ConnectionError, ValueError) as exc:
            await self.close()
            return dict.fromkeys(
                (p.item for p in points),
                Fault("connection", f"OPC UA server {name!r}: {type(exc).__name__}: {exc}"),
            )
        values: dict[str, float | Fault] = {}
        for point, result in zip(points, results, strict=True):
            value = data_value(result)
            if isinstance(value, Fault):
                values[point.item] = Fault(value.kind, f"{point.node_id}: {value.message}")
            else:
                values[point.item] = value * point.factor
        return values

    async def close(self) -> None:
        """End the session (quietly: the server may be gone)."""
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(OSError, UaError, ConnectionError, TimeoutError):
                await asyncio.wait_for(client.disconnect(), self.server.timeout_s)


class OpcuaReader:
    """Reads every OPC UA point of a configuration once per call (on a loop of its own, in a
    thread of its own: the caller's thread may already run a loop)."""

    def __init__(
        self, servers: dict[str, OpcuaServer], points: Iterable[OpcuaPoint], base: Path
    ) -> None:
        self.points = tuple(points)
        self.sessions = {name: OpcuaSession(server, base) for name, server in servers.items()}
        self.background = BackgroundLoop()

    async def _read_all(self) -> dict[str, float | Fault]:
        values: dict[str, float | Fault] = {}
        for name, session in self.sessions.items():
            points = [point for point in self.points if point.server == name]
            if points:
                values.update(await session.read(points))
        return values

    def read_all(self) -> dict[str, float | Fault]:
        """Each point's value (or `Fault`), by item code."""
        return dict(self.background.run(self._read_all, timeout=None))

    def close(self) -> None:
        """End every session and the loop."""
        for session in self.sessions.values():
            self.background.run(session.close, timeout=None)
        self.background.close()
