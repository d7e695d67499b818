"""Parsing uplink messages: every structural rejection has its code and location."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from message_builders import CREDIT_CODE, dumps, message, record
from pydantic import ValidationError

from nenghao.ingest import MessageRejected, Problem, parse_message
from nenghao.ingest.parsing import format_location
from nenghao.ingest.protocol import (
    HTTP_PATH,
    PROTOCOL,
    RecordResult,
    UplinkAck,
    UplinkMessage,
    check_sender,
    mqtt_ack_topic,
    mqtt_up_topic,
)
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import RecordStatus

C = ReasonCode


def rejected(body: str | bytes, **kwargs: int) -> list[tuple[str, str]]:
    with pytest.raises(MessageRejected) as info:
        parse_message(body, **kwargs)
    assert info.value.code is info.value.problems[0].code
    return [(p.code.value, p.location) for p in info.value.problems]


def test_valid_message_parses() -> None:
    parsed = parse_message(
        dumps(
            message(
                record(),
                record(item="W01", period="day", start="2024-04-30T00:00:00+08:00", unit="t"),
                record(
                    item="E02",
                    value=None,
                    register=1234.5,
                    register_event={"kind": "replacement", "old_final": 9.5, "new_initial": 0},
                    quality="estimated",
                ),
            )
        )
    )
    assert parsed.protocol == PROTOCOL
    assert parsed.credit_code == CREDIT_CODE
    assert parsed.sent_at == datetime(2024, 5, 1, 2, 20, tzinfo=UTC)
    first = parsed.records[0]
    assert first.period_start == int(datetime(2024, 5, 1, 1, tzinfo=UTC).timestamp())
    assert first.key == ("E01", "hour", first.period_start)
    assert first.quality is None
    assert parsed.records[2].register == 1234.5
    event = parsed.records[2].register_event
    assert event is not None
    assert (event.kind, event.old_final, event.new_initial) == ("replacement", 9.5, 0)


def test_bytes_and_str_bodies_are_the_same() -> None:
    text = dumps(message())
    assert parse_message(text) == parse_message(text.encode("utf-8"))


def test_integer_values_are_numbers() -> None:
    parsed = parse_message(dumps(message(record(value=0))))
    assert parsed.records[0].value == 0.0


def test_utc_offset_z_and_other_offsets_are_accepted() -> None:
    parsed = parse_message(
        dumps(
            message(
                record(start="2024-05-01T01:00:00Z"),
                record(item="E02", start="2024-05-01T04:30:00+05:30"),
            )
        )
    )
    assert parsed.records[0].period_start == parsed.records[1].period_start + 2 * 3600


# --- JSON level -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["", "{", '{"protocol": }', "nonsense", '{"a": 1} trailing', "\ufeff{}"],
    ids=["empty", "unclosed", "no-value", "not-json", "trailing", "bom"],
)
def test_malformed_json(body: str) -> None:
    assert rejected(body) == [("malformed_json", "$")]


def test_invalid_utf8() -> None:
    body = dumps(message()).encode("utf-8").replace(b"gw-01", b"gw-\xff1")
    assert rejected(body) == [("malformed_json", "$")]


def test_body_too_large() -> None:
    body = dumps(message())
    assert rejected(body, max_body_bytes=len(body.encode()) - 1) == [("body_too_large", "$")]
    assert parse_message(body, max_body_bytes=len(body.encode()))


@pytest.mark.parametrize("body", ["[]", "1", '"text"', "null"])
def test_top_level_must_be_an_object(body: str) -> None:
    assert rejected(body) == [("wrong_type", "$")]


def test_duplicate_json_keys_are_located() -> None:
    text = dumps(message(record(), record(item="E02")))
    text = text.replace('"item": "E02"', '"item": "E02", "item": "E03"')
    assert rejected(text) == [("duplicate_key", "records[1].item")]
    top = '{"protocol": "x", "protocol": "y"}'
    assert rejected(top) == [("duplicate_key", "protocol")]


# --- non-finite numbers -----------------------------------------------------------------


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
def test_non_finite_number_literals(literal: str) -> None:
    text = dumps(message(record(), record(item="E02", value=7.25)))
    text = text.replace("7.25", literal)
    assert rejected(text) == [("not_finite", "records[1].value")]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "inf", "nan"])
def test_non_finite_numbers_as_strings(literal: str) -> None:
    assert rejected(dumps(message(record(value=literal)))) == [("not_finite", "records[0].value")]


def test_non_finite_register_and_event_readings() -> None:
    text = dumps(
        message(
            record(
                value=None,
                register=5.5,
                register_event={"kind": "reset", "old_final": 6.5},
            )
        )
    )
    assert rejected(text.replace("5.5", "NaN")) == [("not_finite", "records[0].register")]
    assert rejected(text.replace("6.5", "Infinity")) == [
        ("not_finite", "records[0].register_event.old_final")
    ]


def test_huge_integer_literal() -> None:
    text = dumps(message(record(value=7)))
    assert rejected(text.replace(": 7", ": 1" + "0" * 400)) == [("not_finite", "records[0].value")]
    assert rejected(text.replace(": 7", ": 1" + "0" * 5000)) == [("malformed_json", "$")]


def test_non_finite_in_a_string_field() -> None:
    text = dumps(message()).replace('"gw-01"', "NaN")
    assert rejected(text) == [("not_finite", "device_id")]


# --- types, missing and extra fields ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("value", "12.5"),
        ("value", True),
        ("value", [1]),
        ("item", 12),
        ("unit", None),
        ("period", 1),
        ("start", 1714525200),
        ("register", "5"),
        ("register_event", "reset"),
        ("quality", 1),
    ],
)
def test_wrong_record_field_types(field: str, value: object) -> None:
    body = message(record(), record(item="E02"))
    body["records"][1][field] = value
    expected_code = "wrong_type"
    if value is None:
        expected_code = "wrong_type"
    if field in {"period", "quality"}:
        expected_code = "invalid_value"  # a literal: anything else is not one of the choices
    assert rejected(dumps(body)) == [(expected_code, f"records[1].{field}")]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("protocol", 1),
        ("credit_code", 91210300),
        ("device_id", None),
        ("sent_at", 1714525200),
        ("message_id", 5),
        ("records", {"item": "E01"}),
    ],
)
def test_wrong_message_field_types(field: str, value: object) -> None:
    body = message()
    body[field] = value
    assert rejected(dumps(body)) == [("wrong_type", field)]


def test_record_not_an_object() -> None:
    assert rejected(dumps(message(record(), 5))) == [("wrong_type", "records[1]")]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "field", ["protocol", "credit_code", "device_id", "sent_at", "message_id", "records"]
)
def test_missing_message_fields(field: str) -> None:
    body = message()
    del body[field]
    assert rejected(dumps(body)) == [("missing_field", field)]


@pytest.mark.parametrize("field", ["item", "period", "start", "unit"])
def test_missing_record_fields(field: str) -> None:
    body = message(record(), record(item="E02"))
    del body["records"][1][field]
    assert rejected(dumps(body)) == [("missing_field", f"records[1].{field}")]


def test_no_value_and_no_register() -> None:
    assert rejected(dumps(message(record(value=None)))) == [("no_value", "records[0]")]


def test_null_optional_fields_mean_absent() -> None:
    body = message(record())
    body["records"][0].update(register=None, register_event=None, quality=None)
    assert parse_message(dumps(body)).records[0].register is None


def test_unexpected_fields() -> None:
    body = message(record(vlaue=3))
    body["extra"] = 1
    assert rejected(dumps(body)) == [
        ("unexpected_field", "records[0].vlaue"),
        ("unexpected_field", "extra"),
    ]


def test_all_problems_are_collected_in_order() -> None:
    body = message(
        record(value="x"),
        record(item="E02", start="2024-05-01T09:30:00+08:00"),
        record(item="E03", start="2024-05-01T09:00:00"),
        sent_at="yesterday",
    )
    assert rejected(dumps(body)) == [
        ("invalid_datetime", "sent_at"),
        ("wrong_type", "records[0].value"),
        ("misaligned_start", "records[1].start"),
        ("naive_datetime", "records[2].start"),
    ]


# --- field values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "version", ["nenghao-uplink/2", "nenghao-uplink/1.0", "", "NENGHAO-UPLINK/1"]
)
def test_unknown_protocol(version: str) -> None:
    assert rejected(dumps(message(protocol=version))) == [("unknown_protocol", "protocol")]


@pytest.mark.parametrize(
    "code",
    [
        CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1"),  # check character
        CREDIT_CODE[:17],
        CREDIT_CODE.lower(),  # not canonical
        " " + CREDIT_CODE,
        "91210300MA0XY1234I",  # I is not in the character set
    ],
)
def test_invalid_credit_code(code: str) -> None:
    assert rejected(dumps(message(credit_code=code))) == [("invalid_credit_code", "credit_code")]


@pytest.mark.parametrize("ident", ["", "x" * 65, "has space", "中文", "a/b"])
def test_invalid_identifiers(ident: str) -> None:
    assert rejected(dumps(message(message_id=ident))) == [("invalid_value", "message_id")]
    assert rejected(dumps(message(device_id=ident))) == [("invalid_value", "device_id")]


def test_identifier_limits() -> None:
    assert parse_message(dumps(message(message_id="m" * 64, device_id="d.9:_-" * 4)))


@pytest.mark.parametrize("item", ["", "E 01", "x" * 65, "电量"])
def test_invalid_item_codes(item: str) -> None:
    assert rejected(dumps(message(record(item=item)))) == [("invalid_value", "records[0].item")]


@pytest.mark.parametrize("unit", ["", " kWh", "kWh ", "x" * 17])
def test_invalid_units(unit: str) -> None:
    assert rejected(dumps(message(record(unit=unit)))) == [("invalid_value", "records[0].unit")]


@pytest.mark.parametrize("unit", ["万m3", "m³", "10^4 t", "t"])
def test_valid_units(unit: str) -> None:
    assert parse_message(dumps(message(record(unit=unit)))).records[0].unit == unit


@pytest.mark.parametrize("period", ["minute", "HOUR", "week", "30min"])
def test_invalid_period(period: str) -> None:
    assert rejected(dumps(message(record(period=period)))) == [
        ("invalid_value", "records[0].period")
    ]


def test_invalid_quality() -> None:
    assert rejected(dumps(message(record(quality="bad")))) == [
        ("invalid_value", "records[0].quality")
    ]


# --- date-times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2024-05-01T09:00:00", "2024-05-01T09:00:00.5"],
)
def test_naive_datetimes(text: str) -> None:
    assert rejected(dumps(message(record(start=text)))) == [("naive_datetime", "records[0].start")]
    assert rejected(dumps(message(sent_at=text))) == [("naive_datetime", "sent_at")]


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01",
        "2024-05-01T09:00+08:00",  # seconds are required
        "2024-05-01 09:00:00+08:00",
        "2024-13-01T00:00:00+08:00",
        "2024-02-30T00:00:00+08:00",
        "2024-05-01T24:00:00+08:00",
        "2024-05-01T09:00:00+0800",
        "2024-05-01T09:00:00+25:00",
        "1714525200",
        "2024-05-01T09:00:00z",
        "2024-05-01T09:00:00.1234567+08:00",
        "9999-12-31T23:00:00-10:00",  # beyond the datetime range in UTC
        "0001-01-01T00:00:00+08:00",
        "1969-12-31T23:00:00Z",
        "3000-01-01T00:00:00Z",
    ],
)
def test_invalid_datetimes(text: str) -> None:
    assert rejected(dumps(message(record(start=text)))) == [
        ("invalid_datetime", "records[0].start")
    ]


# --- alignment in CST -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("15min", "2024-05-01T09:45:00+08:00"),
        ("15min", "2024-05-01T01:15:00Z"),
        ("hour", "2024-05-01T09:00:00+08:00"),
        ("hour", "2024-05-01T03:30:00+05:30"),
        ("day", "2024-05-01T00:00:00+08:00"),
        ("day", "2024-04-30T16:00:00Z"),
        ("month", "2024-05-01T00:00:00+08:00"),
        ("month", "2024-02-29T16:00:00Z"),
        ("year", "2024-01-01T00:00:00+08:00"),
        ("year", "2023-12-31T16:00:00Z"),
    ],
)
def test_aligned_starts(period: str, start: str) -> None:
    assert parse_message(dumps(message(record(period=period, start=start))))


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("15min", "2024-05-01T09:10:00+08:00"),
        ("15min", "2024-05-01T09:15:30+08:00"),
        ("15min", "2024-05-01T09:15:00.5+08:00"),
        ("hour", "2024-05-01T09:15:00+08:00"),
        ("hour", "2024-05-01T09:00:00+08:30"),  # 08:30 CST
        ("day", "2024-05-01T00:00:00Z"),  # 08:00 CST: a UTC midnight is not a CST one
        ("day", "2024-05-01T01:00:00+08:00"),
        ("month", "2024-05-02T00:00:00+08:00"),
        ("month", "2024-05-01T00:00:00Z"),
        ("year", "2024-02-01T00:00:00+08:00"),
        ("year", "2024-01-01T00:00:00Z"),
    ],
)
def test_misaligned_starts(period: str, start: str) -> None:
    body = message(record(), record(item="E02", period=period, start=start))
    assert rejected(dumps(body)) == [("misaligned_start", "records[1].start")]


def test_misaligned_message_says_what_was_expected() -> None:
    with pytest.raises(MessageRejected) as info:
        parse_message(dumps(message(record(period="day", start="2024-05-01T00:00:00Z"))))
    text = info.value.problems[0].message
    assert "2024-05-01T08:00:00+08:00 in CST" in text
    assert "00:00:00" in text


# --- counts and duplicates --------------------------------------------------------------


def test_no_records() -> None:
    assert rejected(dumps(message(records=[]))) == [("no_records", "records")]


def test_too_many_records() -> None:
    starts = [f"2024-05-01T{h:02d}:00:00+08:00" for h in range(4)]
    body = dumps(message(*(record(start=s) for s in starts)))
    assert rejected(body, max_records=3) == [("too_many_records", "records")]
    assert len(parse_message(body, max_records=4).records) == 4


def test_default_record_limit_is_1000() -> None:
    base = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    starts = [(base + timedelta(hours=h)).isoformat() for h in range(1001)]
    body = dumps(message(*(record(start=s) for s in starts)))
    assert rejected(body) == [("too_many_records", "records")]
    body = dumps(message(*(record(start=s) for s in starts[:1000])))
    assert len(parse_message(body).records) == 1000


def test_duplicate_records_each_located() -> None:
    body = message(
        record(),
        record(item="E02"),
        record(),  # same as records[0]
        record(start="2024-05-01T01:00:00Z"),  # the same instant as records[0]
        record(item="E02", period="day", start="2024-05-01T00:00:00+08:00"),  # other period
        record(item="E02", value=1.0),  # same slot as records[1], other value
    )
    assert rejected(dumps(body)) == [
        ("duplicate_record", "records[2]"),
        ("duplicate_record", "records[3]"),
        ("duplicate_record", "records[5]"),
    ]


def test_model_validate_reports_a_duplicate_too() -> None:
    body = message(record(), record())
    with pytest.raises(ValidationError, match=r"already sent as records\[0\]"):
        UplinkMessage.model_validate(body)


# --- register fields --------------------------------------------------------------------


def test_negative_register() -> None:
    body = message(record(value=None, register=-1))
    assert rejected(dumps(body)) == [("negative_register", "records[0].register")]


@pytest.mark.parametrize(
    ("event", "location"),
    [
        ({"kind": "replacement", "old_final": 5}, "records[0].register_event"),
        ({"kind": "replacement", "new_initial": 5}, "records[0].register_event"),
        ({"kind": "reset", "old_final": 5, "new_initial": 0}, "records[0].register_event"),
    ],
)
def test_incomplete_register_events(event: dict[str, object], location: str) -> None:
    body = message(record(value=None, register=1, register_event=event))
    assert rejected(dumps(body)) == [("invalid_register_event", location)]


def test_register_event_kind_and_readings() -> None:
    body = message(record(value=None, register=1, register_event={"kind": "swap"}))
    assert rejected(dumps(body)) == [("invalid_value", "records[0].register_event.kind")]
    body = message(
        record(
            value=None,
            register=1,
            register_event={"kind": "replacement", "old_final": -1, "new_initial": 0},
        )
    )
    assert rejected(dumps(body)) == [("negative_register", "records[0].register_event.old_final")]


def test_register_event_needs_a_register() -> None:
    body = message(record(register_event={"kind": "reset"}))
    assert rejected(dumps(body)) == [("invalid_register_event", "records[0]")]


# --- helpers ----------------------------------------------------------------------------


def test_format_location() -> None:
    assert format_location(("records", 3, "start")) == "records[3].start"
    assert format_location(()) == "$"
    assert format_location((0,)) == "$[0]"


def test_transport_names() -> None:
    assert HTTP_PATH == "/api/v1/uplink"
    assert mqtt_up_topic(CREDIT_CODE) == f"nenghao/v1/{CREDIT_CODE}/up"
    assert mqtt_ack_topic(CREDIT_CODE) == f"nenghao/v1/{CREDIT_CODE}/ack"


def test_ack_shape() -> None:
    ack = UplinkAck(
        message_id="m1",
        device_id="gw-01",
        received_at=datetime(2024, 5, 1, 2, 20, tzinfo=UTC),
        results=[
            RecordResult(index=0, status=RecordStatus.ACCEPTED, revision=1),
            RecordResult(index=1, status=RecordStatus.REJECTED, code=C.UNKNOWN_ITEM, message="..."),
        ],
    )
    data = json.loads(ack.model_dump_json(exclude_none=True))
    assert data["protocol"] == PROTOCOL
    assert data["results"][1] == {
        "index": 1,
        "status": "rejected",
        "code": "unknown_item",
        "message": "...",
    }


def test_round_trip_through_model_dump() -> None:
    parsed = parse_message(dumps(message()))
    again = parse_message(parsed.model_dump_json(exclude_none=True))
    assert again == parsed


# --- sender ---------------------------------------------------------------------------


def test_check_sender() -> None:
    parsed = parse_message(dumps(message()))
    check_sender(parsed, key_id="gw-01", key_credit_code=CREDIT_CODE)
    check_sender(parsed, key_id="gw-01", key_credit_code=CREDIT_CODE, topic_credit_code=CREDIT_CODE)
    other = "91210300MA0XY1235" + "X"
    with pytest.raises(MessageRejected) as info:
        check_sender(parsed, key_id="gw-02", key_credit_code=other)
    assert [(p.code.value, p.location) for p in info.value.problems] == [
        ("device_mismatch", "device_id"),
        ("enterprise_mismatch", "credit_code"),
    ]
    with pytest.raises(MessageRejected) as info:
        check_sender(parsed, key_id="gw-01", key_credit_code=CREDIT_CODE, topic_credit_code=other)
    assert info.value.code is ReasonCode.ENTERPRISE_MISMATCH


# --- robustness -----------------------------------------------------------------------

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
_field_values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(
        ["2024-05-01T09:00:00+08:00", "hour", "day", "15min", "kWh", "NaN", "reset", "-1"]
    )
)


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(body: bytes) -> None:
    problems: tuple[Problem, ...] = ()
    try:
        parse_message(body)
    except MessageRejected as exc:
        problems = exc.problems
        assert problems  # never an empty rejection


@settings(max_examples=200)
@given(_json)
def test_arbitrary_json_never_crashes(data: object) -> None:
    with pytest.raises(MessageRejected):
        parse_message(json.dumps(data))


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(
            ["item", "period", "start", "value", "unit", "register", "register_event", "quality"]
        ),
        _field_values | st.dictionaries(st.sampled_from(["kind", "old_final"]), _field_values),
    )
)
def test_arbitrary_records_never_crash(fields: dict[str, object]) -> None:
    body = message(record(), record(item="E02"))
    body["records"][1].update(fields)
    try:
        parsed = parse_message(json.dumps(body))
    except MessageRejected as exc:
        locations = [p.location for p in exc.problems]
    else:
        assert len(parsed.records) == 2
        return
    assert locations
    assert all(location.startswith("records[1]") for location in locations)
