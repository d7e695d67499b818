"""The ingest exceptions locate their problems and summarise them."""

from __future__ import annotations

import pytest

from nenghao.ingest.errors import MessageRejected, Problem
from nenghao.standards.reason_codes import ReasonCode


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
