"""DL/T 645-2007 frames worked out by hand from the standard (4.1 frame format, 7.1 read data).

Meter address ``202312345678`` (nameplate) → A0…A5 = 78 56 34 12 23 20 (least significant byte
first). Data identifier 00 01 00 00 (forward active energy, total) → DI0…DI3 = 00 00 01 00, sent
+33 each: 33 33 34 33. The checksum is the sum of every byte from the first 68 to the end of
DATA, modulo 256. The common head ``68 78 56 34 12 23 20 68`` sums to
104 + 120 + 86 + 52 + 18 + 35 + 32 + 104 = 551.
"""

from __future__ import annotations

import pytest

from nenghao.gateway.dlt645 import (
    AbnormalAnswerError,
    FrameError,
    bcd_bytes,
    bcd_value,
    decode_frame,
    encode_frame,
    parse_address,
    parse_identifier,
    read_request,
    read_value,
)
from nenghao.standards.dlt645_identifiers import dlt645_identifiers

ADDRESS = parse_address("202312345678")
FORWARD = dlt645_identifiers()["00010000"]

# 551 + 11 + 04 + 33 + 33 + 34 + 33 = 551 + 17 + 4 + 51 + 51 + 52 + 51 = 777 = 3 × 256 + 9 → 09
REQUEST = bytes.fromhex("68 785634122320 68 11 04 33333433 09 16")
# 1234.56 kWh: BCD 00 12 34 56, least significant first 56 34 12 00, +33 → 89 67 45 33.
# 551 + 91 + 08 + (33 33 34 33) + 89 + 67 + 45 + 33
#   = 551 + 145 + 8 + 205 + 137 + 103 + 69 + 51 = 1269 = 4 × 256 + 245 → F5
ANSWER_1234_56 = bytes.fromhex("68 785634122320 68 91 08 33333433 89674533 F5 16")
# 876543.21 kWh (above 799999.99, where a sign bit would wrongly make it negative):
# BCD 87 65 43 21 → 21 43 65 87 → +33 → 54 76 98 BA (84 + 118 + 152 + 186 = 540).
# 551 + 145 + 8 + 205 + 540 = 1449 = 5 × 256 + 169 → A9
ANSWER_876543_21 = bytes.fromhex("68 785634122320 68 91 08 33333433 547698BA A9 16")
# Abnormal answer (control D1), error word 02 "no such data" sent +33 → 35.
# 551 + 209 + 1 + 53 = 814 = 3 × 256 + 46 → 2E
ABNORMAL = bytes.fromhex("68 785634122320 68 D1 01 35 2E 16")


def test_address_and_identifier_on_the_wire() -> None:
    assert bytes.fromhex("785634122320") == ADDRESS
    assert parse_identifier("00010000") == bytes.fromhex("00000100")
    for bad in ("20231234567", "2023123456789", "20231234567A", "２０２３１２３４５６７８"):
        with pytest.raises(ValueError, match="12 decimal digits"):
            parse_address(bad)


def test_read_request_matches_the_hand_worked_frame() -> None:
    assert read_request(ADDRESS, parse_identifier("00010000"), preamble=False) == REQUEST
    assert read_request(ADDRESS, parse_identifier("00010000")) == b"\xfe" * 4 + REQUEST


def test_normal_answers_decode_to_kwh() -> None:
    frame = decode_frame(ANSWER_1234_56)
    assert (frame.address, frame.control) == (ADDRESS, 0x91)
    assert frame.data == bytes.fromhex("00000100 56341200")  # the 33 offset removed
    assert read_value(frame, ADDRESS, FORWARD) == 1234.56
    assert read_value(decode_frame(ANSWER_876543_21), ADDRESS, FORWARD) == 876543.21
    data = bytes.fromhex("00000100") + bcd_bytes(87654321, 4)
    assert encode_frame(ADDRESS, 0x91, data, preamble=False) == ANSWER_876543_21


def test_bcd_values() -> None:
    assert bcd_value(bytes.fromhex("56341200"), 2) == 1234.56
    assert bcd_value(bytes.fromhex("99999999"), 2) == 999999.99
    # combined energy: the highest bit of the last byte is the sign; 80 10 00 00 → −1000.00
    assert bcd_value(bytes.fromhex("00001080"), 2, signed=True) == -1000.0
    assert bcd_bytes(123456, 4) == bytes.fromhex("56341200")
    with pytest.raises(FrameError, match="not BCD") as caught:
        bcd_value(bytes.fromhex("5A341200"), 2)
    assert caught.value.kind == "bad_answer"


def test_bad_checksum_is_a_checksum_error() -> None:
    corrupted = ANSWER_1234_56[:-2] + b"\xf4\x16"
    with pytest.raises(FrameError, match="checksum F4, the bytes sum to F5") as caught:
        decode_frame(corrupted)
    assert caught.value.kind == "checksum_error"


def test_abnormal_answer_names_the_error_word() -> None:
    frame = decode_frame(ABNORMAL)
    assert (frame.control, frame.data) == (0xD1, b"\x02")
    expected = "error word 02: 无请求数据 no such data"
    with pytest.raises(AbnormalAnswerError, match=expected) as caught:
        read_value(frame, ADDRESS, FORWARD)
    assert caught.value.error == 0x02


def test_answers_from_another_meter_or_identifier_are_refused() -> None:
    other = parse_address("000000000001")
    with pytest.raises(FrameError, match="answer from address 202312345678"):
        read_value(decode_frame(ANSWER_1234_56), other, FORWARD)
    reverse = dlt645_identifiers()["00020000"]
    with pytest.raises(FrameError, match="identifier 00020000"):
        read_value(decode_frame(ANSWER_1234_56), ADDRESS, reverse)
    with pytest.raises(FrameError, match="frame ends with 17"):
        decode_frame(ANSWER_1234_56[:-1] + b"\x17")
