"""What a registered item allows: its spec, the validation limits and plausibility bounds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType

from nenghao.standards.calendar import PeriodName
from nenghao.standards.vocabulary import ValueKind

Convert = Callable[[float, str, str], float]
"""``convert(value, from_unit, to_unit)``; raises on an unknown unit or a wrong dimension
(`nenghao.accounting.units.convert` has this shape)."""

DEFAULT_BOUNDS: Mapping[str, float] = MappingProxyType(
    {
        "kWh": 1e11,
        "t": 1e9,
        "m3": 1e12,
        "tce": 1e9,
        "元": 1e13,
        "个": 1e12,
    }
)
"""Plausibility bounds on the absolute value of one record, by reference unit. A bound applies
to every unit convertible to its reference unit (its dimension); a value of a unit that
converts to none of them is not bounded here (only by the item's own `max_value`)."""


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """A data item as registered for an enterprise (what validation needs of it).

    Attributes
    ----------
    code : str
        The item code records refer to.
    unit : str
        The item's unit; accepted values are converted to it.
    period : PeriodName
        The item's statistic period; records must use it.
    value_kind : {"interval", "register"}
        interval: records carry ``value``; register: records carry ``register`` readings and
        intervals are derived.
    allow_negative : bool
        Whether negative interval values are legitimate (e.g. a net or stock-change item).
    max_value : float or None [unit]
        Bound on the absolute value of one interval (sent or derived) of this item.
    accepted_units : frozenset of str or None
        If given, records must use one of these units (checked before conversion).
    register_max : float or None [unit]
        The largest reading of the register before it wraps to 0 (e.g. 99999999.99).
    register_resolution : float [unit]
        The register's last-digit step (wrap modulus = `register_max` + this).
    approved : bool
        Whether the enterprise's collection plan has approved the item; records of an item
        not approved are quarantined (``item_not_approved``, docs/plans.md).
    """

    code: str
    unit: str
    period: PeriodName
    value_kind: ValueKind = "interval"
    allow_negative: bool = False
    max_value: float | None = None
    accepted_units: frozenset[str] | None = None
    register_max: float | None = None
    register_resolution: float = 0.01
    approved: bool = True


@dataclass(frozen=True, slots=True)
class ValidationLimits:
    """Configurable validation limits.

    Attributes
    ----------
    clock_tolerance_s : int [s]
        How far a period's end (interval values) or start (readings) may lie after ``now``.
    bounds : mapping of str to float
        Plausibility bounds by reference unit, see `DEFAULT_BOUNDS`.
    """

    clock_tolerance_s: int = 300
    bounds: Mapping[str, float] = field(default_factory=lambda: DEFAULT_BOUNDS)


def _item_bound(spec: ItemSpec, convert: Convert | None, limits: ValidationLimits) -> float | None:
    candidates = [] if spec.max_value is None else [spec.max_value]
    unit_bound = _unit_bound(spec.unit, tuple(limits.bounds.items()), convert)
    if unit_bound is not None:
        candidates.append(unit_bound)
    return min(candidates) if candidates else None


@lru_cache(maxsize=1024)
def _unit_bound(
    item_unit: str, bounds: tuple[tuple[str, float], ...], convert: Convert | None
) -> float | None:
    """The tightest dimension bound on a value in `item_unit` (cached: units are few)."""
    candidates = []
    for unit, bound in bounds:
        if unit == item_unit:
            candidates.append(bound)
        elif convert is not None:
            try:
                candidates.append(abs(convert(bound, unit, item_unit)))
            except Exception:  # another dimension, or a unit the converter does not know
                continue
    return min(candidates) if candidates else None


def item_bound(
    spec: ItemSpec, convert: Convert | None = None, limits: ValidationLimits | None = None
) -> float | None:
    """The bound on the absolute value of one interval of `spec` [item unit], if any.

    The smaller of the item's own `max_value` and the bound of its dimension.
    """
    return _item_bound(spec, convert, ValidationLimits() if limits is None else limits)


def dimension_bound(
    spec: ItemSpec, convert: Convert | None, limits: ValidationLimits
) -> float | None:
    """The bound of `spec`'s dimension alone [item unit] (register readings have no
    per-item bound: they grow without one)."""
    return _item_bound(replace(spec, max_value=None), convert, limits)
