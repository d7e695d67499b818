"""Unit conversion: the one function every quantity goes through."""

from __future__ import annotations

import math

from nenghao.standards import Catalog, Unit, UnitError, UnknownUnitError, get_catalog

from .errors import DimensionMismatchError, InvalidQuantityError

__all__ = [
    "DimensionMismatchError",
    "InvalidQuantityError",
    "UnitError",
    "UnknownUnitError",
    "convert",
    "require_finite",
]


def require_finite(value: float, name: str = "quantity") -> float:
    """Return ``value`` as float, or raise :class:`InvalidQuantityError` if not finite.

    Parameters
    ----------
    value : float [any unit]
        The number to check; its unit is kept.
    name : str
        What the number is, for the message.

    Returns
    -------
    float [unit of value]
        ``value`` as a float.

    Raises
    ------
    InvalidQuantityError
        ``value`` is a bool, not a number, NaN or infinite.

    Notes
    -----
    An input check, not a calculation: no standard clause applies.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidQuantityError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise InvalidQuantityError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def convert(value: float, from_unit: str, to_unit: str, *, catalog: Catalog | None = None) -> float:
    """Convert ``value`` from ``from_unit`` to ``to_unit`` within one dimension.

    Parameters
    ----------
    value : float [from_unit]
        The quantity to convert; must be finite.
    from_unit : str
        Unit symbol or alias of ``value`` (e.g. ``"万m3"``, ``"吨"``, ``"MWh"``).
    to_unit : str
        Unit symbol or alias wanted.
    catalog : Catalog, optional
        Catalogue to read units from; the packaged one by default.

    Returns
    -------
    float [to_unit]
        The converted quantity.

    Raises
    ------
    InvalidQuantityError
        ``value`` is NaN or infinite.
    UnknownUnitError
        Either unit is unknown.
    DimensionMismatchError
        The units measure different dimensions (e.g. kWh and kg).

    Notes
    -----
    ``value x factor(from_unit) / factor(to_unit)``, the factors being each unit's size in
    its dimension's base unit (units.toml); SI prefixes and the Chinese counting units
    万 (10^4) and 亿 (10^8) are units of their own.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 8 (折算为标准煤的要求, requirements for converting into
       standard coal): 1 kgce = 29 307.6 kJ = 7 000 kcal, hence 1 kcal = 4.1868 kJ.
    .. [2] GB/T 3102.4 (热学的量和单位, quantities and units of heat), referenced undated
       in GB/T 2589-2020, clause 2.
    """
    number = require_finite(value)
    units = catalog or get_catalog()
    source, target = units.unit(from_unit), units.unit(to_unit)
    check_same_dimension(source, target)
    if source.symbol == target.symbol:
        return number
    return number * source.factor / target.factor


def check_same_dimension(source: Unit, target: Unit) -> None:
    """Raise :class:`DimensionMismatchError` unless both units measure the same dimension.

    Parameters
    ----------
    source : Unit
        The unit a quantity is in.
    target : Unit
        The unit wanted.

    Raises
    ------
    DimensionMismatchError
        The units measure different dimensions (e.g. kWh and kg).

    Notes
    -----
    An input check, not a calculation: no standard clause applies.
    """
    if source.dimension != target.dimension:
        raise DimensionMismatchError(
            f"cannot convert {source.symbol} ({source.dimension}) to "
            f"{target.symbol} ({target.dimension})"
        )
