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
    "QuotaValuesNotLoadedError",
    "UnitError",
    "UnknownUnitError",
]


class DimensionMismatchError(UnitError, ValueError):
    """A unit of the wrong dimension (e.g. kWh for raw coal, measured in kg)."""


class InvalidQuantityError(ValueError):
    """A quantity that is NaN, infinite, or outside its allowed range (e.g. output <= 0)."""


class MissingYearError(ValueError):
    """The equal-value basis (等价值) was asked for without a statistics year.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.3 (能源的等价值): the equal value of electricity follows the
       power-supply coal consumption, which changes by year.
    """


class HeatingValueError(ValueError):
    """A measured heating value that cannot be used (bad unit, kind without one, <= 0).

    References
    ----------
    .. [1] GB/T 2589-2020, clause 8 (折算为标准煤的要求): measured low heating values.
    """


class MissingFactorError(LookupError):
    """A factor has no catalogue default and was not supplied by the caller.

    References
    ----------
    .. [1] GB/T 32150-2015, 核算步骤与方法 (accounting steps and methods): every emission
       needs its emission factor.
    """


class NoQuotaInForceError(LookupError):
    """The product is known, but no quota edition is in force on the requested date.

    References
    ----------
    .. [1] GB 21256-2025 (from 2026-07-01), GB 21256-2013 (until 2026-06-30) and
       GB 21342-2025 (from 2026-05-01): each edition applies from its effective date.
       An edition in force whose values are missing is `QuotaValuesNotLoadedError` instead.
    """


class QuotaValuesNotLoadedError(LookupError):
    """An edition is in force on the date, but its level values are not entered.

    Not "no quota in force": the edition applies, its values are missing from the catalogue.
    The message names it, e.g. ``"GB 21342-2013 在效，限额值未录入"``.

    Attributes
    ----------
    standard : str
        The edition in force (``"GB 21342-2013"``).

    References
    ----------
    .. [1] GB 21342-2025, foreword: replaces GB 21342-2013, in force from 2026-05-01.
    .. [2] GB 21256-2025: replaces GB 21256-2013 and GB 32050-2015 from 2026-07-01.
    """

    def __init__(self, standard: str) -> None:
        super().__init__(f"{standard} 在效，限额值未录入")
        self.standard = standard


class CorrectionError(ValueError):
    """A quota correction parameter that the edition in force does not define.

    References
    ----------
    .. [1] GB 21256-2025, 4.1 to 4.5, and GB 21342-2025, 5.3: the corrections each edition
       defines.
    """
