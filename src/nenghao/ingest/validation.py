"""Per-record validation of a parsed uplink message against the enterprise's data items.

`validate_records` decides, for every record of an `UplinkMessage`, whether it is accepted
(normalised to UTC Unix seconds and the item's unit) or rejected with one `ReasonCode`. It
never drops or corrects a record: the outcome accounts for every index exactly once.

Checks, in order (the first failing one is the record's reason): ``unknown_item``,
``item_not_approved`` (the collection plan has not approved the item),
``period_mismatch``, ``value_required`` / ``register_required`` / ``value_not_allowed``,
``future_period``, ``unit_mismatch``, ``negative_value``, ``value_too_large``; register items
are then decoded (`nenghao.ingest.registers`), which may reject a reading with
``register_out_of_range``, ``register_backwards`` or ``value_too_large``.

**Future periods.** With tolerance ``tol`` (default 300 s, the signing window): a record with
a ``value`` describes its whole period, so the period must have ended:
``end <= now + tol``. A register-only record is a reading at the period start, so only
``start <= now + tol`` is required.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from nenghao.ingest.item_limits import (
    Convert,
    ItemSpec,
    ValidationLimits,
    dimension_bound,
    item_bound,
)
from nenghao.ingest.protocol import UplinkMessage, UplinkRecord
from nenghao.ingest.registers import Reading, Replacement, Reset, decode_registers
from nenghao.ingest.validation_outcome import (
    AcceptedRecord,
    DerivedInterval,
    RejectedRecord,
    UnresolvedInterval,
    ValidationOutcome,
)
from nenghao.standards.calendar import PeriodName, next_start, to_cst
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import Quality


class _RejectError(Exception):
    def __init__(self, code: ReasonCode, field: str, message: str) -> None:
        super().__init__(message)
        self.code, self.field, self.message = code, field, message


def _describe(period: PeriodName, start: int) -> str:
    return f"{period} starting {to_cst(start).isoformat()}"


def _converter(
    record: UplinkRecord, spec: ItemSpec, convert: Convert | None
) -> Callable[[float, str], float]:
    if spec.accepted_units is not None and record.unit not in spec.accepted_units:
        accepted = ", ".join(sorted(spec.accepted_units))
        raise _RejectError(
            ReasonCode.UNIT_MISMATCH,
            "unit",
            f"unit {record.unit!r} is not accepted for item {spec.code!r} (accepted: {accepted})",
        )

    def to_item(value: float, name: str) -> float:
        if record.unit == spec.unit:
            return value
        if convert is None:
            raise _RejectError(
                ReasonCode.UNIT_MISMATCH,
                "unit",
                f"unit {record.unit!r} differs from the item's unit {spec.unit!r}",
            )
        try:
            return convert(value, record.unit, spec.unit)
        except Exception as exc:
            raise _RejectError(
                ReasonCode.UNIT_MISMATCH,
                "unit",
                f"cannot convert {name} from {record.unit!r} to {spec.unit!r}: {exc}",
            ) from None

    return to_item


def _check_record(
    record: UplinkRecord,
    spec: ItemSpec | None,
    now_s: int,
    convert: Convert | None,
    limits: ValidationLimits,
    bounds: dict[str, tuple[float | None, float | None]],
) -> tuple[float | None, float | None, Replacement | Reset | None]:
    """The record's value, register and event in the item's unit; raises `_RejectError`."""
    if spec is None:
        raise _RejectError(
            ReasonCode.UNKNOWN_ITEM,
            "item",
            f"item {record.item!r} is not registered for this enterprise",
        )
    if not spec.approved:
        raise _RejectError(
            ReasonCode.ITEM_NOT_APPROVED,
            "item",
            f"item {record.item!r} is not yet approved in the enterprise's collection plan;"
            " its records are kept in the quarantine until the plan is approved",
        )
    if record.period != spec.period:
        raise _RejectError(
            ReasonCode.PERIOD_MISMATCH,
            "period",
            f"item {spec.code!r} is registered with period {spec.period!r}, not {record.period!r}",
        )
    if spec.value_kind == "interval" and record.value is None:
        raise _RejectError(
            ReasonCode.VALUE_REQUIRED, "value", f"item {spec.code!r} needs interval values"
        )
    if spec.value_kind == "register":
        if record.register is None:
            raise _RejectError(
                ReasonCode.REGISTER_REQUIRED,
                "register",
                f"item {spec.code!r} needs register readings",
            )
        if record.value is not None:
            raise _RejectError(
                ReasonCode.VALUE_NOT_ALLOWED,
                "value",
                f"item {spec.code!r} is a register item; its intervals are derived from"
                " the readings, do not send value",
            )
    start = record.period_start
    latest = now_s + limits.clock_tolerance_s
    if record.value is not None:
        end = next_start(record.period, start)
        if end > latest:
            raise _RejectError(
                ReasonCode.FUTURE_PERIOD,
                "start",
                f"the {_describe(record.period, start)} ends at {to_cst(end).isoformat()},"
                f" after now ({to_cst(now_s).isoformat()}) + {limits.clock_tolerance_s} s;"
                " send an interval value once its period has ended",
            )
    elif start > latest:
        raise _RejectError(
            ReasonCode.FUTURE_PERIOD,
            "start",
            f"the reading at {to_cst(start).isoformat()} is after now"
            f" ({to_cst(now_s).isoformat()}) + {limits.clock_tolerance_s} s",
        )
    to_item = _converter(record, spec, convert)
    value = None if record.value is None else to_item(record.value, "value")
    register = None if record.register is None else to_item(record.register, "register")
    event: Replacement | Reset | None = None
    sent_event = record.register_event
    if sent_event is not None:
        old = None if sent_event.old_final is None else to_item(sent_event.old_final, "old_final")
        if sent_event.kind == "replacement":
            assert old is not None  # model-validated
            assert sent_event.new_initial is not None
            event = Replacement(old, to_item(sent_event.new_initial, "new_initial"))
        else:
            event = Reset(old)
    if spec.code not in bounds:
        bounds[spec.code] = (
            item_bound(spec, convert, limits),
            dimension_bound(spec, convert, limits),
        )
    value_bound, reading_bound = bounds[spec.code]
    if value is not None:
        if value < 0 and not spec.allow_negative:
            raise _RejectError(
                ReasonCode.NEGATIVE_VALUE,
                "value",
                f"item {spec.code!r} does not allow negative values, got {record.value}",
            )
        if value_bound is not None and abs(value) > value_bound:
            raise _RejectError(
                ReasonCode.VALUE_TOO_LARGE,
                "value",
                f"{record.value} {record.unit} exceeds the bound {value_bound} {spec.unit}",
            )
    readings = [v for v in (register, getattr(event, "old_final", None)) if v is not None]
    if isinstance(event, Replacement):
        readings.append(event.new_initial)
    for reading in readings:
        if reading_bound is not None and reading > reading_bound:
            raise _RejectError(
                ReasonCode.VALUE_TOO_LARGE,
                "register",
                f"register reading {reading} {spec.unit} exceeds the bound"
                f" {reading_bound} {spec.unit}",
            )
    return value, register, event


def _quality(record: UplinkRecord) -> Quality:
    return "good" if record.quality is None else record.quality


def validate_records(
    message: UplinkMessage,
    items: Mapping[str, ItemSpec],
    now: datetime,
    *,
    convert: Convert | None = None,
    limits: ValidationLimits | None = None,
    previous_registers: Mapping[str, Reading] | None = None,
    decode: bool = True,
) -> ValidationOutcome:
    """Accept or reject every record of `message` against the enterprise's items.

    Parameters
    ----------
    message : UplinkMessage
        A message from `parse_message` (structurally valid, no duplicate slots).
    items : mapping of str to ItemSpec
        The enterprise's registered items by code.
    now : datetime
        The server's clock, timezone-aware.
    convert : Convert or None
        Unit conversion; None accepts only records in the item's own unit.
    limits : ValidationLimits or None
        Defaults to ``ValidationLimits()``.
    previous_registers : mapping of str to Reading or None
        For register items: the latest stored reading before the item's earliest reading in
        this message (the baseline of the first derived interval).
    decode : bool
        Whether to decode register readings into intervals here. A caller that decodes
        against its stored readings itself passes False: register readings are then only
        checked record by record, and no intervals or unresolved spans are returned.

    Returns
    -------
    ValidationOutcome
        Accepted records in message order, rejected records in message order, intervals
        derived from register readings, and spans that could not be derived.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    limits = ValidationLimits() if limits is None else limits
    previous_registers = {} if previous_registers is None else previous_registers
    now_s = int(now.timestamp())
    accepted: dict[int, AcceptedRecord] = {}
    rejected: dict[int, RejectedRecord] = {}
    bounds: dict[str, tuple[float | None, float | None]] = {}
    by_register_item: dict[str, list[AcceptedRecord]] = {}
    for index, record in enumerate(message.records):
        spec = items.get(record.item)
        try:
            value, register, event = _check_record(record, spec, now_s, convert, limits, bounds)
        except _RejectError as reject:
            rejected[index] = RejectedRecord(
                index, record.item, reject.code, f"records[{index}].{reject.field}", reject.message
            )
            continue
        assert spec is not None
        normalised = AcceptedRecord(
            index=index,
            item=record.item,
            period=record.period,
            period_start=record.period_start,
            unit=spec.unit,
            value=value,
            register=register,
            event=event,
            quality=_quality(record),
            sent_unit=record.unit,
        )
        accepted[index] = normalised
        if spec.value_kind == "register" and decode:
            by_register_item.setdefault(record.item, []).append(normalised)
    intervals: list[DerivedInterval] = []
    unresolved: list[UnresolvedInterval] = []
    for code, group in by_register_item.items():
        spec = items[code]
        group.sort(key=lambda r: r.period_start)
        decoded = decode_registers(
            [Reading(r.period_start, r.register or 0.0, r.event) for r in group],
            spec.period,
            previous=previous_registers.get(code),
            register_max=spec.register_max,
            resolution=spec.register_resolution,
            allow_negative=spec.allow_negative,
            max_value=bounds[code][0],
        )
        for rejection in decoded.rejected:
            reading = group[rejection.position]
            del accepted[reading.index]
            rejected[reading.index] = RejectedRecord(
                reading.index,
                code,
                rejection.code,
                f"records[{reading.index}].register",
                rejection.message,
            )
        for interval in decoded.intervals:
            later = group[interval.to_position]
            earlier = None if interval.from_position is None else group[interval.from_position]
            qualities = [later.quality] + ([] if earlier is None else [earlier.quality])
            intervals.append(
                DerivedInterval(
                    item=code,
                    period=spec.period,
                    period_start=interval.start,
                    periods=interval.periods,
                    value=interval.value,
                    unit=spec.unit,
                    flags=interval.flags,
                    from_index=None if earlier is None else earlier.index,
                    to_index=later.index,
                    quality=next((q for q in qualities if q != "good"), "good"),
                )
            )
        for span in decoded.unresolved:
            unresolved.append(
                UnresolvedInterval(
                    item=code,
                    period=spec.period,
                    period_start=span.start,
                    periods=span.periods,
                    to_index=group[span.to_position].index,
                    code=span.code,
                    message=span.message,
                )
            )
    return ValidationOutcome(
        accepted=tuple(accepted[i] for i in sorted(accepted)),
        rejected=tuple(rejected[i] for i in sorted(rejected)),
        intervals=tuple(sorted(intervals, key=lambda i: (i.item, i.period_start))),
        unresolved=tuple(unresolved),
    )
