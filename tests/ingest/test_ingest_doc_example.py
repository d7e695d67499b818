"""The examples in docs/uplink-protocol.md parse and validate."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from nenghao.ingest import ItemSpec, UplinkAck, parse_message, validate_records
from nenghao.ingest.registers import Flag, Reading

DOC = Path(__file__).resolve().parents[2] / "docs" / "uplink-protocol.md"


def appendix_json_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    appendix = text[text.index("### A ") :]
    return re.findall(r"```json\n(.*?)```", appendix, flags=re.DOTALL)


def test_example_message_parses_and_validates() -> None:
    example, _ack = appendix_json_blocks()
    message = parse_message(example)
    assert len(message.records) == 4
    items = {
        "E-01": ItemSpec("E-01", "kWh", "hour"),
        "E-01-M": ItemSpec("E-01-M", "kWh", "15min", value_kind="register"),
        "G-BFG": ItemSpec("G-BFG", "万m3", "day"),
        "E-02-M": ItemSpec("E-02-M", "kWh", "hour", value_kind="register"),
    }
    previous = {"E-02-M": Reading(message.records[3].period_start - 3600, 99000.0)}
    outcome = validate_records(message, items, message.sent_at, previous_registers=previous)
    assert outcome.rejected == ()
    (interval,) = outcome.intervals
    assert interval.value == 12.75 + 12.5
    assert interval.flags == {Flag.REPLACEMENT}
    assert outcome.accepted[2].quality == "estimated"


def test_example_ack_is_an_uplink_ack() -> None:
    _example, ack = appendix_json_blocks()
    parsed = UplinkAck.model_validate_json(ack)
    assert [r.status.value for r in parsed.results] == [
        "accepted",
        "duplicate",
        "revised",
        "rejected",
    ]
    assert parsed.received_at == datetime.fromisoformat("2024-05-01T10:02:14+08:00")
