"""The gateway's configuration file (TOML): platform, device key, Modbus links, items, points.

Read with `tomllib` and checked by pydantic models plus the checks between entries. Every
problem is reported with the file, its line and the reason (`ConfigError`), all at once:
unknown fields, an unknown or duplicate item code, two points on one item, overlapping
registers, a data type or word/byte order that cannot be, a cadence that does not divide the
hour or the items' periods, and a secret written into the file (only ``secret_file``, a path
to the file holding it, is allowed). docs/gateway.md is the reference.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nenghao.gateway.config_meters import (
    Dlt645Link,
    Dlt645Point,
    Dlt645Section,
    OpcuaPoint,
    OpcuaSection,
    OpcuaServer,
    dlt645_checks,
    opcua_checks,
)
from nenghao.gateway.decoding import WORDS
from nenghao.gateway.toml_lines import LineIndex, Location
from nenghao.standards.calendar import FIXED_SECONDS

DataType = Literal["u16", "u32", "u64", "float32", "float64"]
Order = Literal["big", "little"]
METER_PERIODS = ("15min", "hour", "day")
"""Statistic periods a metered item may have (the fixed-length ones)."""
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SECRET_NAMES = {"secret", "password", "passwd", "token", "api_key", "secret_key", "key_secret"}
_LOOKS_LIKE_SECRET = re.compile(r"[A-Za-z0-9_\-]{43}\Z")  # a device secret (protocol §6)
_ITEM_CODE = re.compile(r"[!-~]{1,64}\Z")
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}\Z")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GatewaySection(_Section):
    """``[gateway]``: the enterprise, the cadence and the local queue."""

    credit_code: str
    cadence_min: int = 15
    queue: str = "gateway-queue.db"
    queue_max_mb: float = Field(1024.0, gt=0)
    queue_warn_fraction: float = Field(0.8, gt=0, lt=1)

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str) -> str:
        if not _CREDIT_CODE.match(value):
            raise ValueError("18 characters of 0-9 A-Z (unified social credit code, upper case)")
        return value

    @field_validator("cadence_min")
    @classmethod
    def _cadence(cls, value: int) -> int:
        if not 1 <= value <= 60 or 60 % value:
            raise ValueError(
                f"cadence_min {value}: must divide the hour (1, 2, 3, 5, 10, 15, 20, 30 or 60)"
            )
        return value


class PlatformSection(_Section):
    """``[platform]``: where to upload and the device key (the secret stays in its file)."""

    url: str
    key_id: str = Field(pattern=r"^[A-Za-z0-9._:\-]{1,64}$")
    secret_file: str
    ca_file: str | None = None
    timeout_s: float = Field(30.0, gt=0)
    batch_records: int = Field(1000, ge=1, le=1000)
    transport: Literal["https", "mqtt"] = "https"
    """How messages and heartbeats go: HTTPS to `url`, or MQTT through ``[mqtt]`` (the reads
    of protocol §11 always go over HTTPS to `url`)."""
    heartbeat_min: int = Field(5, ge=1, le=1440)
    """Minutes between heartbeats."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme == "http" and parts.hostname in LOOPBACK:
            return value.rstrip("/")
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("the platform URL must be https:// (plain http only to loopback)")
        if parts.query or parts.fragment:
            raise ValueError("the platform URL takes no query or fragment")
        return value.rstrip("/")


class MqttSection(_Section):
    """``[mqtt]``: the broker, when ``[platform] transport = "mqtt"`` (protocol appendix F).

    The device logs in with its key id as client id and username and the password derived
    from its secret; nothing else is configured for it."""

    host: str
    port: int = Field(1883, ge=1, le=65535)
    tls: bool = False
    ca_file: str | None = None
    keepalive_s: int = Field(30, ge=5, le=3600)
    ack_timeout_s: float = Field(30.0, gt=0, le=600)
    """How long to wait for a message's ack before sending it again [s]."""


class ModbusLink(_Section):
    """``[[modbus.links]]``: one TCP connection or serial line."""

    name: str
    transport: Literal["tcp", "rtu", "rtu-over-tcp"] = "tcp"
    host: str | None = None
    port: int = Field(502, ge=1, le=65535)
    device: str | None = None
    baudrate: int = 9600
    parity: Literal["N", "E", "O"] = "N"
    stopbits: Literal[1, 2] = 1
    bytesize: Literal[7, 8] = 8
    timeout_s: float = Field(1.0, gt=0, le=60)
    retries: int = Field(1, ge=0, le=5)


