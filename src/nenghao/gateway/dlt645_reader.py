"""Reading DL/T 645-2007 meters on an RS-485 line: a serial port (pyserial) or a TCP
transparent link (a serial server that forwards the bytes unchanged, ``socket://``).

The meters of one line are asked one after the other (a read request per point, control code
11) and each answer is checked (`nenghao.gateway.dlt645`). A read that fails gives a `Fault`
instead of a value: ``connection`` (the port or link cannot be opened), ``timeout`` (no whole
answer in time: an offline meter answers nothing), ``checksum_error`` (an answer whose
checksum does not match), ``abnormal_answer`` (the meter answered D1 with an error word, e.g.
02 no such data), ``bad_answer`` (another meter's or identifier's answer, a wrong length, bytes
that are not BCD). Faults are counted in the status and never uploaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import serial

from nenghao.gateway.config_meters import Dlt645Link, Dlt645Point
from nenghao.gateway.dlt645 import (
    AbnormalAnswerError,
    FrameError,
    decode_frame,
    parse_address,
    parse_identifier,
    read_request,
    read_value,
    take_frame,
)
from nenghao.gateway.faults import Fault


class Dlt645Line:
    """One serial line or transparent link and the meters asked over it."""

    def __init__(self, link: Dlt645Link) -> None:
        self.link = link
        self._port: serial.SerialBase | None = None

    @property
    def url(self) -> str:
        """The pyserial URL: the device, or ``socket://host:port`` for a transparent link."""
        if self.link.transport == "tcp":
            return f"socket://{self.link.host}:{self.link.port}"
        return str(self.link.device)

    def _open(self) -> serial.SerialBase:
        if self._port is None:
            self._port = serial.serial_for_url(
                self.url,
                baudrate=self.link.baudrate,
                parity=self.link.parity,
                stopbits=self.link.stopbits,
                bytesize=self.link.bytesize,
                timeout=min(0.1, self.link.timeout_s),
            )
        return self._port

    def close(self) -> None:
        """Close the port (it is opened again by the next read)."""
        if self._port is not None:
            self._port.close()
            self._port = None

    def _answer(self, port: serial.SerialBase) -> bytes | None:
        deadline = time.monotonic() + self.link.timeout_s
        buffer = bytearray()
        while time.monotonic() < deadline:
            buffer += port.read(max(1, port.in_waiting))
            frame = take_frame(buffer)
            if frame is not None:
                return frame
        return None

    def ask(self, point: Dlt645Point) -> float | Fault:
        """The point's value in its item's unit, or why not."""
        address = parse_address(point.address)
        request = read_request(
            address, parse_identifier(point.data_id), preamble=self.link.preamble
        )
        try:
            port = self._open()
            port.reset_input_buffer()
            port.write(request)
            raw = self._answer(port)
        except (serial.SerialException, OSError) as exc:
            self.close()
            return Fault("connection", f"DL/T 645 link {self.link.name!r}: {exc}")
        if raw is None:
            return Fault(
                "timeout",
                f"meter {point.address} on {self.link.name!r}: no answer within"
                f" {self.link.timeout_s} s",
            )
        try:
            value = read_value(decode_frame(raw), address, point.identifier)
        except FrameError as exc:
            return Fault(exc.kind, f"meter {point.address}: {exc}")
        except AbnormalAnswerError as exc:
            return Fault("abnormal_answer", f"meter {point.address}: {exc}")
        return value * point.factor


class Dlt645Reader:
    """Reads every DL/T 645 point of a configuration once per call."""

    def __init__(self, links: dict[str, Dlt645Link], points: Iterable[Dlt645Point]) -> None:
        self.points = tuple(points)
        self.lines = {name: Dlt645Line(link) for name, link in links.items()}

    def close(self) -> None:
        """Close every port."""
        for line in self.lines.values():
            line.close()

    def read_all(self) -> dict[str, float | Fault]:
        """Each point's value (or `Fault`), by item code."""
        return {point.item: self.lines[point.link].ask(point) for point in self.points}
