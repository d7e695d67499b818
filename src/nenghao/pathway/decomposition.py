"""The change in the city's CO2 between two years, decomposed by sector (additive LMDI-I).

Both years are read from the monitored key units (`nenghao.pathway.emissions`). When the
later year is still in progress, both years are compared over the same elapsed calendar days
and the answer says so (partial, through which day).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from nenghao.analytics.periods import Period, through_label
from nenghao.standards.calendar import shift_years
from nenghao.standards.carbon_sectors import carbon_sectors
from nenghao.store.scope import Scope

from .emissions import city_emissions
from .errors import PathwayInputError
from .lmdi import EFFECTS, decompose

__all__ = ["decompose_years"]


def decompose_years(
    connection: Connection, scope: Scope, base_year: int, target_year: int, today: date
) -> dict[str, Any]:
    """The LMDI decomposition of ``C(target_year) - C(base_year)`` by sector.

    Raises
    ------
    PathwayInputError
        The years are not in order, or the target year has not started.
    LmdiInputError
        A sector's figures the method cannot decompose (see `nenghao.pathway.lmdi`).
    """
    if not 2000 <= base_year < target_year or date(target_year, 1, 1) >= today:
        raise PathwayInputError(
            f"decompose a change from an earlier year to a later one that has begun; got "
            f"{base_year} -> {target_year}",
            details={"field": "target_year", "base_year": base_year, "target_year": target_year},
            zh=f"分解的起止年份不正确（{base_year} → {target_year}）：终止年须晚于起始年且已开始",
        )
    stop = min(date(target_year + 1, 1, 1), today)
    partial = stop < date(target_year + 1, 1, 1)
    target_period = Period("range", date(target_year, 1, 1), stop)
    base_stop = shift_years(stop, base_year - target_year) if partial else date(base_year + 1, 1, 1)
    base_period = Period("range", date(base_year, 1, 1), base_stop)
    old = city_emissions(connection, scope, base_period)
    new = city_emissions(connection, scope, target_period)
    result = decompose(
        {code: s.lmdi() for code, s in old.sectors.items()},
        {code: s.lmdi() for code, s in new.sectors.items()},
        str(base_year),
        str(target_year),
    )
    names = carbon_sectors()
    through = stop - timedelta(days=1)
    return {
        "base_year": base_year,
        "target_year": target_year,
        "partial": partial,
        "through": through.isoformat() if partial else None,
        "through_label": through_label(through) if partial else None,
        "base_tco2": result.base_total,
        "target_tco2": result.target_total,
        "change_tco2": result.change,
        "effects": [{"effect": name, "tco2": result.effects[name]} for name in EFFECTS],
        "residual_tco2": result.residual,
        "sectors": [
            {
                "sector": s.sector,
                "name_zh": names[s.sector].name_zh,
                "name_en": names[s.sector].name_en,
                "base": _figures(old.sectors[s.sector].lmdi()),
                "target": _figures(new.sectors[s.sector].lmdi()),
                "change_tco2": s.change,
                "treatment": s.treatment,
                **{f"{name}_tco2": s.effects[name] for name in EFFECTS},
            }
            for s in result.sectors
        ],
        "method": "additive LMDI-I (Ang 2005): C = sum_i Q * S_i * I_i * F_i, effect_x = "
        "sum_i L(C_i^T, C_i^0) ln(x_i^T / x_i^0); zero values: the Ang & Liu (2007) "
        "small-value limits (a starting or stopping sector's change goes to its first zero "
        "factor)",
    }


def _figures(value: Any) -> dict[str, float]:
    return {
        "output_value_10k_yuan": value.output_value,
        "energy_tce": value.energy_tce,
        "tco2": value.tco2,
    }
