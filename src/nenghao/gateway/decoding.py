"""Modbus register words to numbers: u16, u32, u64, float32, float64 in any word/byte order.

A Modbus register is a 16-bit word sent high byte first. Wider values span consecutive
registers; meters differ in which word comes first (``word_order``: ``big`` = most significant
word first, "ABCD"; ``little`` = least significant first, "CDAB") and some also swap the two
bytes inside each word (``byte_order``: ``little`` = "BADC"). Floats are IEEE 754 binary32
and binary64.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

WORDS: dict[str, int] = {"u16": 1, "u32": 2, "u64": 4, "float32": 2, "float64": 4}
_FORMAT = {"u16": ">H", "u32": ">I", "u64": ">Q", "float32": ">f", "float64": ">d"}


class NotFiniteError(ValueError):
    """A float register holds NaN or an infinity."""


def to_bytes(words: Sequence[int], word_order: str, byte_order: str) -> bytes:
    """The big-endian byte string of `words` once put in order.

    Parameters
    ----------
    words : sequence of int
        The registers as received, each 0..65535.
    word_order, byte_order : {"big", "little"}
        Which word comes first, and the byte order inside each word.
    """
    ordered = list(words) if word_order == "big" else list(reversed(words))
    out = bytearray()
    for word in ordered:
        if not 0 <= word <= 0xFFFF:
            raise ValueError(f"register word {word} is not 16 bits")
        high, low = word >> 8, word & 0xFF
        out += bytes((high, low) if byte_order == "big" else (low, high))
    return bytes(out)


def decode(words: Sequence[int], data_type: str, word_order: str, byte_order: str) -> float:
    """The number held in `words` (the data type's count of registers).

    Raises
    ------
    NotFiniteError
        For a float that is NaN or infinite (never uploaded).
    ValueError
        For a wrong count of words.
    """
    if len(words) != WORDS[data_type]:
        raise ValueError(f"{data_type} needs {WORDS[data_type]} registers, got {len(words)}")
    (value,) = struct.unpack(_FORMAT[data_type], to_bytes(words, word_order, byte_order))
    if not math.isfinite(value):
        raise NotFiniteError(f"the {data_type} register holds {value}")
    return float(value) if data_type.startswith("float") else int(value)


def encode(value: float, data_type: str, word_order: str, byte_order: str) -> list[int]:
    """The registers holding `value` (the inverse of `decode`; the simulator uses it)."""
    raw = struct.pack(_FORMAT[data_type], value)
    words = []
    for i in range(0, len(raw), 2):
        high, low = raw[i], raw[i + 1]
        words.append(high << 8 | low if byte_order == "big" else low << 8 | high)
    return words if word_order == "big" else list(reversed(words))
