"""Per-record validation against registered items: accepted, normalised, or rejected with reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from message_builders import dumps, message, record

from nenghao.ingest import ItemSpec, ValidationLimits, parse_message, validate_records
from nenghao.ingest.registers import Flag, Reading, Replacement, Reset
from nenghao.ingest.validation_outcome import ValidationOutcome
from nenghao.standards.reason_codes import ReasonCode

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 5, 1, 10, 20, tzinfo=CST)

_UNITS = {
    "kWh": ("energy", 1.0),
    "MWh": ("energy", 1000.0),
    "万kWh": ("energy", 10000.0),
    "kg": ("mass", 0.001),
    "t": ("mass", 1.0),
    "m3": ("volume", 1.0),
}


def fake_convert(value: float, from_unit: str, to_unit: str) -> float:
    """A small stand-in for nenghao.accounting.units.convert."""
    if from_unit not in _UNITS or to_unit not in _UNITS:
        raise ValueError(f"unknown unit {from_unit!r} or {to_unit!r}")
    (dim_a, fa), (dim_b, fb) = _UNITS[from_unit], _UNITS[to_unit]
    if dim_a != dim_b:
        raise ValueError(f"{from_unit} ({dim_a}) is not {dim_b}")
    return value * fa / fb


ITEMS = {
    "E01": ItemSpec("E01", "kWh", "hour"),
    "E15": ItemSpec("E15", "kWh", "15min"),
    "ED": ItemSpec("ED", "kWh", "day"),
    "STOCK": ItemSpec("STOCK", "t", "month", allow_negative=True),
    "STEAM": ItemSpec("STEAM", "t", "hour", max_value=500.0),
    "REG": ItemSpec("REG", "kWh", "hour", value_kind="register"),
    "WRAP": ItemSpec(
        "WRAP", "kWh", "hour", value_kind="register", register_max=99999999.99, max_value=1e6
    ),
    "NET": ItemSpec("NET", "kWh", "hour", value_kind="register", allow_negative=True),
    "GAS": ItemSpec("GAS", "m3", "hour", accepted_units=frozenset({"m3"})),
}


def check(*records: dict[str, Any], now: datetime = NOW, **kwargs: Any) -> ValidationOutcome:
    parsed = parse_message(dumps(message(*records)))
    kwargs.setdefault("convert", fake_convert)
    outcome = validate_records(parsed, ITEMS, now, **kwargs)
    assert outcome.all_indices == list(range(len(records)))  # nothing dropped
    return outcome


def rejections(outcome: ValidationOutcome) -> list[tuple[int, str, str]]:
    return [(r.index, r.code.value, r.location) for r in outcome.rejected]


def one_rejection(*records: dict[str, Any], **kwargs: Any) -> tuple[str, str]:
    """Check a good record followed by `records`; the one rejection must be records[1]."""
    outcome = check(record(item="E01", start="2024-05-01T03:00:00+08:00"), *records, **kwargs)
    ((index, code, location),) = rejections(outcome)
    assert index == 1
    assert outcome.rejected[0].message
    return code, location


def test_accepted_records_are_normalised() -> None:
    outcome = check(
        record(),
        record(item="E15", period="15min", start="2024-05-01T10:00:00+08:00", value=1.25),
        record(item="ED", period="day", start="2024-04-30T00:00:00+08:00", value=2, unit="MWh"),
        record(item="STEAM", start="2024-05-01T00:00:00Z", value=1500, unit="kg", quality="manual"),
    )
    assert outcome.rejected == ()
    first, quarter, day, steam = outcome.accepted
    assert first.period_start == int(datetime(2024, 5, 1, 1, tzinfo=UTC).timestamp())
    assert (first.value, first.unit, first.quality, first.sent_unit) == (
        123.5,
        "kWh",
        "good",
        "kWh",
    )
    assert quarter.value == 1.25
    assert (day.value, day.unit, day.sent_unit) == (2000.0, "kWh", "MWh")
    assert day.period_start == int(datetime(2024, 4, 29, 16, tzinfo=UTC).timestamp())
    assert (steam.value, steam.unit, steam.quality) == (1.5, "t", "manual")


def test_unknown_item() -> None:
    assert one_rejection(record(item="NOPE")) == ("unknown_item", "records[1].item")


def test_period_mismatch() -> None:
    rec = record(item="E01", period="day", start="2024-04-30T00:00:00+08:00")
    assert one_rejection(rec) == ("period_mismatch", "records[1].period")


def test_interval_item_needs_value() -> None:
    rec = record(start="2024-05-01T08:00:00+08:00", value=None, register=10.0)
    assert one_rejection(rec) == ("value_required", "records[1].value")


def test_interval_item_keeps_an_informational_register() -> None:
    outcome = check(record(register=5000.0))
    assert outcome.accepted[0].register == 5000.0
    assert outcome.intervals == ()


def test_register_item_needs_register() -> None:
    assert one_rejection(record(item="REG")) == ("register_required", "records[1].register")


def test_register_item_refuses_value() -> None:
    rec = record(item="REG", register=10.0)
    assert one_rejection(rec) == ("value_not_allowed", "records[1].value")


# --- future periods ---------------------------------------------------------------------


def test_interval_period_must_have_ended() -> None:
    # now 10:20 CST: the hour 10:00-11:00 has not ended, even with the 300 s tolerance
    rec = record(start="2024-05-01T10:00:00+08:00")
    assert one_rejection(rec) == ("future_period", "records[1].start")


def test_interval_period_ended_within_tolerance() -> None:
    rec = record(start="2024-05-01T10:00:00+08:00")
    assert check(rec, now=datetime(2024, 5, 1, 10, 55, tzinfo=CST)).rejected == ()
    outcome = check(rec, now=datetime(2024, 5, 1, 10, 54, 59, tzinfo=CST))
    assert rejections(outcome) == [(0, "future_period", "records[0].start")]
    strict = ValidationLimits(clock_tolerance_s=0)
    outcome = check(rec, now=datetime(2024, 5, 1, 10, 59, 59, tzinfo=CST), limits=strict)
    assert rejections(outcome) == [(0, "future_period", "records[0].start")]
    assert check(rec, now=datetime(2024, 5, 1, 11, tzinfo=CST), limits=strict).rejected == ()


@pytest.mark.parametrize(
    ("item", "period", "start"),
    [
        ("ED", "day", "2024-05-01T00:00:00+08:00"),  # today
        ("STOCK", "month", "2024-05-01T00:00:00+08:00"),  # this month
        ("E15", "15min", "2024-05-01T10:15:00+08:00"),  # ends 10:30 > 10:25
        ("E01", "hour", "2025-05-01T09:00:00+08:00"),  # a year ahead
    ],
)
def test_future_interval_periods(item: str, period: str, start: str) -> None:
    rec = record(item=item, period=period, start=start, unit="t" if item == "STOCK" else "kWh")
    assert one_rejection(rec) == ("future_period", "records[1].start")


def test_register_reading_needs_only_a_started_period() -> None:
    outcome = check(record(item="REG", value=None, register=1.0, start="2024-05-01T10:00:00+08:00"))
    assert outcome.rejected == ()
    rec = record(item="REG", value=None, register=1.0, start="2024-05-01T11:00:00+08:00")
    assert one_rejection(rec) == ("future_period", "records[1].start")
    early = datetime(2024, 5, 1, 10, 55, tzinfo=CST)
    assert check(rec, now=early).rejected == ()


def test_now_must_be_aware() -> None:
    parsed = parse_message(dumps(message()))
    with pytest.raises(ValueError, match="aware"):
        validate_records(parsed, ITEMS, datetime(2024, 5, 1, 10, 20))


# --- units ------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["t", "kcal", "m3"])
def test_unit_not_convertible(unit: str) -> None:
    assert one_rejection(record(unit=unit)) == ("unit_mismatch", "records[1].unit")


def test_other_unit_without_converter() -> None:
    outcome = check(record(unit="MWh"), convert=None)
    assert rejections(outcome) == [(0, "unit_mismatch", "records[0].unit")]
    assert check(record(), convert=None).rejected == ()


def test_accepted_units_are_enforced_before_conversion() -> None:
    rec = record(item="GAS", unit="kWh")
    assert one_rejection(rec) == ("unit_mismatch", "records[1].unit")


def test_register_and_event_readings_are_converted() -> None:
    outcome = check(
        record(item="REG", value=None, register=2.0, unit="MWh", start="2024-05-01T08:00:00+08:00"),
        record(
            item="REG",
            value=None,
            register=0.5,
            unit="MWh",
            start="2024-05-01T09:00:00+08:00",
            register_event={"kind": "replacement", "old_final": 2.25, "new_initial": 0.0},
        ),
    )
    assert outcome.rejected == ()
    assert outcome.accepted[1].register == 500.0
    assert outcome.accepted[1].event == Replacement(2250.0, 0.0)
    (interval,) = outcome.intervals
    assert interval.value == pytest.approx(750.0)
    assert interval.flags == {Flag.REPLACEMENT}


# --- signs and bounds -------------------------------------------------------------------


def test_negative_value() -> None:
    assert one_rejection(record(value=-0.5)) == ("negative_value", "records[1].value")


def test_negative_value_allowed_by_item() -> None:
    rec = record(
        item="STOCK", period="month", start="2024-04-01T00:00:00+08:00", value=-3, unit="t"
    )
    outcome = check(rec)
    assert outcome.accepted[0].value == -3.0


def test_negative_zero_is_not_negative() -> None:
    assert check(record(value=-0.0)).rejected == ()


def test_item_bound() -> None:
    rec = record(item="STEAM", value=500.5, unit="t")
    assert one_rejection(rec) == ("value_too_large", "records[1].value")
    assert check(record(item="STEAM", value=500_000, unit="kg")).rejected == ()
    assert one_rejection(record(item="STEAM", value=500_001, unit="kg"))[0] == "value_too_large"


def test_dimension_bound_applies_through_conversion() -> None:
    assert one_rejection(record(value=1.1e11)) == ("value_too_large", "records[1].value")
    assert one_rejection(record(value=1.1e8, unit="MWh")) == ("value_too_large", "records[1].value")
    assert check(record(value=1e11)).rejected == ()


def test_dimension_bound_applies_to_allowed_negative_values() -> None:
    rec = record(
        item="STOCK", period="month", start="2024-04-01T00:00:00+08:00", value=-2e9, unit="t"
    )
    assert one_rejection(rec) == ("value_too_large", "records[1].value")


def test_configured_bounds() -> None:
    limits = ValidationLimits(bounds={"MWh": 1.0})
    outcome = check(
        record(value=1000.0),
        record(item="ED", period="day", start="2024-04-30T00:00:00+08:00", value=1000.5),
        limits=limits,
    )
    assert rejections(outcome) == [(1, "value_too_large", "records[1].value")]
    # a unit the bounds cannot reach is not bounded by them
    assert check(record(item="GAS", value=1e20, unit="m3"), limits=limits).rejected == ()


def test_register_reading_dimension_bound() -> None:
    rec = record(item="REG", value=None, register=2e11)
    assert one_rejection(rec) == ("value_too_large", "records[1].register")


# --- register items ---------------------------------------------------------------------


def reading(item: str, hour: int, register: float, **extra: Any) -> dict[str, Any]:
    return record(
        item=item,
        value=None,
        register=register,
        start=f"2024-05-01T{hour:02d}:00:00+08:00",
        **extra,
    )


def at(hour: int) -> int:
    return int(datetime(2024, 5, 1, hour, tzinfo=CST).timestamp())


def test_register_readings_become_intervals_in_time_order() -> None:
    outcome = check(
        reading("REG", 7, 130.0),
        reading("REG", 5, 100.0),
        record(),
        reading("REG", 6, 110.0, quality="estimated"),
    )
    assert outcome.rejected == ()
    assert [(i.period_start, i.value, i.from_index, i.to_index) for i in outcome.intervals] == [
        (at(5), 10.0, 1, 3),
        (at(6), 20.0, 3, 0),
    ]
    assert [i.quality for i in outcome.intervals] == ["estimated", "estimated"]
    assert all(i.periods == 1 and i.flags == frozenset() for i in outcome.intervals)
    assert [a.value for a in outcome.accepted if a.item == "REG"] == [None, None, None]


def test_previous_register_is_the_first_baseline() -> None:
    outcome = check(reading("REG", 6, 110.0), previous_registers={"REG": Reading(at(4), 90.0)})
    (interval,) = outcome.intervals
    assert (interval.period_start, interval.periods, interval.value) == (at(4), 2, 20.0)
    assert interval.flags == {Flag.GAP_SPANNED}
    assert interval.from_index is None


def test_register_backwards_is_rejected_not_fixed() -> None:
    outcome = check(reading("REG", 5, 100.0), reading("REG", 6, 90.0), reading("REG", 7, 120.0))
    assert rejections(outcome) == [(1, "register_backwards", "records[1].register")]
    (interval,) = outcome.intervals
    assert (interval.period_start, interval.periods, interval.value) == (at(5), 2, 20.0)
    assert interval.flags == {Flag.GAP_SPANNED}


def test_rollover() -> None:
    outcome = check(reading("WRAP", 5, 99999990.0), reading("WRAP", 6, 5.0))
    (interval,) = outcome.intervals
    assert interval.value == pytest.approx(15.0)  # 9.99 to the top, 0.01 to 0, then 5
    assert interval.flags == {Flag.ROLLOVER}


def test_register_out_of_range() -> None:
    outcome = check(reading("WRAP", 5, 100.0), reading("WRAP", 6, 100000000.5))
    assert rejections(outcome) == [(1, "register_out_of_range", "records[1].register")]


def test_derived_interval_above_item_bound() -> None:
    outcome = check(reading("WRAP", 5, 100.0), reading("WRAP", 6, 2e6), reading("WRAP", 7, 200.0))
    assert rejections(outcome) == [(1, "value_too_large", "records[1].register")]
    assert [i.value for i in outcome.intervals] == [100.0]


def test_net_register_may_decrease() -> None:
    outcome = check(reading("NET", 5, 100.0), reading("NET", 6, 90.0))
    assert [i.value for i in outcome.intervals] == [-10.0]


def test_reset_without_final_reading_is_unresolved() -> None:
    outcome = check(
        reading("REG", 5, 100.0),
        reading("REG", 6, 3.0, register_event={"kind": "reset"}),
        reading("REG", 7, 10.0),
    )
    assert outcome.rejected == ()
    assert [(i.period_start, i.value) for i in outcome.intervals] == [(at(6), 7.0)]
    (span,) = outcome.unresolved
    assert (span.item, span.period_start, span.periods, span.to_index) == ("REG", at(5), 1, 1)
    assert span.code is ReasonCode.RESET_UNBRIDGED


def test_reset_with_final_reading() -> None:
    outcome = check(
        reading("REG", 5, 100.0),
        reading("REG", 6, 3.0, register_event={"kind": "reset", "old_final": 104.0}),
    )
    assert outcome.accepted[1].event == Reset(104.0)
    (interval,) = outcome.intervals
    assert (interval.value, interval.flags) == (7.0, {Flag.RESET})


def test_rejections_and_accepted_are_in_message_order() -> None:
    outcome = check(
        record(item="NOPE"),
        record(),
        record(item="E01", start="2024-05-01T08:00:00+08:00", value=-1),
        record(item="E01", start="2024-05-01T07:00:00+08:00"),
    )
    assert rejections(outcome) == [
        (0, "unknown_item", "records[0].item"),
        (2, "negative_value", "records[2].value"),
    ]
    assert [a.index for a in outcome.accepted] == [1, 3]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["E01", "REG", "NOPE", "STEAM", "NET"]),
            st.integers(min_value=0, max_value=12),
            st.one_of(st.none(), st.floats(-1e3, 1e12, allow_nan=False)),
            st.one_of(st.none(), st.floats(0, 1e12, allow_nan=False)),
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda t: (t[0], t[1]),
    )
)
def test_every_record_is_accounted_for_exactly_once(
    specs: list[tuple[str, int, float | None, float | None]],
) -> None:
    records = [
        record(
            item=item,
            value=value,
            register=register,
            start=f"2024-05-01T{hour:02d}:00:00+08:00",
            unit="t" if item == "STEAM" else "kWh",
        )
        for item, hour, value, register in specs
        if value is not None or register is not None
    ]
    if not records:
        return
    outcome = check(*records)  # asserts the coverage
    accepted = {a.index for a in outcome.accepted}
    assert accepted.isdisjoint({r.index for r in outcome.rejected})
