"""Per-item conversion factors: tce and tCO2 per unit of an item's readings.

Conversion to standard coal and to CO2 is linear in the quantity, so a factor computed once
per item (through the accounting functions, with the item's own heating value) converts any
sum of its readings. Every factor keeps the accounting result it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nenghao.accounting import (
    CarbonResult,
    StandardCoal,
    fuel_combustion_co2,
    process_co2,
    purchased_electricity_co2,
    purchased_heat_co2,
    to_standard_coal,
)
from nenghao.standards import Catalog, get_catalog

Basis = Literal["equivalent", "equal"]
GJ_PER_KGCE = 0.0293076
"""Heat content of 1 kgce (29 307.6 kJ), GB/T 2589-2020, 3.x definition of kgce."""

HEAT_CARRIERS = ("heat", "steam")


@dataclass(frozen=True)
class ItemRow:
    """What the aggregation needs to know of one data item."""

    id: int
    enterprise_id: int
    division_code: str
    industry_code: str
    measures: str
    usage: str
    energy_kind: str | None
    product_code: str | None
    unit: str
    boundary: str
    renewable: bool
    heating_value: float | None
    heating_value_unit: str | None


@dataclass(frozen=True)
class ItemFactors:
    """Signed tce and tCO2 per unit of the item; 0 where the item adds nothing."""

    tce: float
    tco2: float
    coal: StandardCoal | None
    carbon: CarbonResult | None


def energy_factors(
    item: ItemRow, *, basis: Basis, year: int, catalog: Catalog | None = None
) -> ItemFactors:
    """Factors of an energy or energy-carrying-medium item at the enterprise fence.

    Consumption and raw-material use count positive, exports negative (GB/T 2589-2020: energy
    output to others is deducted). CO2: fossil fuels burned (combustion), purchased electricity
    (grid factor of the year), purchased heat and steam (heat content from the equivalent
    coefficient); carbon leaving in exported fuels is deducted; exported electricity and heat
    are not credited; raw-material use stores its carbon in products and emits none here.
    """
    cat = catalog or get_catalog()
    counted = item.usage in {"consumption", "raw_material", "export"}
    if item.energy_kind is None or item.measures not in {"energy", "medium"} or not counted:
        return ItemFactors(0.0, 0.0, None, None)
    coal = to_standard_coal(
        1.0,
        item.unit,
        item.energy_kind,
        basis=basis,
        year=year,
        heating_value=item.heating_value,
        heating_value_unit=item.heating_value_unit,
        catalog=cat,
    )
    sign = -1.0 if item.usage == "export" else 1.0
    carbon = _carbon_per_unit(item, year, cat)
    credited = not (item.usage == "export" and item.energy_kind in ("electricity", *HEAT_CARRIERS))
    tco2 = 0.0
    if carbon is not None and credited and item.usage != "raw_material":
        tco2 = sign * carbon.tco2
    return ItemFactors(sign * coal.tce, tco2, coal, carbon)


def _carbon_per_unit(item: ItemRow, year: int, cat: Catalog) -> CarbonResult | None:
    kind = cat.energy_kind(item.energy_kind or "")
    if kind.code == "electricity":
        if item.renewable:
            return None
        return purchased_electricity_co2(1.0, item.unit, year, catalog=cat)
    if kind.code in HEAT_CARRIERS:
        equivalent = to_standard_coal(1.0, item.unit, kind, catalog=cat)
        return purchased_heat_co2(equivalent.kgce * GJ_PER_KGCE, "GJ", year, catalog=cat)
    if kind.fossil and kind.carbon is not None:
        return fuel_combustion_co2(
            1.0,
            item.unit,
            kind,
            heating_value=item.heating_value,
            heating_value_unit=item.heating_value_unit,
            catalog=cat,
        )
    return None


def process_co2_per_unit(item: ItemRow, catalog: Catalog | None = None) -> float:
    """tCO2 of process emissions per unit of a product item's output (0 when none apply)."""
    cat = catalog or get_catalog()
    if item.measures != "product" or item.product_code is None:
        return 0.0
    factor = cat.process_emission_for_product(item.product_code)
    if factor is None:
        return 0.0
    return process_co2(1.0, item.unit, factor.code, catalog=cat).tco2
