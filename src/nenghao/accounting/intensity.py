"""Energy consumption per unit of output value or added value (tce per 10 000 yuan)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from nenghao.standards import Catalog

from .errors import InvalidQuantityError
from .units import convert, require_finite

__all__ = [
    "IntensityResult",
    "consumption_per_added_value",
    "consumption_per_output_value",
    "energy_intensity",
    "reduction_rate",
]

Denominator = Literal["output_value", "added_value"]


class IntensityResult(BaseModel):
    """Energy intensity [tce/万元].

    Attributes
    ----------
    value : float [tce/万元]
        Comprehensive energy consumption per 10 000 yuan.
    unit : str
        ``"tce/万元"``.
    denominator : {"output_value", "added_value"}
        What ``value_10k_yuan`` is.
    consumption_tce : float [tce]
        Comprehensive energy consumption of the period.
    value_10k_yuan : float [万元]
        Output value or added value of the period.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (definition of 单位产值综合能耗, comprehensive energy
       consumption per unit of output value).
    """

    model_config = ConfigDict(frozen=True)

    value: float
    unit: str = "tce/万元"
    denominator: Denominator
    consumption_tce: float
    value_10k_yuan: float


def energy_intensity(
    consumption: float,
    value: float,
    *,
    denominator: Denominator,
    consumption_unit: str = "tce",
    value_unit: str = "万元",
    catalog: Catalog | None = None,
) -> IntensityResult:
    """Comprehensive energy consumption per 10 000 yuan of output or added value.

    Parameters
    ----------
    consumption : float [consumption_unit]
        Comprehensive energy consumption of the period (gross: renewable electricity above
        the base still counts for intensity).
    value : float [value_unit]
        Output value or added value of the same period (comparable prices); must be > 0.
    denominator : {"output_value", "added_value"}
        Which value ``value`` is.
    consumption_unit : str
        Coal-equivalent unit: ``"tce"`` (default), ``"kgce"``, ``"万tce"``.
    value_unit : str
        Currency unit: ``"万元"`` (default), ``"元"``, ``"亿元"``.
    catalog : Catalog, optional
        Units source; the packaged catalogue by default.

    Returns
    -------
    IntensityResult
        ``value`` [tce/万元].

    Raises
    ------
    InvalidQuantityError
        Non-finite numbers or ``value <= 0``.
    DimensionMismatchError, UnknownUnitError
        Wrong or unknown units.

    References
    ----------
    .. [1] GB/T 2589-2020 综合能耗计算通则, 3.5-3.8 (definition of 单位产值综合能耗):
       comprehensive energy consumption / output value.
    .. [2] 发改运行〔2022〕1258号: renewable electricity still counts for intensity.
    """
    tce = convert(consumption, consumption_unit, "tce", catalog=catalog)
    money = convert(value, value_unit, "万元", catalog=catalog)
    if money <= 0:
        raise InvalidQuantityError(f"{denominator} must be > 0 万元, got {money:g} 万元")
    return IntensityResult(
        value=tce / money,  # GB/T 2589-2020, 3.5-3.8 (单位产值综合能耗): consumption / value
        denominator=denominator,
        consumption_tce=tce,
        value_10k_yuan=money,
    )


def consumption_per_output_value(
    consumption: float,
    output_value: float,
    *,
    consumption_unit: str = "tce",
    value_unit: str = "万元",
    catalog: Catalog | None = None,
) -> IntensityResult:
    """Consumption per 10 000 yuan of (gross industrial) output value [tce/万元].

    Parameters
    ----------
    consumption : float [consumption_unit]
        Comprehensive energy consumption.
    output_value : float [value_unit]
        Output value; must be > 0.
    consumption_unit : str
        Coal-equivalent unit (default ``"tce"``).
    value_unit : str
        Currency unit (default ``"万元"``).
    catalog : Catalog, optional
        Units source.

    Returns
    -------
    IntensityResult
        ``value`` [tce/万元] with ``denominator="output_value"``.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (definition of 单位产值综合能耗).
    """
    return energy_intensity(
        consumption,
        output_value,
        denominator="output_value",
        consumption_unit=consumption_unit,
        value_unit=value_unit,
        catalog=catalog,
    )


def consumption_per_added_value(
    consumption: float,
    added_value: float,
    *,
    consumption_unit: str = "tce",
    value_unit: str = "万元",
    catalog: Catalog | None = None,
) -> IntensityResult:
    """Consumption per 10 000 yuan of (industrial) added value [tce/万元].

    Parameters
    ----------
    consumption : float [consumption_unit]
        Comprehensive energy consumption.
    added_value : float [value_unit]
        Added value; must be > 0.
    consumption_unit : str
        Coal-equivalent unit (default ``"tce"``).
    value_unit : str
        Currency unit (default ``"万元"``).
    catalog : Catalog, optional
        Units source.

    Returns
    -------
    IntensityResult
        ``value`` [tce/万元] with ``denominator="added_value"``.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (definition of 单位产值综合能耗); here with added value as
       the denominator (单位增加值能耗).
    """
    return energy_intensity(
        consumption,
        added_value,
        denominator="added_value",
        consumption_unit=consumption_unit,
        value_unit=value_unit,
        catalog=catalog,
    )


def reduction_rate(base: float, current: float) -> float:
    """Relative reduction of an intensity from ``base`` to ``current`` (下降率).

    Parameters
    ----------
    base : float [tce/万元]
        Intensity of the base period; must be > 0.
    current : float [tce/万元]
        Intensity of the current period, same unit.

    Returns
    -------
    float [unitless]
        ``(base - current) / base``; positive when the intensity fell.

    Raises
    ------
    InvalidQuantityError
        A non-finite value, or ``base <= 0``.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (definition of 单位产值综合能耗): the two values compared.
       The rate itself, ``(base - current) / base``, is the statistical 下降率; no clause of
       the standard defines it.
    """
    base = require_finite(base, "base intensity")
    current = require_finite(current, "current intensity")
    if base <= 0:
        raise InvalidQuantityError(f"base intensity must be > 0, got {base:g}")
    return (base - current) / base
