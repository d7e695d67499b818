"""The nesting depth of JSON, measured on the bytes before parsing, and where it is enforced."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from message_builders import dumps, message

from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.json_depth import MAX_JSON_DEPTH, JsonTooDeepError, check_json_depth, json_depth
from nenghao.ingest.parsing import parse_message, parse_records
from nenghao.ingest.signing import MalformedEnvelope, open_envelope

TRICKY_TEXT = st.text(alphabet='[]{}"\\ab\u4e2d\n', max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY_TEXT, inner, max_size=3),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(JSON_VALUES, st.booleans())
def test_depth_matches_the_parsed_structure(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    assert json_depth(text) == _depth(value)


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"1", 0),
        (b'"[[[{"', 0),
        (b'["\\"[[", {"a": [[]]}]', 4),
        (b"[" * 5000 + b"]" * 5000, 5000),
    ],
)
def test_depth_examples(text: bytes, depth: int) -> None:
    assert json_depth(text) == depth


def test_check_refuses_beyond_the_limit_only() -> None:
    check_json_depth(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    with pytest.raises(JsonTooDeepError, match="33 levels deep; at most 32"):
        check_json_depth(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("body", [DEEP, b'{"records": ' + DEEP + b"}"])
def test_messages_and_filings_refuse_deep_json(body: bytes) -> None:
    for parse in (parse_message, lambda b: parse_records(b, credit_code="x")):
        with pytest.raises(MessageRejected) as refused:
            parse(body)
        assert refused.value.code.value == "json_too_deep"


def test_a_valid_message_is_far_from_the_limit() -> None:
    assert json_depth(dumps(message()).encode()) <= 4 < MAX_JSON_DEPTH


def test_a_deep_mqtt_envelope_is_malformed() -> None:
    with pytest.raises(MalformedEnvelope, match="nests 100000 levels"):
        open_envelope(DEEP, "nenghao/v1/x/up", secret_of=lambda _key: None, nonces=None)