class ItemSpec(_Section):
    """``[[items]]``: a data item of the enterprise as the platform registered it."""

    code: str
    period: Literal["15min", "hour", "day"] = "15min"
    unit: str = Field("kWh", min_length=1, max_length=16)
    register_max: float | None = Field(None, gt=0)
    resolution: float = Field(0.01, gt=0)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not _ITEM_CODE.match(value):
            raise ValueError("an item code is 1-64 printable ASCII characters without spaces")
        return value


class PointSpec(_Section):
    """``[[points]]``: one meter register mapped to a data item."""

    item: str
    link: str
    meter: str | None = None
    unit_id: int = Field(1, ge=0, le=247)
    function: Literal[3, 4] = 3
    address: int = Field(ge=0, le=65535)
    data_type: DataType = "u32"
    word_order: Order | None = None
    byte_order: Order = "big"
    scale: float = Field(1.0, gt=0)
    ct_ratio: float = Field(1.0, gt=0)
    pt_ratio: float = Field(1.0, gt=0)

    @property
    def words(self) -> int:
        """Registers this point occupies."""
        return WORDS[self.data_type]

    @property
    def factor(self) -> float:
        """What one raw count is worth in the item's unit: scale × CT × PT."""
        return self.scale * self.ct_ratio * self.pt_ratio

    @property
    def name(self) -> str:
        """The meter's name in status and logs (the item code unless given)."""
        return self.meter or self.item


class _Modbus(_Section):
    links: list[ModbusLink] = []


class _Document(_Section):
    gateway: GatewaySection
    platform: PlatformSection
    mqtt: MqttSection | None = None
    modbus: _Modbus = _Modbus()
    dlt645: Dlt645Section = Dlt645Section()
    opcua: OpcuaSection = OpcuaSection()
    items: list[ItemSpec] = []
    points: list[PointSpec] = []


AnyPoint = PointSpec | Dlt645Point | OpcuaPoint
"""A point of any protocol: each has ``item``, ``name`` and ``factor``."""


def _every_point(doc: _Document) -> list[tuple[Location, AnyPoint]]:
    """Each point of every protocol with where it is written."""
    return [
        *((("points", i), p) for i, p in enumerate(doc.points)),
        *((("dlt645", "points", i), p) for i, p in enumerate(doc.dlt645.points)),
        *((("opcua", "points", i), p) for i, p in enumerate(doc.opcua.points)),
    ]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: its line [1-based] and the reason."""

    line: int
    reason: str


class ConfigError(Exception):
    """The configuration file cannot be used; `problems` lists each (line, reason)."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(f"{path}:{p.line}: {p.reason}" for p in self.problems))


@dataclass(frozen=True)
class GatewayConfig:
    """A checked configuration; relative paths are resolved against the file's folder."""

    path: Path
    gateway: GatewaySection
    platform: PlatformSection
    links: dict[str, ModbusLink]
    items: dict[str, ItemSpec]
    points: tuple[PointSpec, ...]
    dlt645_links: dict[str, Dlt645Link] = field(default_factory=dict)
    dlt645_points: tuple[Dlt645Point, ...] = ()
    opcua_servers: dict[str, OpcuaServer] = field(default_factory=dict)
    opcua_points: tuple[OpcuaPoint, ...] = ()
    mqtt: MqttSection | None = None

    @property
    def all_points(self) -> tuple[AnyPoint, ...]:
        """The points of every protocol: Modbus, DL/T 645, OPC UA."""
        return (*self.points, *self.dlt645_points, *self.opcua_points)

    def resolve(self, name: str) -> Path:
        """`name` (a path from the file) relative to the file's folder."""
        return (self.path.parent / name).resolve()

    @property
    def queue_path(self) -> Path:
        """The local queue database."""
        return self.resolve(self.gateway.queue)

    def read_secret(self) -> bytes:
        """The device secret: the first line of ``secret_file`` (UTF-8 bytes, as signed)."""
        text = self.resolve(self.platform.secret_file).read_text(encoding="utf-8")
        secret = text.strip()
        if not secret:
            raise ValueError(f"{self.platform.secret_file}: the secret file is empty")
        return secret.encode("utf-8")


