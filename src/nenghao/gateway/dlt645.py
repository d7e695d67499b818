"""The DL/T 645-2007 frame codec: read requests, normal and abnormal answers, BCD values.

A frame (DL/T 645-2007, 4.1) is::

    [FE FE FE FE]  68  A0 A1 A2 A3 A4 A5  68  C  L  DATA…  CS  16

- the optional ``FE`` bytes wake the receiver up (前导字节) and are not part of the frame;
- ``A0…A5`` the meter address, 12 BCD digits sent least significant byte first (the
  nameplate's ``202312345678`` is sent ``78 56 34 12 23 20``);
- ``C`` the control code: ``11`` read data (master), ``91`` its normal answer, ``D1`` its
  abnormal answer (bit 6 set) whose one data byte is the error word;
- ``L`` the length of DATA; every DATA byte is sent plus ``33`` (mod 256);
- ``CS`` the sum of every byte from the first ``68`` to the end of DATA, modulo 256.

A read request's DATA is the data identifier DI0 DI1 DI2 DI3 (least significant first); the
answer repeats it and adds the value, BCD least significant byte first (``XXXXXX.XX`` kWh: 4
bytes, 2 decimals). The package ``dlt645`` on PyPI (3.2.0) was checked against these frames
and not used: it reads a forward energy above 799 999.99 kWh as negative, decodes bytes that
are not BCD, and drops a frame with a bad checksum silently (so it cannot be counted).
"""

from __future__ import annotations

from dataclasses import dataclass

from nenghao.standards.digits import is_digits
from nenghao.standards.dlt645_identifiers import DataIdentifier

PREAMBLE = b"\xfe\xfe\xfe\xfe"
START, END, OFFSET = 0x68, 0x16, 0x33
READ, READ_ANSWER, READ_ABNORMAL = 0x11, 0x91, 0xD1
HEADER = 10
"""Bytes from the first 68 to L inclusive."""
ERROR_BITS = {
    0x01: "其他错误 other error",
    0x02: "无请求数据 no such data",
    0x04: "密码错/未授权 wrong password or unauthorised",
    0x08: "通信速率不能更改 baud rate cannot change",
    0x10: "年时区数超 too many yearly time zones",
    0x20: "日时段数超 too many daily periods",
    0x40: "费率数超 too many tariffs",
}
"""The error word of an abnormal answer (DL/T 645-2007, 7.2 表10)."""


class FrameError(ValueError):
    """Bytes that are not a usable answer; ``kind`` is the fault counted for the meter:
    ``checksum_error`` or ``bad_answer``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class AbnormalAnswerError(Exception):
    """The meter answered the read with an error word (control code D1)."""

    def __init__(self, error: int) -> None:
        self.error = error
        words = [text for bit, text in ERROR_BITS.items() if error & bit] or ["unknown error"]
        super().__init__(f"abnormal answer, error word {error:02X}: {'; '.join(words)}")


@dataclass(frozen=True, slots=True)
class Frame:
    """A decoded frame: the address as sent, the control code, DATA without the 33 offset."""

    address: bytes
    control: int
    data: bytes


def parse_address(text: str) -> bytes:
    """The wire bytes of a meter address written as on its nameplate (12 digits).

    Raises
    ------
    ValueError
        When `text` is not 12 decimal digits.
    """
    if len(text) != 12 or not is_digits(text):
        raise ValueError(f"meter address {text!r}: 12 decimal digits, as on the nameplate")
    return bytes(int(text[i : i + 2], 16) for i in range(10, -1, -2))


def parse_identifier(text: str) -> bytes:
    """The wire bytes DI0…DI3 of a data identifier written DI3…DI0 (``00010000``)."""
    if len(text) != 8 or any(c not in "0123456789ABCDEFabcdef" for c in text):
        raise ValueError(f"data identifier {text!r}: 8 hex digits DI3 DI2 DI1 DI0")
    return bytes.fromhex(text)[::-1]


def checksum(body: bytes) -> int:
    """Sum of `body` modulo 256 (from the first 68 to the end of DATA)."""
    return sum(body) & 0xFF


def encode_frame(address: bytes, control: int, data: bytes, *, preamble: bool = True) -> bytes:
    """The bytes of a frame; DATA is given without its 33 offset."""
    body = bytes((START, *address, START, control, len(data)))
    body += bytes((b + OFFSET) & 0xFF for b in data)
    return (PREAMBLE if preamble else b"") + body + bytes((checksum(body), END))


def read_request(address: bytes, identifier: bytes, *, preamble: bool = True) -> bytes:
    """A read-data request (control code 11) for one data identifier."""
    return encode_frame(address, READ, identifier, preamble=preamble)


def frame_length(header: bytes) -> int:
    """The whole frame's length [bytes] from its first 10 bytes (68 … L)."""
    if len(header) < HEADER or header[0] != START or header[7] != START:
        raise FrameError("bad_answer", f"not a DL/T 645 frame header: {header.hex(' ')}")
    return HEADER + header[9] + 2


