"""Register words decoded by hand for each data type and order."""

from __future__ import annotations

import pytest

from nenghao.gateway.config import PointSpec
from nenghao.gateway.decoding import NotFiniteError, decode, encode
from nenghao.gateway.modbus import Fault, crc16, point_value


@pytest.mark.parametrize(
    ("words", "data_type", "word_order", "byte_order", "expected"),
    [
        ([0x1234], "u16", "big", "big", 0x1234),  # 4660
        ([0x3412], "u16", "big", "little", 0x1234),
        # 100000 = 0x000186A0: high word 0x0001, low word 0x86A0
        ([0x0001, 0x86A0], "u32", "big", "big", 100000),
        ([0x86A0, 0x0001], "u32", "little", "big", 100000),  # CDAB
        ([0x0100, 0xA086], "u32", "big", "little", 100000),  # BADC
        ([0xA086, 0x0100], "u32", "little", "little", 100000),  # DCBA
        # 2**32 + 5 = 0x0000_0001_0000_0005
        ([0x0000, 0x0001, 0x0000, 0x0005], "u64", "big", "big", 4294967301),
        ([0x0005, 0x0000, 0x0001, 0x0000], "u64", "little", "big", 4294967301),
        # 1.5 = 0x3FC00000 (sign 0, exponent 127, fraction .1b)
        ([0x3FC0, 0x0000], "float32", "big", "big", 1.5),
        ([0x0000, 0x3FC0], "float32", "little", "big", 1.5),
        ([0xC03F, 0x0000], "float32", "big", "little", 1.5),
        # -2.0 = 0xC0000000
        ([0xC000, 0x0000], "float32", "big", "big", -2.0),
        # 1.5 = 0x3FF8000000000000 in binary64
        ([0x3FF8, 0, 0, 0], "float64", "big", "big", 1.5),
        ([0, 0, 0, 0x3FF8], "float64", "little", "big", 1.5),
    ],
)
def test_decode(words, data_type, word_order, byte_order, expected) -> None:
    assert decode(words, data_type, word_order, byte_order) == expected
    assert encode(expected, data_type, word_order, byte_order) == words


@pytest.mark.parametrize("words", [[0x7FC0, 0x0000], [0x7F80, 0x0000], [0xFF80, 0x0000]])
def test_nan_and_infinities_are_refused(words) -> None:
    with pytest.raises(NotFiniteError):
        decode(words, "float32", "big", "big")
    point = PointSpec(item="X", link="l", address=0, data_type="float32")
    assert isinstance(point_value(point, words), Fault)


def test_scale_ct_and_pt() -> None:
    # 100000 counts × 0.01 kWh × CT 200/5 = 40 × PT 10 kV/100 V = 100 → 4 000 000 kWh
    point = PointSpec(item="X", link="l", address=0, scale=0.01, ct_ratio=40, pt_ratio=100)
    assert point_value(point, [0x0001, 0x86A0]) == pytest.approx(4_000_000.0)


def test_rtu_crc() -> None:
    # the specification's example request 01 03 00 00 00 0A: CRC 0xCDC5, sent C5 CD
    assert crc16(bytes.fromhex("01030000000A")) == 0xCDC5
