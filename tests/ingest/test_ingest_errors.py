"""Reason codes are stable, unique and described."""

from __future__ import annotations

import pytest

from nenghao.ingest.errors import REASONS, MessageRejected, Problem, ReasonCode, Scope, reason

STABLE_CODES = {
    Scope.MESSAGE: [
        "body_too_large",
        "malformed_json",
        "json_too_deep",
        "duplicate_key",
        "wrong_type",
        "not_finite",
        "missing_field",
        "unexpected_field",
        "invalid_value",
        "unknown_protocol",
        "invalid_credit_code",
        "invalid_datetime",
        "naive_datetime",
        "misaligned_start",
        "no_value",
        "negative_register",
        "invalid_register_event",
        "no_records",
        "too_many_records",
        "duplicate_record",
        "device_mismatch",
        "enterprise_mismatch",
    ],
    Scope.RECORD: [
        "unknown_item",
        "period_mismatch",
        "unit_mismatch",
        "value_required",
        "register_required",
        "value_not_allowed",
        "future_period",
        "negative_value",
        "value_too_large",
        "register_backwards",
        "register_out_of_range",
        "reset_unbridged",
        "not_manual_item",
    ],
    Scope.SIGNATURE: [
        "missing_signature_field",
        "malformed_signature_field",
        "malformed_envelope",
        "unknown_key",
        "stale_timestamp",
        "bad_signature",
        "replayed_nonce",
    ],
}


def test_codes_are_stable() -> None:
    # Codes may be added (extend STABLE_CODES) but never renamed or removed.
    for scope, codes in STABLE_CODES.items():
        for code in codes:
            assert reason(ReasonCode(code)).scope is scope


def test_every_code_is_described_once() -> None:
    assert set(REASONS) == set(ReasonCode)
    assert len({code.value for code in ReasonCode}) == len(ReasonCode)
    for described in REASONS.values():
        assert described.en
        assert described.zh


def test_every_code_is_documented() -> None:
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "uplink-protocol.md"
    text = doc.read_text(encoding="utf-8")
    missing = [code.value for code in ReasonCode if f"`{code.value}`" not in text]
    assert missing == []


def test_message_rejected_summarises() -> None:
    problems = [
        Problem(ReasonCode.WRONG_TYPE, "records[0].value", "expected a number"),
        Problem(ReasonCode.MISSING_FIELD, "sent_at", "this field is required"),
    ]
    error = MessageRejected(problems)
    assert error.code is ReasonCode.WRONG_TYPE
    assert str(error) == "records[0].value: expected a number (and 1 more)"
    assert problems[0].as_dict() == {
        "code": "wrong_type",
        "location": "records[0].value",
        "message": "expected a number",
    }
    with pytest.raises(ValueError, match="at least one"):
        MessageRejected([])
