"""Errors raised by the accounting functions.

Unit errors share the base :class:`nenghao.standards.UnitError`, so
``except UnitError`` catches an unknown unit and a unit of the wrong dimension alike.
"""

from __future__ import annotations

from nenghao.standards import UnitError, UnknownUnitError

__all__ = [
    "CorrectionError",
    "DimensionMismatchError",
    "HeatingValueError",
    "InvalidQuantityError",
    "MissingFactorError",
    "MissingYearError",
    "NoQuotaInForceError",
    "UnitError",
    "UnknownUnitError",
]


class DimensionMismatchError(UnitError, ValueError):
    """A unit of the wrong dimension (e.g. kWh for raw coal, measured in kg)."""


class InvalidQuantityError(ValueError):
    """A quantity that is NaN, infinite, or outside its allowed range (e.g. output <= 0)."""


class MissingYearError(ValueError):
    """The equal-value basis (等价值) was asked for without a statistics year."""


class HeatingValueError(ValueError):
    """A measured heating value that cannot be used (bad unit, kind without one, <= 0)."""


class MissingFactorError(LookupError):
    """A factor has no catalogue default and was not supplied by the caller."""


class NoQuotaInForceError(LookupError):
    """The product is known, but no quota edition is in force on the requested date."""


class CorrectionError(ValueError):
    """A quota correction parameter that the edition in force does not define."""
