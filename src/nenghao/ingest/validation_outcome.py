"""The outcome of validating a message: every record accepted or rejected, derived intervals."""

from __future__ import annotations

from dataclasses import dataclass

from nenghao.ingest.registers import Flag, Replacement, Reset
from nenghao.standards.calendar import PeriodName
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import Quality


@dataclass(frozen=True, slots=True)
class AcceptedRecord:
    """A record accepted for storage, normalised.

    Attributes
    ----------
    index : int
        Position in the message's ``records``.
    item : str
    period : PeriodName
    period_start : int [Unix s, UTC]
    unit : str
        The item's unit; `value`, `register` and `event` are in it.
    value : float or None
        The interval value (None for register readings: see the outcome's intervals).
    register : float or None
    event : Replacement or Reset or None
    quality : Quality
        ``good`` when the record did not say.
    sent_unit : str
        The unit the record was sent in.
    """

    index: int
    item: str
    period: PeriodName
    period_start: int
    unit: str
    value: float | None
    register: float | None
    event: Replacement | Reset | None
    quality: Quality
    sent_unit: str


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A record refused, with its reason; it goes to quarantine."""

    index: int
    item: str
    code: ReasonCode
    location: str
    message: str


@dataclass(frozen=True, slots=True)
class DerivedInterval:
    """Consumption derived from two register readings of one item.

    `period_start` tags the span (the earlier reading's start); `periods` > 1 only when
    flagged ``gap_spanned``. `from_index` is None when the earlier reading is the stored
    `previous` one. `quality` is the first non-``good`` quality of (later, earlier) reading.
    """

    item: str
    period: PeriodName
    period_start: int
    periods: int
    value: float
    unit: str
    flags: frozenset[Flag]
    from_index: int | None
    to_index: int
    quality: Quality


@dataclass(frozen=True, slots=True)
class UnresolvedInterval:
    """A span of a register item whose consumption cannot be derived; reported, not guessed."""

    item: str
    period: PeriodName
    period_start: int
    periods: int
    to_index: int
    code: ReasonCode
    message: str


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    """Every record of a message, accepted or rejected (each index exactly once)."""

    accepted: tuple[AcceptedRecord, ...]
    rejected: tuple[RejectedRecord, ...]
    intervals: tuple[DerivedInterval, ...]
    unresolved: tuple[UnresolvedInterval, ...]

    @property
    def all_indices(self) -> list[int]:
        """The indices covered, sorted (equal to ``range(len(records))``)."""
        return sorted([r.index for r in self.accepted] + [r.index for r in self.rejected])