def take_frame(buffer: bytearray) -> bytes | None:
    """Remove and return the first whole frame of `buffer` (from its first 68 to its 16),
    dropping the preamble or noise before it; None while it is incomplete."""
    while True:
        start = buffer.find(START)
        if start < 0:
            buffer.clear()
            return None
        del buffer[:start]
        if len(buffer) < HEADER:
            return None
        if buffer[7] != START:  # a 68 inside noise, not a frame's head
            del buffer[:1]
            continue
        size = HEADER + buffer[9] + 2
        if len(buffer) < size:
            return None
        frame = bytes(buffer[:size])
        del buffer[:size]
        return frame


def decode_frame(raw: bytes) -> Frame:
    """Decode one frame starting at its first 68 (no preamble).

    Raises
    ------
    FrameError
        ``checksum_error`` when CS does not match, ``bad_answer`` for anything else amiss.
    """
    size = frame_length(raw[:HEADER])
    if len(raw) != size:
        raise FrameError("bad_answer", f"frame of {len(raw)} bytes, its L says {size}")
    if raw[-1] != END:
        raise FrameError("bad_answer", f"frame ends with {raw[-1]:02X}, not 16")
    expected = checksum(raw[:-2])
    if raw[-2] != expected:
        raise FrameError(
            "checksum_error", f"checksum {raw[-2]:02X}, the bytes sum to {expected:02X}"
        )
    data = bytes((b - OFFSET) & 0xFF for b in raw[HEADER:-2])
    return Frame(bytes(raw[1:7]), raw[8], data)


def bcd_value(data: bytes, decimals: int, *, signed: bool = False) -> float:
    """The number in BCD bytes sent least significant first.

    With `signed`, the highest bit of the last byte is the sign (the combined energies).

    Raises
    ------
    FrameError
        ``bad_answer`` for a nibble above 9.
    """
    ordered = bytearray(data[::-1])
    negative = signed and bool(ordered[0] & 0x80)
    if signed:
        ordered[0] &= 0x7F
    digits = ordered.hex()
    if not is_digits(digits):
        raise FrameError("bad_answer", f"not BCD: {data.hex(' ')}")
    value = int(digits) / 10.0**decimals
    return -value if negative else value


def bcd_bytes(counts: int, size: int) -> bytes:
    """`counts` (a non-negative integer) as `size` BCD bytes, least significant first."""
    text = f"{counts:0{2 * size}d}"
    if len(text) > 2 * size or counts < 0:
        raise ValueError(f"{counts} does not fit {size} BCD bytes")
    return bytes.fromhex(text)[::-1]


def read_value(frame: Frame, address: bytes, identifier: DataIdentifier) -> float:
    """The value of a read answer for `identifier` from the meter at `address`.

    Raises
    ------
    AbnormalAnswerError
        For an abnormal answer (control code D1).
    FrameError
        ``bad_answer`` for an answer from another meter, to another identifier, of the wrong
        length or not BCD.
    """
    if frame.address != address:
        raise FrameError("bad_answer", f"answer from address {frame.address[::-1].hex()}")
    if frame.control == READ_ABNORMAL:
        if len(frame.data) != 1:
            raise FrameError("bad_answer", "an abnormal answer carries one error byte")
        raise AbnormalAnswerError(frame.data[0])
    if frame.control != READ_ANSWER:
        raise FrameError("bad_answer", f"control code {frame.control:02X}, expected 91 or D1")
    size = identifier.digits // 2
    wire = parse_identifier(identifier.di)
    if frame.data[:4] != wire or len(frame.data) != 4 + size:
        raise FrameError(
            "bad_answer",
            f"answer {frame.data.hex(' ')} is not {size} bytes of identifier {identifier.di}",
        )
    return bcd_value(frame.data[4:], identifier.decimals, signed=identifier.signed)
