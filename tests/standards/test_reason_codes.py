"""Reason codes are stable, unique, described, and documented as the code says."""

from __future__ import annotations

import re
from pathlib import Path

from nenghao.standards.reason_codes import REASONS, RETRY, ReasonCode, Rejects, reason

DOC = Path(__file__).resolve().parents[2] / "docs" / "uplink-protocol.md"

STABLE_CODES = {
    Rejects.MESSAGE: [
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
    Rejects.RECORD: [
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
        "replacement_suspected",
        "not_manual_item",
        "older_than_stored",
    ],
    Rejects.SIGNATURE: [
        "missing_signature_field",
        "malformed_signature_field",
        "malformed_envelope",
        "unknown_key",
        "stale_timestamp",
        "bad_signature",
        "replayed_nonce",
    ],
    Rejects.FILE: [
        "empty_file",
        "file_too_large",
        "too_many_rows",
        "bad_encoding",
        "unsupported_format",
        "unreadable_file",
        "missing_column",
        "unknown_column",
        "duplicate_column",
        "not_a_number",
    ],
}


def test_codes_are_stable() -> None:
    # Codes may be added (extend STABLE_CODES) but never renamed or removed.
    for rejects, codes in STABLE_CODES.items():
        for code in codes:
            assert reason(ReasonCode(code)).rejects is rejects


def test_every_code_is_described_once() -> None:
    assert set(REASONS) == set(ReasonCode)
    assert len({code.value for code in ReasonCode}) == len(ReasonCode)
    for described in REASONS.values():
        assert described.en
        assert described.zh


def _documented() -> dict[str, tuple[str, str, str, str]]:
    """Appendix C of the protocol document: code -> (rejects, retry, Chinese, English)."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("### C 原因码") : text.index("### D ")]
    rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z]+) \| ([a-z]+) \| (.+?) \| (.+?) \|$", table, re.M)
    return {code: (rejects, retry, zh, en) for code, rejects, retry, zh, en in rows}


def test_the_document_lists_every_code_as_described() -> None:
    documented = _documented()
    assert sorted(documented) == sorted(code.value for code in ReasonCode)
    for code, described in REASONS.items():
        expected = (described.rejects.value, RETRY[code].value, described.zh, described.en)
        assert documented[code.value] == expected


def test_every_code_says_whether_to_resend() -> None:
    assert set(RETRY) == set(ReasonCode)
    # Worked through by hand from section 8 and appendix C: only these are not "fix".
    assert {c.value: r.value for c, r in RETRY.items() if r.value != "fix"} == {
        "future_period": "wait",
        "stale_timestamp": "new",
        "replayed_nonce": "new",
        "reset_unbridged": "done",
        "older_than_stored": "done",
    }
