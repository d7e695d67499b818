"""Additive LMDI-I decomposition of the change in CO2 between two years, by sector.

The aggregate is ``C = sum_i Q * S_i * I_i * F_i`` with activity ``Q`` (the total output
value [万元]), structure ``S_i = Q_i / Q``, energy intensity ``I_i = E_i / Q_i`` [tce/万元] and
carbon factor ``F_i = C_i / E_i`` [tCO2/tce]. Between year 0 and year T each effect is

    dC_x = sum_i L(C_i^T, C_i^0) * ln(x_i^T / x_i^0),    L(a, b) = (a - b) / (ln a - ln b),

and the four effects sum exactly to ``C^T - C^0`` (Ang 2005, Table 1, additive LMDI-I).

Zero values (a sector that starts or stops, a sector with no emissions in one year) follow
the small-value strategy of Ang & Liu (2007): a zero is replaced by ``delta`` and the effects
are their limits as ``delta -> 0``. The limits are taken analytically, so no ``delta`` enters
the figures: when ``C_i^0 = 0 < C_i^T`` the whole ``C_i^T`` is the effect of the first factor
that is zero in year 0 (structure if ``Q_i^0 = 0``, else intensity if ``E_i^0 = 0``, else the
carbon factor) and the sector's other effects are 0; a sector that stops is the mirror image
(``-C_i^0``). The sum stays exact.

Negative values have no logarithm: the method needs positive values, and such an input (or a
factor with no meaning: energy with no output value, CO2 with no energy, no output value in
the city) is refused with :class:`LmdiInputError`, which says which year, sector and figure.

References
----------
.. [1] Ang, B.W. (2005). The LMDI approach to decomposition analysis: a practical guide.
   Energy Policy 33, 867-871 (additive LMDI-I, Table 1).
.. [2] Ang, B.W., Liu, N. (2007). Handling zero values in the logarithmic mean Divisia index
   decomposition approach. Energy Policy 35, 238-246 (the small-value strategy and its limits).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import LmdiInputError

__all__ = ["EFFECTS", "Decomposition", "SectorEffects", "SectorYear", "decompose", "log_mean"]

EFFECTS = ("activity", "structure", "intensity", "carbon_factor")
"""The four effects, in the order of the factors of ``Q * S_i * I_i * F_i``."""


@dataclass(frozen=True)
class SectorYear:
    """One sector in one year.

    Attributes
    ----------
    output_value : float [万元]
        Gross industrial output value (the activity).
    energy_tce : float [tce]
        Comprehensive energy consumption, equivalent value.
    tco2 : float [tCO2]
        CO2 emissions (every source).
    """

    output_value: float
    energy_tce: float
    tco2: float


@dataclass(frozen=True)
class SectorEffects:
    """The effects of one sector [tCO2] and how they were found."""

    sector: str
    change: float
    effects: dict[str, float]
    treatment: str
    """``log_mean`` (both years positive), ``none`` (zero in both years), or
    ``limit_start`` / ``limit_stop`` (the Ang & Liu 2007 limit of a zero in one year)."""


@dataclass(frozen=True)
class Decomposition:
    """The change between two years and its effects [tCO2]."""

    base_total: float
    target_total: float
    change: float
    effects: dict[str, float]
    sectors: list[SectorEffects]

    @property
    def residual(self) -> float:
        """``change - sum(effects)``: zero up to rounding (LMDI-I is exact)."""
        return self.change - math.fsum(self.effects.values())


def log_mean(a: float, b: float) -> float:
    """The logarithmic mean ``L(a, b) = (a - b) / (ln a - ln b)``, ``L(a, a) = a`` [1]_.

    Parameters
    ----------
    a, b : float
        Positive numbers.
    """
    if a == b:
        return a
    return (a - b) / (math.log(a) - math.log(b))


def _check(year: str, sector: str, value: SectorYear) -> None:
    for name in ("output_value", "energy_tce", "tco2"):
        figure = getattr(value, name)
        where = {"year": year, "sector": sector, "field": name, "value": figure}
        if not math.isfinite(figure) or figure < 0:
            raise LmdiInputError(
                f"{year} year, sector {sector}: {name} is {figure}; the LMDI method needs "
                "positive values (zeros take the documented limit treatment, negative values "
                "have no logarithm)",
                details=where,
                zh=f"{sector} 行业 {year} 年的 {name} 为 {figure}：LMDI 方法要求正值"
                "（零值按文档所述的极限方法处理，负值无法取对数）",
            )
    if value.energy_tce > 0 and value.output_value == 0:
        raise LmdiInputError(
            f"{year} year, sector {sector}: energy without output value; the intensity "
            "(energy per output value) is undefined",
            details={"year": year, "sector": sector, "field": "output_value", "value": 0.0},
            zh=f"{sector} 行业 {year} 年有能耗而无产值，能耗强度无法计算",
        )
    if value.tco2 > 0 and value.energy_tce == 0:
        raise LmdiInputError(
            f"{year} year, sector {sector}: CO2 without energy; the carbon factor "
            "(CO2 per energy) is undefined",
            details={"year": year, "sector": sector, "field": "energy_tce", "value": 0.0},
            zh=f"{sector} 行业 {year} 年有排放而无能耗，碳排放因子无法计算",
        )


def _zero_factor(value: SectorYear) -> str:
    """The first factor of ``S, I, F`` that is zero in a year whose CO2 is zero."""
    if value.output_value == 0:
        return "structure"
    if value.energy_tce == 0:
        return "intensity"
    return "carbon_factor"


def _sector(
    sector: str, old: SectorYear, new: SectorYear, total_old: float, total_new: float
) -> SectorEffects:
    change = new.tco2 - old.tco2
    effects = dict.fromkeys(EFFECTS, 0.0)
    if old.tco2 == 0 and new.tco2 == 0:
        return SectorEffects(sector, 0.0, effects, "none")
    if old.tco2 == 0:
        effects[_zero_factor(old)] = new.tco2
        return SectorEffects(sector, change, effects, "limit_start")
    if new.tco2 == 0:
        effects[_zero_factor(new)] = -old.tco2
        return SectorEffects(sector, change, effects, "limit_stop")
    weight = log_mean(new.tco2, old.tco2)
    ratios = {
        "activity": total_new / total_old,
        "structure": (new.output_value / total_new) / (old.output_value / total_old),
        "intensity": (new.energy_tce / new.output_value) / (old.energy_tce / old.output_value),
        "carbon_factor": (new.tco2 / new.energy_tce) / (old.tco2 / old.energy_tce),
    }
    for name, ratio in ratios.items():
        effects[name] = weight * math.log(ratio)
    return SectorEffects(sector, change, effects, "log_mean")


def decompose(
    base: Mapping[str, SectorYear],
    target: Mapping[str, SectorYear],
    base_label: str = "base",
    target_label: str = "target",
) -> Decomposition:
    """Decompose ``C^T - C^0`` into activity, structure, intensity and carbon-factor effects.

    Parameters
    ----------
    base, target : mapping of sector -> SectorYear
        The two years; a sector missing from one year counts as zero there.
    base_label, target_label : str
        How errors name the two years (e.g. ``"2020"``, ``"2025"``).

    Returns
    -------
    Decomposition
        Totals, the four effects [tCO2] and each sector's effects; ``residual`` is zero up to
        rounding.

    Raises
    ------
    LmdiInputError
        A negative or non-finite value, energy without output value, CO2 without energy, or
        a year with no output value at all.
    """
    zero = SectorYear(0.0, 0.0, 0.0)
    names = list(dict.fromkeys([*base, *target]))
    for label, year in ((base_label, base), (target_label, target)):
        for name in names:
            _check(label, name, year.get(name, zero))
    totals = []
    for label, year in ((base_label, base), (target_label, target)):
        total = math.fsum(value.output_value for value in year.values())
        if total <= 0:
            raise LmdiInputError(
                f"{label} year: no output value in any sector; the activity effect needs a "
                "positive total output value",
                details={"year": label, "field": "output_value", "value": total},
                zh=f"{label} 年各行业均无产值，无法计算规模效应",
            )
        totals.append(total)
    sectors = [
        _sector(name, base.get(name, zero), target.get(name, zero), totals[0], totals[1])
        for name in names
    ]
    effects = {name: math.fsum(s.effects[name] for s in sectors) for name in EFFECTS}
    base_total = math.fsum(v.tco2 for v in base.values())
    target_total = math.fsum(v.tco2 for v in target.values())
    return Decomposition(base_total, target_total, target_total - base_total, effects, sectors)
