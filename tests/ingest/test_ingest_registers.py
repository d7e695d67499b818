"""Register decoding: differences, rollover, replacement, reset, backwards, gaps."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nenghao.ingest.registers import (
    Flag,
    Reading,
    Replacement,
    Reset,
    decode_registers,
)
from nenghao.standards.calendar import next_start
from nenghao.standards.reason_codes import ReasonCode

CST = timezone(timedelta(hours=8))
T0 = int(datetime(2024, 5, 1, tzinfo=CST).timestamp())
H = 3600


def hourly(*registers: float, start: int = T0) -> list[Reading]:
    return [Reading(start + i * H, r) for i, r in enumerate(registers)]


def test_consecutive_differences() -> None:
    decoded = decode_registers(hourly(100.0, 110.5, 110.5, 130.0), "hour")
    assert [(i.start, i.end, i.value) for i in decoded.intervals] == [
        (T0, T0 + H, 10.5),
        (T0 + H, T0 + 2 * H, 0.0),
        (T0 + 2 * H, T0 + 3 * H, 19.5),
    ]
    assert all(i.periods == 1 and not i.flags for i in decoded.intervals)
    assert [(i.from_position, i.to_position) for i in decoded.intervals] == [(0, 1), (1, 2), (2, 3)]
    assert decoded.rejected == decoded.unresolved == ()
    assert decoded.last == Reading(T0 + 3 * H, 130.0)


def test_single_reading_is_only_a_baseline() -> None:
    decoded = decode_registers(hourly(100.0), "hour")
    assert decoded.intervals == ()
    assert decoded.last == Reading(T0, 100.0)


def test_empty_input_keeps_previous() -> None:
    previous = Reading(T0, 5.0)
    assert decode_registers([], "hour", previous=previous).last == previous


def test_previous_reading_is_the_first_baseline() -> None:
    decoded = decode_registers(hourly(110.0, start=T0 + H), "hour", previous=Reading(T0, 100.0))
    (interval,) = decoded.intervals
    assert (interval.start, interval.value, interval.from_position, interval.to_position) == (
        T0,
        10.0,
        None,
        0,
    )


# --- rollover ---------------------------------------------------------------------------


def test_rollover_at_the_register_maximum() -> None:
    decoded = decode_registers(
        hourly(99999998.00, 99999999.99, 0.00, 3.50), "hour", register_max=99999999.99
    )
    values = [i.value for i in decoded.intervals]
    assert values == pytest.approx([1.99, 0.01, 3.50])
    assert [i.flags for i in decoded.intervals] == [frozenset(), {Flag.ROLLOVER}, frozenset()]


def test_rollover_with_a_coarser_resolution() -> None:
    decoded = decode_registers(hourly(9990.0, 5.0), "hour", register_max=9999.0, resolution=1.0)
    assert [i.value for i in decoded.intervals] == [15.0]


def test_decrease_too_large_for_a_rollover_is_backwards() -> None:
    # from 60 000 000 to 10 the forward distance is ~40 000 000, within half of 1e8: rollover;
    # from 100 to 90 it would be 99 999 990: more than half, so the register went backwards.
    decoded = decode_registers(hourly(100.0, 90.0), "hour", register_max=99999999.99)
    assert decoded.intervals == ()
    ((position, code),) = [(r.position, r.code) for r in decoded.rejected]
    assert (position, code) == (1, ReasonCode.REGISTER_BACKWARDS)
    decoded = decode_registers(hourly(60_000_000.0, 10.0), "hour", register_max=99999999.99)
    assert decoded.intervals[0].flags == {Flag.ROLLOVER}


def test_reading_above_the_maximum() -> None:
    decoded = decode_registers(hourly(5.0, 100.0, 7.0), "hour", register_max=99.99)
    assert [(r.position, r.code) for r in decoded.rejected] == [
        (1, ReasonCode.REGISTER_OUT_OF_RANGE)
    ]
    assert [(i.value, i.periods) for i in decoded.intervals] == [(2.0, 2)]


# --- replacement and reset --------------------------------------------------------------


def test_replacement() -> None:
    readings = [
        Reading(T0, 5000.0),
        Reading(T0 + H, 12.0, Replacement(old_final=5008.0, new_initial=2.0)),
        Reading(T0 + 2 * H, 20.0),
    ]
    decoded = decode_registers(readings, "hour")
    assert [(i.value, i.flags) for i in decoded.intervals] == [
        (18.0, {Flag.REPLACEMENT}),  # 8 on the old meter, 10 on the new one
        (8.0, frozenset()),
    ]


@pytest.mark.parametrize(
    "event",
    [
        Replacement(old_final=4990.0, new_initial=0.0),
        Replacement(old_final=5010.0, new_initial=20.0),
    ],
    ids=["old-meter-backwards", "new-meter-backwards"],
)
def test_replacement_parts_must_not_go_backwards(event: Replacement) -> None:
    decoded = decode_registers([Reading(T0, 5000.0), Reading(T0 + H, 12.0, event)], "hour")
    assert [(r.position, r.code) for r in decoded.rejected] == [(1, ReasonCode.REGISTER_BACKWARDS)]
    assert decoded.intervals == ()


def test_replacement_with_old_meter_rollover() -> None:
    readings = [
        Reading(T0, 9995.0),
        Reading(T0 + H, 4.0, Replacement(old_final=3.0, new_initial=0.0)),
    ]
    decoded = decode_registers(readings, "hour", register_max=9999.0, resolution=1.0)
    ((value, flags),) = [(i.value, i.flags) for i in decoded.intervals]
    assert value == 12.0  # 5 to the wrap, 3 after it, 4 on the new meter
    assert flags == {Flag.REPLACEMENT, Flag.ROLLOVER}


def test_reset_with_final_reading() -> None:
    readings = [Reading(T0, 500.0), Reading(T0 + H, 7.0, Reset(old_final=503.0))]
    ((value, flags),) = [(i.value, i.flags) for i in decode_registers(readings, "hour").intervals]
    assert (value, flags) == (10.0, {Flag.RESET})


def test_reset_without_final_reading_is_not_guessed() -> None:
    readings = [Reading(T0, 500.0), Reading(T0 + H, 7.0, Reset()), Reading(T0 + 2 * H, 9.0)]
    decoded = decode_registers(readings, "hour")
    (span,) = decoded.unresolved
    assert (span.start, span.end, span.periods, span.to_position, span.code) == (
        T0,
        T0 + H,
        1,
        1,
        ReasonCode.RESET_UNBRIDGED,
    )
    assert [(i.start, i.value) for i in decoded.intervals] == [(T0 + H, 2.0)]


def test_event_on_the_first_reading_is_just_a_baseline() -> None:
    decoded = decode_registers([Reading(T0, 7.0, Reset())], "hour")
    assert decoded.intervals == decoded.unresolved == decoded.rejected == ()


# --- backwards --------------------------------------------------------------------------


def test_backwards_without_event_is_rejected_and_baseline_kept() -> None:
    decoded = decode_registers(hourly(100.0, 99.9, 98.0, 101.0), "hour")
    assert [(r.position, r.code) for r in decoded.rejected] == [
        (1, ReasonCode.REGISTER_BACKWARDS),
        (2, ReasonCode.REGISTER_BACKWARDS),
    ]
    ((start, periods, value, flags),) = [
        (i.start, i.periods, i.value, i.flags) for i in decoded.intervals
    ]
    assert (start, periods, value, flags) == (T0, 3, 1.0, {Flag.GAP_SPANNED})
    assert "100.0" in decoded.rejected[0].message
    assert "99.9" in decoded.rejected[0].message


def test_allow_negative_turns_decrease_into_negative_consumption() -> None:
    decoded = decode_registers(hourly(100.0, 90.0), "hour", allow_negative=True)
    assert [i.value for i in decoded.intervals] == [-10.0]


def test_allow_negative_with_rollover_takes_the_shorter_way() -> None:
    decoded = decode_registers(
        hourly(5.0, 9990.0, 20.0), "hour", register_max=9999.0, resolution=1.0, allow_negative=True
    )
    assert [(i.value, i.flags) for i in decoded.intervals] == [
        (-15.0, {Flag.ROLLOVER}),
        (30.0, {Flag.ROLLOVER}),
    ]


def test_max_value_rejects_the_later_reading() -> None:
    decoded = decode_registers(hourly(100.0, 5000.0, 150.0), "hour", max_value=1000.0)
    assert [(r.position, r.code) for r in decoded.rejected] == [(1, ReasonCode.VALUE_TOO_LARGE)]
    assert [i.value for i in decoded.intervals] == [50.0]


# --- gaps -------------------------------------------------------------------------------


def test_gap_spans_the_missing_periods() -> None:
    readings = [Reading(T0, 10.0), Reading(T0 + 4 * H, 50.0), Reading(T0 + 5 * H, 55.0)]
    decoded = decode_registers(readings, "hour")
    assert [(i.start, i.end, i.periods, i.value, i.flags) for i in decoded.intervals] == [
        (T0, T0 + 4 * H, 4, 40.0, {Flag.GAP_SPANNED}),
        (T0 + 4 * H, T0 + 5 * H, 1, 5.0, frozenset()),
    ]


def test_gap_in_calendar_months() -> None:
    jan = int(datetime(2024, 1, 1, tzinfo=CST).timestamp())
    apr = int(datetime(2024, 4, 1, tzinfo=CST).timestamp())
    decoded = decode_registers([Reading(jan, 0.0), Reading(apr, 300.0)], "month")
    assert [(i.periods, i.flags) for i in decoded.intervals] == [(3, {Flag.GAP_SPANNED})]


def test_gap_with_rollover_has_both_flags() -> None:
    readings = [Reading(T0, 9990.0), Reading(T0 + 3 * H, 10.0)]
    decoded = decode_registers(readings, "hour", register_max=9999.0, resolution=1.0)
    assert decoded.intervals[0].flags == {Flag.GAP_SPANNED, Flag.ROLLOVER}


# --- caller errors ----------------------------------------------------------------------


def test_unsorted_readings_are_a_caller_error() -> None:
    with pytest.raises(ValueError, match="increasing"):
        decode_registers([Reading(T0 + H, 1.0), Reading(T0, 2.0)], "hour")
    with pytest.raises(ValueError, match="increasing"):
        decode_registers([Reading(T0, 1.0), Reading(T0, 2.0)], "hour")
    with pytest.raises(ValueError, match="precede"):
        decode_registers(hourly(1.0), "hour", previous=Reading(T0, 0.0))


# --- properties -------------------------------------------------------------------------


@given(
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=50),
    st.lists(st.integers(min_value=1, max_value=5), min_size=50, max_size=50),
    st.sampled_from(["15min", "hour", "day", "month", "year"]),
)
def test_monotonic_registers_sum_to_last_minus_first(
    steps: list[float], spacing: list[int], period: str
) -> None:
    registers = [0.0]
    for step in steps:
        registers.append(registers[-1] + step)
    starts = [int(datetime(2000, 1, 1, tzinfo=CST).timestamp())]
    for gap in spacing[: len(registers) - 1]:
        nxt = starts[-1]
        for _ in range(gap):
            nxt = next_start(period, nxt)  # type: ignore[arg-type]
        starts.append(nxt)
    readings = [Reading(s, r) for s, r in zip(starts, registers, strict=True)]
    decoded = decode_registers(readings, period)  # type: ignore[arg-type]
    assert decoded.rejected == decoded.unresolved == ()
    assert len(decoded.intervals) == len(readings) - 1
    total = math.fsum(i.value for i in decoded.intervals)
    assert total == pytest.approx(registers[-1] - registers[0], rel=1e-9, abs=1e-6)
    assert sum(i.periods for i in decoded.intervals) == sum(spacing[: len(registers) - 1])
    assert all((Flag.GAP_SPANNED in i.flags) == (i.periods > 1) for i in decoded.intervals)


@given(
    st.lists(st.integers(min_value=0, max_value=9999), min_size=2, max_size=40),
)
def test_wrapping_counter_sums_to_forward_distance(raw: list[int]) -> None:
    # A 4-digit integer counter observed often enough (< half a turn per period).
    increments = [x % 5000 for x in raw]
    registers = [0]
    for inc in increments:
        registers.append((registers[-1] + inc) % 10000)
    readings = hourly(*[float(r) for r in registers])
    decoded = decode_registers(readings, "hour", register_max=9999.0, resolution=1.0)
    assert decoded.rejected == ()
    assert [i.value for i in decoded.intervals] == [float(x) for x in increments]
