"""An OPC UA server of simulated energy meters, on asyncua's own server.

Meter ``i`` (1-based in names) has two variables in namespace ``urn:nenghao:simulated-meters``:
``s=Meter0001.Energy`` (Double, kWh, 0.01 kWh steps) and ``s=Meter0001.EnergyCounts`` (UInt32,
counts of 0.01 kWh), both the register of `nenghao.gateway.simulated` read at the moment of the
request, wrapping at its maximum. Faults: ``offline`` (the values come with status
BadCommunicationError, as a server that cannot reach its meter answers), ``frozen``, ``reset``.
With a certificate and key the server also offers Basic256Sha256 Sign and SignAndEncrypt; with
users, the user-name identity is checked against them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asyncua import ua
from asyncua.crypto.permission_rules import User, UserRole
from asyncua.server.server import Server
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.status_codes import StatusCodes
from asyncua.ua.uatypes import UInt32

from nenghao.gateway.background_loop import BackgroundLoop
from nenghao.gateway.clock import Clock
from nenghao.gateway.opcua_nodes import NAMESPACE, energy_node
from nenghao.gateway.simulated import MeterBank


class _Users:
    def __init__(self, users: dict[str, str] | None) -> None:
        self.users = users

    def get_user(
        self, iserver: Any, username: str | None = None, password: str | None = None, **_: Any
    ) -> User | None:
        if self.users is None or (username and self.users.get(username) == password):
            return User(role=UserRole.User)
        return None


class OpcuaSimulator(MeterBank):
    """`points` meters behind one asyncua server."""

    def __init__(
        self,
        points: int,
        clock: Clock,
        *,
        certificate: Path | None = None,
        private_key: Path | None = None,
        users: dict[str, str] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(points, clock, **options)
        self.certificate, self.private_key, self.users = certificate, private_key, users
        self.namespace = 2
        self.server: Server | None = None
        self._background: BackgroundLoop | None = None

    def _value(self, index: int, counts: bool) -> ua.DataValue:
        if self.meters[index].offline:
            bad = ua.StatusCode(UInt32(StatusCodes.BadCommunicationError))
            return ua.DataValue(StatusCode=bad)
        raw = self.answer_counts(index, self.clock.now())
        if counts:
            return ua.DataValue(ua.Variant(raw, ua.VariantType.UInt32))
        return ua.DataValue(ua.Variant(round(raw * self.scale, 2), ua.VariantType.Double))

    def _callback(self, index: int, counts: bool) -> Callable[[Any, Any], ua.DataValue]:
        return lambda _node, _attribute: self._value(index, counts)

    async def setup(self, host: str, port: int) -> Server:
        """Build the server and its nodes (not yet started)."""
        server = Server(user_manager=_Users(self.users))  # type: ignore[arg-type]
        await server.init()
        server.set_endpoint(f"opc.tcp://{host}:{port}/nenghao/")
        server.set_server_name("nenghao simulated meters")
        policies = [ua.SecurityPolicyType.NoSecurity]
        if self.certificate is not None and self.private_key is not None:
            await server.load_certificate(str(self.certificate))
            await server.load_private_key(str(self.private_key))
            policies += [
                ua.SecurityPolicyType.Basic256Sha256_Sign,
                ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt,
            ]
        server.set_security_policy(policies)
        tokens: list[type] = [ua.X509IdentityToken]
        tokens.append(ua.AnonymousIdentityToken if self.users is None else ua.UserNameIdentityToken)
        server.set_identity_tokens(tokens)
        self.namespace = await server.register_namespace(NAMESPACE)
        meters = await server.nodes.objects.add_folder(self.namespace, "Meters")
        space = server.iserver.aspace
        for index in range(len(self.meters)):
            for counts in (False, True):
                name = energy_node(index, counts=counts)
                node_id = ua.NodeId.from_string(f"ns={self.namespace};{name}")
                initial = ua.Variant(0, ua.VariantType.UInt32) if counts else 0.0
                variable = await meters.add_variable(node_id, name[2:], initial)
                space.set_attribute_value_callback(
                    variable.nodeid, AttributeIds.Value, self._callback(index, counts)
                )
        self.server = server
        return server

    async def serve(self, host: str, port: int) -> None:
        """Serve until cancelled."""
        server = await self.setup(host, port)
        async with server:
            await asyncio.Event().wait()

    def start(self, host: str, port: int) -> OpcuaSimulator:
        """Serve in a background thread (tests); returns once listening."""
        self._background = BackgroundLoop()

        async def listen() -> None:
            await (await self.setup(host, port)).start()

        self._background.run(listen, timeout=60)
        return self

    def stop(self) -> None:
        """Stop a server started with `start`."""
        if self._background is None or self.server is None:
            return
        self._background.run(self.server.stop)
        self._background.close()
        self.server, self._background = None, None
