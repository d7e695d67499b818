"""The annual CO2 change of each measure, with the accounting core's factors."""

from __future__ import annotations

from nenghao.accounting import (
    fuel_combustion_co2,
    purchased_electricity_co2,
    purchased_heat_co2,
    to_standard_coal,
)
from nenghao.standards import NoFactorError, UnknownEnergyKindError, get_catalog

from .errors import PathwayInputError
from .model import Measure
from .projection import MeasureEffect

__all__ = ["co2_per_tce", "measure_effect"]

GJ_PER_TCE = 29.3076
"""Heat content of 1 tce [GJ] (GB/T 2589-2020, definition of kgce: 29 307.6 kJ)."""


def co2_per_tce(kind_code: str, year: int) -> float:
    """CO2 per tce (equivalent value) of an energy kind in ``year`` [tCO2/tce].

    Electricity at the year's grid factor, heat and steam at the purchased-heat factor, fossil
    fuels at their combustion factors; 0 for kinds that emit no CO2 when used.
    """
    catalog = get_catalog()
    try:
        kind = catalog.energy_kind(kind_code)
    except UnknownEnergyKindError:
        raise PathwayInputError(
            f"unknown energy kind {kind_code!r}",
            details={"field": "energy_kind", "value": kind_code},
            zh=f"未知的能源品种 {kind_code}",
        ) from None
    tce = to_standard_coal(1.0, kind.unit, kind).tce
    try:
        if kind.code == "electricity":
            return purchased_electricity_co2(1.0, kind.unit, year).tco2 / tce
        if kind.code in ("heat", "steam"):
            return purchased_heat_co2(GJ_PER_TCE * tce, "GJ", year).tco2 / tce
        if kind.fossil and kind.carbon is not None:
            return fuel_combustion_co2(1.0, kind.unit, kind).tco2 / tce
    except NoFactorError as exc:
        raise PathwayInputError(
            f"{kind.name_en}: no emission factor for {year}: {exc}",
            details={"field": "energy_kind", "value": kind_code, "year": year},
            zh=f"{kind.name_zh} 缺少 {year} 年的排放因子",
        ) from None
    return 0.0


def measure_effect(measure: Measure, base_year: int) -> MeasureEffect:
    """The measure's annual CO2 change (negative: a saving), factors of ``base_year``."""
    if measure.kind == "retrofit":
        return MeasureEffect(measure, -(measure.saving_tco2 or 0.0))
    if measure.kind == "fuel_switch":
        amount = measure.amount_tce or 0.0
        before = co2_per_tce(measure.from_kind or "", base_year)
        after = co2_per_tce(measure.to_kind or "", base_year)
        return MeasureEffect(measure, amount * (after - before))
    if measure.kind == "renewable_electricity":
        grid = purchased_electricity_co2(measure.mwh or 0.0, "MWh", base_year).tco2
        return MeasureEffect(measure, -grid, per_grid_index=True)
    return MeasureEffect(measure)
