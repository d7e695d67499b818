"""Decoding cumulative register readings into interval consumption.

A register reading is the meter's cumulative count at one instant; in the uplink protocol that
instant is the start of the record's period. The consumption of the span between two
consecutive accepted readings is their difference, attributed to the period of the earlier
reading. The decisions, each tested:

- **Ordinary step**: ``later - earlier``, which must be >= 0 (unless the item allows negative
  values, e.g. a net meter).
- **Rollover**: a register with a known maximum wraps to 0 after it. A decrease is read as a
  rollover only if the forward distance across the wrap is at most half the register's range
  (modulus = maximum + resolution) and, when the item's maximum rate is known, at most that
  rate times the span's periods; the interval is flagged ``rollover``.
- **Suspected replacement**: a decrease without an event whose rollover reading would exceed
  the item's maximum rate over the span rejects the later reading
  (``replacement_suspected``); the baseline stays the earlier reading. Nothing is invented.
- **Replacement** (event on the later reading): ``(old_final - earlier) + (later -
  new_initial)``, flagged ``replacement``; either part going backwards is rejected.
- **Reset** (event on the later reading): with ``old_final`` the value is ``(old_final -
  earlier) + later``, flagged ``reset``; without it the span's consumption is unknown and is
  reported as unresolved (``reset_unbridged``), never guessed. The later reading becomes the
  new baseline.
- **Backwards** without an event: the later reading is rejected (``register_backwards``) and
  the baseline stays the earlier reading, so the next good reading bridges the span. Nothing is
  corrected silently.
- **Gap**: readings of non-adjacent periods give one interval over the whole span, flagged
  ``gap_spanned`` with its number of periods; `apportion` shares it over the spanned periods
  by time (the parts sum exactly to the interval).
- **Implausible**: a derived interval above `max_value` per period of its span rejects the
  later reading (``value_too_large``); a reading above the register maximum is rejected
  (``register_out_of_range``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from nenghao.standards.calendar import PeriodName, next_start, periods_between
from nenghao.standards.reason_codes import ReasonCode


@dataclass(frozen=True, slots=True)
class Replacement:
    """The meter was exchanged: last reading of the old one, first reading of the new one."""

    old_final: float
    new_initial: float


@dataclass(frozen=True, slots=True)
class Reset:
    """The register was set back to 0; `old_final` is the reading just before, if known."""

    old_final: float | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """One cumulative reading.

    Attributes
    ----------
    start : int [Unix s]
        The instant of the reading: the start of its period.
    register : float [item unit]
        The cumulative count, >= 0.
    event : Replacement or Reset or None
        What happened to the meter since the previous reading.
    """

    start: int
    register: float
    event: Replacement | Reset | None = None


class Flag(StrEnum):
    """Why a derived interval is not a plain difference of adjacent readings."""

    ROLLOVER = "rollover"
    REPLACEMENT = "replacement"
    RESET = "reset"
    GAP_SPANNED = "gap_spanned"


@dataclass(frozen=True, slots=True)
class Interval:
    """Consumption derived from two readings.

    Attributes
    ----------
    start, end : int [Unix s]
        The span: from the earlier reading to the later one; `start` tags it.
    periods : int
        How many periods the span covers (1 unless ``gap_spanned``).
    value : float [item unit]
        The consumption over the span.
    flags : frozenset of Flag
    from_position : int or None
        Position of the earlier reading in the input, None for the `previous` reading.
    to_position : int
        Position of the later reading in the input.
    """

    start: int
    end: int
    periods: int
    value: float
    flags: frozenset[Flag]
    from_position: int | None
    to_position: int


@dataclass(frozen=True, slots=True)
class RejectedReading:
    """A reading not accepted as a baseline, with the reason."""

    position: int
    code: ReasonCode
    message: str


@dataclass(frozen=True, slots=True)
class UnresolvedSpan:
    """A span whose consumption cannot be derived (a reset without its final reading)."""

    start: int
    end: int
    periods: int
    to_position: int
    code: ReasonCode
    message: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """The result of `decode_registers`.

    Every input position is either rejected or became a baseline; each baseline after the
    first produced exactly one interval or one unresolved span.
    """

    intervals: tuple[Interval, ...]
    rejected: tuple[RejectedReading, ...]
    unresolved: tuple[UnresolvedSpan, ...]
    last: Reading | None
    """The baseline after the batch: the latest accepted reading (or `previous`)."""


class _BackwardsError(Exception):
    pass


def _step(
    earlier: float, later: float, modulus: float | None, allow_negative: bool
) -> tuple[float, bool]:
    """The forward difference and whether it wrapped; raises `_BackwardsError`."""
    difference = later - earlier
    if modulus is not None:
        if allow_negative:
            wrapped = difference % modulus
            if wrapped > modulus / 2:
                wrapped -= modulus
            return wrapped, not _same(wrapped, difference)
        if difference >= 0:
            return difference, False
        wrapped = difference + modulus
        if wrapped <= modulus / 2:
            return wrapped, True
        raise _BackwardsError(
            f"register went from {earlier} to {later}; too far for a rollover at {modulus}"
        )
    if difference >= 0 or allow_negative:
        return difference, False
    raise _BackwardsError(f"register went from {earlier} to {later}")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def decode_registers(
    readings: Sequence[Reading],
    period: PeriodName,
    *,
    previous: Reading | None = None,
    register_max: float | None = None,
    resolution: float = 0.01,
    allow_negative: bool = False,
    max_value: float | None = None,
    max_rate: float | None = None,
) -> Decoded:
    """Turn consecutive cumulative readings of one meter into interval consumption.

    Parameters
    ----------
    readings : sequence of Reading
        Strictly increasing in `start`, every start aligned to `period`.
    period : PeriodName
        The period of the item; spans are counted in it.
    previous : Reading or None
        The latest earlier reading already accepted (the baseline for the first reading).
        Must precede ``readings[0]``.
    register_max : float or None [item unit]
        The largest reading the register shows before wrapping to 0 (e.g. 99999999.99);
        None when the register does not wrap.
    resolution : float [item unit]
        The register's last-digit step; the wrap modulus is ``register_max + resolution``.
    allow_negative : bool
        Whether a decrease is a (negative) consumption rather than an error.
    max_value : float or None [item unit]
        Upper bound on the absolute value of one derived interval, per period of its span.
    max_rate : float or None [item unit per period]
        The most the item can consume in one period; a decrease without an event is a
        rollover only if its consumption stays within this rate over the span.

    Returns
    -------
    Decoded

    Raises
    ------
    ValueError
        When the readings are not strictly increasing or `previous` does not precede them
        (a caller's error, not a data error).
    """
    for a, b in pairwise(readings):
        if b.start <= a.start:
            raise ValueError("readings must be strictly increasing in start")
    if previous is not None and readings and previous.start >= readings[0].start:
        raise ValueError("previous must precede the first reading")
    modulus = None if register_max is None else register_max + resolution
    intervals: list[Interval] = []
    rejected: list[RejectedReading] = []
    unresolved: list[UnresolvedSpan] = []
    base, base_position = previous, None
    for position, reading in enumerate(readings):
        if register_max is not None:
            too_high = [
                v
                for v in (reading.register, getattr(reading.event, "old_final", None))
                if v is not None and v > register_max
            ]
            if isinstance(reading.event, Replacement) and reading.event.new_initial > register_max:
                too_high.append(reading.event.new_initial)
            if too_high:
                rejected.append(
                    RejectedReading(
                        position,
                        ReasonCode.REGISTER_OUT_OF_RANGE,
                        f"reading {too_high[0]} exceeds the register maximum {register_max}",
                    )
                )
                continue
        if base is None:
            base, base_position = reading, position
            continue
        span = periods_between(period, base.start, reading.start)
        flags: set[Flag] = set()
        if span > 1:
            flags.add(Flag.GAP_SPANNED)
        event = reading.event
        try:
            if event is None:
                value, wrapped = _step(base.register, reading.register, modulus, allow_negative)
                if wrapped and max_rate is not None and abs(value) > max_rate * span:
                    rejected.append(
                        RejectedReading(
                            position,
                            ReasonCode.REPLACEMENT_SUSPECTED,
                            f"register dropped from {base.register} to {reading.register}: as a"
                            f" rollover that is {value:.6g} over {span} period(s), above the"
                            f" item's maximum {max_rate:.6g} per period; send the replacement"
                            " event if the meter was exchanged",
                        )
                    )
                    continue
            elif isinstance(event, Replacement):
                flags.add(Flag.REPLACEMENT)
                old, wrapped = _step(base.register, event.old_final, modulus, allow_negative)
                new, wrapped_new = _step(event.new_initial, reading.register, None, allow_negative)
                value, wrapped = old + new, wrapped or wrapped_new
            elif event.old_final is None:
                unresolved.append(
                    UnresolvedSpan(
                        base.start,
                        reading.start,
                        span,
                        position,
                        ReasonCode.RESET_UNBRIDGED,
                        f"reset without old_final: consumption from {base.register} to the"
                        " reset is unknown; the span is not derived",
                    )
                )
                base, base_position = reading, position
                continue
            else:
                flags.add(Flag.RESET)
                old, wrapped = _step(base.register, event.old_final, modulus, allow_negative)
                value = old + reading.register
        except _BackwardsError as exc:
            rejected.append(RejectedReading(position, ReasonCode.REGISTER_BACKWARDS, str(exc)))
            continue
        if wrapped:
            flags.add(Flag.ROLLOVER)
        if max_value is not None and abs(value) > max_value * span:
            rejected.append(
                RejectedReading(
                    position,
                    ReasonCode.VALUE_TOO_LARGE,
                    f"derived consumption {value} since the reading {base.register} exceeds"
                    f" the bound {max_value} per period over {span} period(s)",
                )
            )
            continue
        intervals.append(
            Interval(
                start=base.start,
                end=reading.start,
                periods=span,
                value=value,
                flags=frozenset(flags),
                from_position=base_position,
                to_position=position,
            )
        )
        base, base_position = reading, position
    return Decoded(tuple(intervals), tuple(rejected), tuple(unresolved), base)


def apportion(interval: Interval, period: PeriodName) -> list[tuple[int, float]]:
    """Share an interval over the periods it spans, in proportion to their seconds.

    Parameters
    ----------
    interval : Interval
        A derived interval; its `start` and `end` are period starts.
    period : PeriodName
        The item's period.

    Returns
    -------
    list of (int [Unix s], float [item unit])
        (period start, share) for each spanned period, in order. The last share is the
        interval's value minus the others (the remainder), so nothing is lost to rounding. A
        one-period interval is returned whole.

    Examples
    --------
    100.0 at 23:00 on 31 Jan and 380.0 at 05:00 on 1 Feb, hourly: 280 over 6 h, 46.667 per
    hour: 46.667 in January (1 h), 233.333 in February (5 h).
    """
    starts = [interval.start]
    while (following := next_start(period, starts[-1])) < interval.end:
        starts.append(following)
    if len(starts) == 1:
        return [(interval.start, interval.value)]
    whole = interval.end - interval.start
    ends = [*starts[1:], interval.end]
    shares = [
        interval.value * (end - start) / whole for start, end in zip(starts, ends, strict=True)
    ]
    shares[-1] = interval.value - sum(shares[:-1])
    return list(zip(starts, shares, strict=True))
