"""Reading meter registers over Modbus (pymodbus): TCP, RTU on a serial line, RTU over TCP.

Points of one link, unit and function that lie close together are read in one request (at most
125 registers). Each point's words are decoded (`nenghao.gateway.decoding`) and multiplied by
scale × CT ratio × PT ratio. A read that fails gives a `Fault` per point instead of a value:
``timeout`` (no answer), ``connection`` (cannot connect), ``exception_code`` (the meter or a
Modbus gateway answered an exception, e.g. 2 illegal address, 11 target failed to respond),
``crc_error`` (bytes arrived but the RTU frame's CRC does not match), ``bad_answer`` and
``not_finite`` (a float register holding NaN or an infinity). Faults are counted in the status
and never uploaded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException
from pymodbus.framer import FramerType

from nenghao.gateway.config import ModbusLink, PointSpec
from nenghao.gateway.decoding import NotFiniteError, decode
from nenghao.gateway.faults import Fault

MAX_REGISTERS = 125
"""The most registers one read may ask for (Modbus application protocol, function 3/4)."""
MAX_GAP = 8
"""Unused registers a block read may span to join two points."""
logging.getLogger("pymodbus").setLevel(logging.CRITICAL)  # faults are reported as `Fault`
__all__ = ["Block", "Fault", "LinkReader", "ModbusReader", "plan_blocks", "point_value"]


@dataclass(frozen=True, slots=True)
class Block:
    """One read request covering several points."""

    link: str
    unit_id: int
    function: int
    address: int
    count: int
    points: tuple[PointSpec, ...]


def plan_blocks(points: Iterable[PointSpec]) -> list[Block]:
    """Group `points` into as few reads as the limits allow."""
    ordered = sorted(points, key=lambda p: (p.link, p.unit_id, p.function, p.address))
    blocks: list[Block] = []
    current: list[PointSpec] = []

    def close() -> None:
        if current:
            first, end = current[0].address, max(p.address + p.words for p in current)
            blocks.append(
                Block(
                    current[0].link,
                    current[0].unit_id,
                    current[0].function,
                    first,
                    end - first,
                    tuple(current),
                )
            )

    for point in ordered:
        if current:
            head = current[0]
            end = max(p.address + p.words for p in current)
            same = (head.link, head.unit_id, head.function) == (
                point.link,
                point.unit_id,
                point.function,
            )
            fits = point.address + point.words - head.address <= MAX_REGISTERS
            if not (same and fits and point.address - end <= MAX_GAP):
                close()
                current = []
        current.append(point)
    close()
    return blocks


def crc16(frame: bytes) -> int:
    """The Modbus RTU CRC-16 of `frame` (polynomial 0xA001 reflected, initial 0xFFFF)."""
    crc = 0xFFFF
    for byte in frame:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def crc_ok(frame: bytes) -> bool:
    """Whether an RTU frame ends with the CRC of the rest (low byte first)."""
    return len(frame) >= 4 and crc16(frame[:-2]) == int.from_bytes(frame[-2:], "little")


class LinkReader:
    """One Modbus connection and the blocks read over it."""

    def __init__(self, link: ModbusLink) -> None:
        self.link = link
        self._received = bytearray()
        common: dict[str, Any] = {
            "timeout": link.timeout_s,
            "retries": link.retries,
            "trace_packet": self._trace,
        }
        self.client: ModbusTcpClient | ModbusSerialClient
        if link.transport == "rtu":
            self.client = ModbusSerialClient(
                str(link.device),
                framer=FramerType.RTU,
                baudrate=link.baudrate,
                parity=link.parity,
                stopbits=link.stopbits,
                bytesize=link.bytesize,
                **common,
            )
        else:
            framer = FramerType.RTU if link.transport == "rtu-over-tcp" else FramerType.SOCKET
            self.client = ModbusTcpClient(str(link.host), port=link.port, framer=framer, **common)

    def _trace(self, sending: bool, data: bytes) -> bytes:
        if not sending:
            self._received += data
        return data

    def close(self) -> None:
        """Close the connection."""
        self.client.close()  # type: ignore[no-untyped-call]

    def read(self, block: Block) -> list[int] | Fault:
        """The block's registers, or why not."""
        self._received.clear()
        reader = (
            self.client.read_holding_registers
            if block.function == 3
            else self.client.read_input_registers
        )
        try:
            if not self.client.connected and not self.client.connect():
                return Fault("connection", f"cannot connect to link {self.link.name!r}")
            answer = reader(block.address, count=block.count, device_id=block.unit_id)
        except ConnectionException as exc:
            return Fault("connection", f"link {self.link.name!r}: {exc}")
        except ModbusException as exc:
            return self._no_answer(exc)
        if answer.isError():
            code = getattr(answer, "exception_code", None)
            return Fault("exception_code", f"exception code {code} from unit {block.unit_id}")
        registers = list(getattr(answer, "registers", []) or [])
        if len(registers) != block.count:
            return Fault("bad_answer", f"{len(registers)} registers for {block.count} asked")
        return registers

    def _no_answer(self, exc: Exception) -> Fault:
        rtu = self.link.transport in ("rtu", "rtu-over-tcp")
        if rtu and self._received and not crc_ok(bytes(self._received)):
            return Fault("crc_error", f"link {self.link.name!r}: an answer failed its CRC check")
        if self._received:
            return Fault("bad_answer", f"link {self.link.name!r}: {exc}")
        return Fault(
            "timeout", f"link {self.link.name!r}: no answer within {self.link.timeout_s} s ({exc})"
        )


def point_value(point: PointSpec, words: Sequence[int]) -> float | Fault:
    """The point's value in its item's unit from its own registers."""
    try:
        raw = decode(words, point.data_type, point.word_order or "big", point.byte_order)
    except NotFiniteError as exc:
        return Fault("not_finite", str(exc))
    return raw * point.factor


class ModbusReader:
    """Reads every point of a configuration once per call."""

    def __init__(self, links: dict[str, ModbusLink], points: Iterable[PointSpec]) -> None:
        self.blocks = plan_blocks(points)
        self.links = {name: LinkReader(link) for name, link in links.items()}

    def close(self) -> None:
        """Close every connection."""
        for reader in self.links.values():
            reader.close()

    def _read_alone(self, point: PointSpec) -> dict[str, float | Fault]:
        block = Block(
            point.link, point.unit_id, point.function, point.address, point.words, (point,)
        )
        answer = self.links[point.link].read(block)
        return {point.item: answer if isinstance(answer, Fault) else point_value(point, answer)}

    def read_all(self) -> dict[str, float | Fault]:
        """Each point's value (or `Fault`), by item code."""
        values: dict[str, float | Fault] = {}
        for block in self.blocks:
            answer = self.links[block.link].read(block)
            if (
                isinstance(answer, Fault)
                and answer.kind == "exception_code"
                and len(block.points) > 1
            ):  # one meter's fault must not hide the others
                for point in block.points:
                    values.update(self._read_alone(point))
                continue
            for point in block.points:
                if isinstance(answer, Fault):
                    values[point.item] = answer
                else:
                    offset = point.address - block.address
                    values[point.item] = point_value(point, answer[offset : offset + point.words])
        return values
