"""Unified social credit code validation (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nenghao.store.credit_code import (
    CHARSET,
    CreditCodeError,
    make_credit_code,
    validate_credit_code,
)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_known_valid_codes(code) -> None:
    assert validate_credit_code(code) == code


def test_normalises_case_and_space() -> None:
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y44", "check character"),
        ("91350100M0001O0Y43", "not allowed"),
        ("91ABCDEFM000100Y43", "division code"),
    ],
)
def test_invalid_codes_say_why(code, fragment) -> None:
    with pytest.raises(CreditCodeError, match=fragment):
        validate_credit_code(code)


@given(
    division=st.from_regex(r"\A[0-9]{6}\Z"),
    organisation=st.text(alphabet=CHARSET, min_size=9, max_size=9),
)
def test_made_codes_validate_and_any_changed_check_char_fails(division, organisation) -> None:
    code = make_credit_code(division, organisation)
    assert validate_credit_code(code) == code
    wrong = CHARSET[(CHARSET.index(code[-1]) + 1) % 31]
    with pytest.raises(CreditCodeError):
        validate_credit_code(code[:-1] + wrong)
