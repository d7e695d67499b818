"""Measured heating values: parsing ``"5000 kcal/kg"`` and normalising to kJ per unit."""

from __future__ import annotations

import re

from nenghao.standards import Catalog, EnergyKind, get_catalog

from .errors import DimensionMismatchError, HeatingValueError
from .units import require_finite

__all__ = [
    "HEATING_VALUE_PATTERN",
    "heating_value_per_canonical",
    "parse_heating_value",
    "split_heating_unit",
]

_POSITIVE = r"(?:[0-9]*[1-9][0-9]*(?:\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)"
_UNIT_PART = r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff]*"
HEATING_VALUE_PATTERN = rf"^{_POSITIVE} {_UNIT_PART}/[A-Za-z0-9\u4e00-\u9fff]+$"
"""The plain form of a heating value, a positive number and an ``energy/quantity`` unit
(``5000 kcal/kg``): all of it is read by `parse_heating_value` (which also takes signs,
exponents and digit groups); whether the units exist and suit the energy kind is checked
after."""

_QUANTITY = re.compile(
    r"^\s*([+-]?[0-9](?:[0-9,\u2009\u202f ]*[0-9])?(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"\s*([^0-9\s].*?)\s*$"
)


def parse_heating_value(text: str) -> tuple[float, str]:
    """Split a heating value written as text into number and unit.

    Parameters
    ----------
    text : str
        E.g. ``"5000 kcal/kg"``, ``"5 000 kcal/kg"``, ``"38.9 MJ/m3"``, ``"389.31 GJ/万m3"``.

    Returns
    -------
    tuple of (float, str)
        The number [the unit text] and the unit text (``(5000.0, "kcal/kg")``).

    Raises
    ------
    HeatingValueError
        The text is not a number followed by an ``energy/quantity`` unit.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 8 (折算为标准煤的要求): a measured low heating value takes
       precedence over the Annex A reference coefficient.
    """
    match = _QUANTITY.match(text)
    if match is None:
        raise HeatingValueError(f"cannot read a heating value from {text!r} (e.g. '5000 kcal/kg')")
    number = float(re.sub(r"[,\u2009\u202f ]", "", match.group(1)))
    unit = match.group(2).replace(" ", "")
    if "/" not in unit:
        raise HeatingValueError(f"heating value unit {unit!r} must be energy per quantity")
    return number, unit


def split_heating_unit(unit: str) -> tuple[str, str]:
    """Split ``"kcal/kg"`` into ``("kcal", "kg")``; anything else is a HeatingValueError.

    Parameters
    ----------
    unit : str
        A heating-value unit, energy per quantity.

    Returns
    -------
    tuple of (str, str)
        The energy unit and the quantity unit.

    Raises
    ------
    HeatingValueError
        ``unit`` is not one energy unit over one quantity unit.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 8 (折算为标准煤的要求): low heating value per unit of fuel.
    """
    numerator, slash, denominator = unit.replace(" ", "").partition("/")
    if not slash or not numerator or not denominator or "/" in denominator:
        raise HeatingValueError(
            f"heating value unit {unit!r} must be energy per quantity, e.g. kJ/kg or MJ/m3"
        )
    return numerator, denominator


def heating_value_per_canonical(
    value: float,
    unit: str,
    kind: EnergyKind,
    *,
    catalog: Catalog | None = None,
) -> float:
    """Express a heating value in kJ per canonical unit of ``kind``.

    Parameters
    ----------
    value : float [unit]
        The heating value; must be finite and > 0.
    unit : str
        ``energy/quantity``: kJ/kg, MJ/kg, GJ/t, kcal/kg, kJ/m3, MJ/m3, GJ/万m3 ...
    kind : EnergyKind
        The energy kind; the quantity part must have the kind's dimension.
    catalog : Catalog, optional
        Units source; the packaged catalogue by default.

    Returns
    -------
    float [kJ per kind.unit]
        The heating value per canonical unit of the kind.

    Raises
    ------
    HeatingValueError
        Not a positive finite number, or not an ``energy/quantity`` unit.
    DimensionMismatchError
        The quantity part does not match the kind (``MJ/m3`` for coke, measured in kg).
    UnknownUnitError
        A part of the unit is unknown.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 8 (折算为标准煤的要求): the kilogram of coal equivalent is
       defined on the low heating value (29 307.6 kJ).
    """
    number = require_finite(value, "heating value")
    if number <= 0:
        raise HeatingValueError(f"heating value must be > 0, got {number:g} {unit}")
    units = catalog or get_catalog()
    numerator, denominator = split_heating_unit(unit)
    energy, per = units.unit(numerator), units.unit(denominator)
    if energy.dimension != "energy":
        raise HeatingValueError(
            f"heating value unit {unit!r}: {energy.symbol} is {energy.dimension}, not energy"
        )
    canonical = units.unit(kind.unit)
    if per.dimension != canonical.dimension:
        raise DimensionMismatchError(
            f"heating value {unit} is per {per.dimension} ({per.symbol}), but {kind.name_zh} "
            f"{kind.code} is measured in {canonical.dimension} ({kind.unit})"
        )
    kj_per_base = number * energy.factor / units.unit("kJ").factor
    return kj_per_base * canonical.factor / per.factor
