"""The configuration's DL/T 645 and OPC UA sections and the checks between their entries.

``[[dlt645.links]]`` (a serial line or a TCP transparent link) and ``[[dlt645.points]]`` (a
meter address and a data identifier); ``[[opcua.servers]]`` (endpoint, security, identity) and
``[[opcua.points]]`` (a node id). `nenghao.gateway.config` reads them with the rest of the file
and reports every problem with its line. docs/gateway.md is the reference.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nenghao.gateway.dlt645 import parse_address
from nenghao.gateway.toml_lines import Location
from nenghao.standards.dlt645_identifiers import DataIdentifier, dlt645_identifiers

_NODE_ID = re.compile(
    r"(ns=[0-9]{1,5};)?(i=[0-9]{1,10}|s=[^;]{1,512}|g=[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}"
    r"-[0-9A-Fa-f]{12}|b=[A-Za-z0-9+/=]{1,512})\Z"
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Ratios(_Section):
    scale: float = Field(1.0, gt=0)
    ct_ratio: float = Field(1.0, gt=0)
    pt_ratio: float = Field(1.0, gt=0)

    @property
    def factor(self) -> float:
        """What one unit of the meter's value is worth in the item's unit: scale × CT × PT."""
        return self.scale * self.ct_ratio * self.pt_ratio


class Dlt645Link(_Section):
    """``[[dlt645.links]]``: one RS-485 line, on a serial port or a TCP transparent link."""

    name: str
    transport: Literal["serial", "tcp"] = "serial"
    device: str | None = None
    baudrate: int = 2400
    parity: Literal["N", "E", "O"] = "E"
    stopbits: Literal[1, 2] = 1
    bytesize: Literal[7, 8] = 8
    host: str | None = None
    port: int = Field(8899, ge=1, le=65535)
    timeout_s: float = Field(1.0, gt=0, le=60)
    preamble: bool = True


class Dlt645Point(_Ratios):
    """``[[dlt645.points]]``: one data identifier of one meter, mapped to a data item."""

    item: str
    link: str
    meter: str | None = None
    address: str
    data_id: str = "00010000"

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        parse_address(value)
        return value

    @field_validator("data_id")
    @classmethod
    def _data_id(cls, value: str) -> str:
        known = dlt645_identifiers()
        if value.upper() not in known:
            raise ValueError(
                f"unknown data identifier {value!r}: one of {', '.join(sorted(known))}"
                " (energy registers of DL/T 645-2007 Appendix A)"
            )
        return value.upper()

    @property
    def identifier(self) -> DataIdentifier:
        """The data identifier's entry (format, unit, sign)."""
        return dlt645_identifiers()[self.data_id]

    @property
    def name(self) -> str:
        """The meter's name in status and logs (the item code unless given)."""
        return self.meter or self.item


class OpcuaServer(_Section):
    """``[[opcua.servers]]``: one OPC UA server, its security and the gateway's identity."""

    name: str
    endpoint: str = Field(pattern=r"^opc\.tcp://[^/\s]+(/\S*)?$")
    security_mode: Literal["None", "Sign", "SignAndEncrypt"] = "None"
    security_policy: Literal["None", "Basic256Sha256"] = "None"
    certificate: str | None = None
    private_key: str | None = None
    server_certificate: str | None = None
    identity: Literal["anonymous", "username", "certificate"] = "anonymous"
    username: str | None = None
    password_file: str | None = None
    timeout_s: float = Field(5.0, gt=0, le=60)


class OpcuaPoint(_Ratios):
    """``[[opcua.points]]``: one variable node (Double, Float, Int or UInt), mapped to an item."""

    item: str
    server: str
    meter: str | None = None
    node_id: str

    @field_validator("node_id")
    @classmethod
    def _node_id(cls, value: str) -> str:
        if not _NODE_ID.match(value):
            raise ValueError(
                f"node id {value!r}: write ns=<index>;i=<number> | s=<name> | g=<guid> |"
                " b=<base64> (OPC UA Part 6, 5.3.1.10)"
            )
        return value

    @property
    def name(self) -> str:
        """The meter's name in status and logs (the item code unless given)."""
        return self.meter or self.item


class Dlt645Section(_Section):
    """``[dlt645]``: its links and points."""

    links: list[Dlt645Link] = []
    points: list[Dlt645Point] = []


class OpcuaSection(_Section):
    """``[opcua]``: its servers and points."""

    servers: list[OpcuaServer] = []
    points: list[OpcuaPoint] = []


Found = list[tuple[Location, str]]


def _names(kind: str, where: Location, names: Iterable[str]) -> Found:
    seen = list(names)
    return [(where, f"two {kind} have the same name")] if len(set(seen)) < len(seen) else []


def _duplicates(where: Location, keys: Sequence[tuple[str, ...]], what: str) -> Found:
    found: Found = []
    ordered = sorted((key, i) for i, key in enumerate(keys))
    for (key, first), (other, second) in itertools.pairwise(ordered):
        if key == other:
            found.append(
                ((*where, second), f"points[{second}] reads the same {what} as points[{first}]")
            )
    return found


def dlt645_checks(section: Dlt645Section) -> Found:
    """Unknown or incomplete links, and two points on one meter register."""
    found = _names("DL/T 645 links", ("dlt645", "links"), (link.name for link in section.links))
    for i, link in enumerate(section.links):
        needs = "device" if link.transport == "serial" else "host"
        if getattr(link, needs) is None:
            found.append((("dlt645", "links", i), f"a {link.transport} link needs {needs}"))
    links = {link.name for link in section.links}
    for i, point in enumerate(section.points):
        if point.link not in links:
            found.append((("dlt645", "points", i, "link"), f"unknown DL/T 645 link {point.link!r}"))
    keys = [(p.link, p.address, p.data_id) for p in section.points]
    return found + _duplicates(
        ("dlt645", "points"), keys, "meter address and data identifier on its link"
    )


def _security(server: OpcuaServer, where: Location) -> Found:
    found: Found = []
    secure = server.security_mode != "None"
    if secure != (server.security_policy != "None"):
        found.append(
            (
                (*where, "security_policy"),
                "security_mode None goes with security_policy None; Sign and SignAndEncrypt"
                " need Basic256Sha256",
            )
        )
    if (secure or server.identity == "certificate") and not (
        server.certificate and server.private_key
    ):
        found.append(
            (
                where,
                "Sign, SignAndEncrypt and identity certificate need certificate and private_key",
            )
        )
    if server.identity == "username" and not (server.username and server.password_file):
        found.append(
            (where, "identity username needs username and password_file (never the password)")
        )
    if server.identity != "username" and (server.username or server.password_file):
        found.append(
            ((*where, "identity"), 'username and password_file need identity = "username"')
        )
    return found


def opcua_checks(section: OpcuaSection) -> Found:
    """Unknown servers, inconsistent security, and two points on one node."""
    found = _names("OPC UA servers", ("opcua", "servers"), (s.name for s in section.servers))
    for i, server in enumerate(section.servers):
        found += _security(server, ("opcua", "servers", i))
    servers = {server.name for server in section.servers}
    for i, point in enumerate(section.points):
        if point.server not in servers:
            found.append(
                (("opcua", "points", i, "server"), f"unknown OPC UA server {point.server!r}")
            )
    keys = [(p.server, p.node_id) for p in section.points]
    return found + _duplicates(("opcua", "points"), keys, "node on its server")