def _secrets(node: Any, where: Location, found: list[tuple[Location, str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower() in SECRET_NAMES:
                hint = "password_file" if where[:1] == ("opcua",) else "[platform] secret_file"
                found.append(
                    (
                        (*where, key),
                        f"{key!r}: no secret is written into the config;"
                        f" put it in a file readable by the gateway only and give {hint}",
                    )
                )
            else:
                _secrets(value, (*where, key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _secrets(value, (*where, index), found)
    elif isinstance(node, str) and _LOOKS_LIKE_SECRET.match(node):
        found.append(
            (
                where,
                "this value looks like a device secret (43 characters);"
                " secrets go in secret_file, never in the config",
            )
        )


def _cross_checks(doc: _Document) -> list[tuple[Location, str]]:
    found: list[tuple[Location, str]] = []
    items: dict[str, int] = {}
    for i, item in enumerate(doc.items):
        if item.code in items:
            found.append(
                (
                    ("items", i, "code"),
                    f"duplicate item code {item.code!r} (also items[{items[item.code]}])",
                )
            )
        items.setdefault(item.code, i)
        if FIXED_SECONDS[item.period] % (doc.gateway.cadence_min * 60):
            found.append(
                (
                    ("items", i, "period"),
                    f"period {item.period} is not a whole"
                    f" number of cadences of {doc.gateway.cadence_min} min",
                )
            )
    links = {link.name for link in doc.modbus.links}
    if len(links) < len(doc.modbus.links):
        found.append((("modbus", "links"), "two Modbus links have the same name"))
    used: dict[str, str] = {}
    for where, point in _every_point(doc):
        if point.item not in items:
            found.append(
                (
                    (*where, "item"),
                    f"unknown item code {point.item!r}: not among the [[items]] of this enterprise",
                )
            )
        elif point.item in used:
            found.append(
                (
                    (*where, "item"),
                    f"item {point.item!r} is already read by"
                    f" {used[point.item]}: one meter register per item",
                )
            )
        used.setdefault(point.item, ".".join(map(str, where[:-1])) + f"[{where[-1]}]")
    for i, point in enumerate(doc.points):
        if point.link not in links:
            found.append((("points", i, "link"), f"unknown Modbus link {point.link!r}"))
        if point.data_type == "u16" and point.word_order is not None:
            found.append(
                (("points", i, "word_order"), "a u16 is one register: word_order does not apply")
            )
    found.extend(_overlaps(doc.points))
    found.extend(dlt645_checks(doc.dlt645))
    found.extend(opcua_checks(doc.opcua))
    if doc.platform.transport == "mqtt" and doc.mqtt is None:
        found.append((("platform", "transport"), 'transport "mqtt" needs an [mqtt] section'))
    for i, link in enumerate(doc.modbus.links):
        needs = "device" if link.transport == "rtu" else "host"
        if getattr(link, needs) is None:
            found.append((("modbus", "links", i), f"a {link.transport} link needs {needs}"))
    return found


def _overlaps(points: list[PointSpec]) -> list[tuple[Location, str]]:
    found: list[tuple[Location, str]] = []
    spans = sorted(
        (
            (p.link, p.unit_id, p.function, p.address, p.address + p.words, i)
            for i, p in enumerate(points)
        ),
    )
    for before, after in itertools.pairwise(spans):
        if before[:3] == after[:3] and after[3] < before[4]:
            found.append(
                (
                    ("points", after[5], "address"),
                    f"registers {after[3]}..{after[4] - 1} overlap points[{before[5]}]"
                    f" ({before[3]}..{before[4] - 1}) on link {after[0]!r} unit"
                    f" {after[1]} function {after[2]}",
                )
            )
    return found


def load_config(path: Path) -> GatewayConfig:
    """Read and check the configuration file at `path`.

    Raises
    ------
    ConfigError
        With every problem found, each with its line.
    OSError
        When the file cannot be read.
    """
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line ([0-9]+)", str(exc))
        raise ConfigError(path, [Problem(int(line.group(1)) if line else 1, str(exc))]) from None
    lines = LineIndex(text)
    found: list[tuple[Location, str]] = []
    _secrets(raw, (), found)
    doc: _Document | None = None
    try:
        doc = _Document.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            location = tuple(error["loc"])
            found.append((location, f"{'.'.join(map(str, location))}: {error['msg']}"))
    if doc is not None:
        found.extend(_cross_checks(doc))
    if found:
        raise ConfigError(path, [Problem(lines.line(loc), reason) for loc, reason in found])
    assert doc is not None
    return GatewayConfig(
        path=path.resolve(),
        gateway=doc.gateway,
        platform=doc.platform,
        links={link.name: link for link in doc.modbus.links},
        items={item.code: item for item in doc.items},
        points=tuple(doc.points),
        dlt645_links={link.name: link for link in doc.dlt645.links},
        dlt645_points=tuple(doc.dlt645.points),
        opcua_servers={server.name: server for server in doc.opcua.servers},
        opcua_points=tuple(doc.opcua.points),
        mqtt=doc.mqtt,
    )
