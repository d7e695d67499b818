"""Per-item factors: what one unit of an item's readings adds to each statistic measure.

Conversion to standard coal and to CO2 is linear in the quantity, so the factors of an item
are computed once - through the accounting functions, with the item's own heating value -
and then multiply any sum of its readings. Items that share every relevant attribute share
their factors (cached), so a city of thousands of items needs a few dozen conversions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nenghao.accounting import (
    CarbonResult,
    EnergyFlow,
    StandardCoal,
    comprehensive_consumption,
    convert,
    fuel_combustion_co2,
    process_co2,
    purchased_electricity_co2,
    purchased_heat_co2,
    to_standard_coal,
)
from nenghao.analytics.items import SelectedItem
from nenghao.standards import NoFactorError, Sourced, get_catalog
from nenghao.store.equal_values import ENERGY as EQUAL_OVERRIDDEN

GJ_PER_KGCE = 0.0293076
"""Heat content of 1 kgce (29 307.6 kJ), GB/T 2589-2020, definition of kgce."""
HEAT_CARRIERS = ("heat", "steam")

MEASURES = (
    "equivalent_tce",
    "equal_tce",
    "tco2",
    "raw_material_tce",
    "exported_tce",
    "renewable_kwh",
    "renewable_tce",
    "output_value",
    "added_value",
    "input_tce",
)
"""Columns of a factor row; every one is additive over items and over time."""
COLUMN = {name: index for index, name in enumerate(MEASURES)}


@dataclass(frozen=True)
class ItemFactors:
    """Factors of one item per unit of its readings, and what they came from."""

    values: np.ndarray
    """One number per :data:`MEASURES` column (signed tce, tCO2, kWh, 万元 per item unit)."""
    role: str | None
    equivalent: StandardCoal | None = None
    equal: StandardCoal | None = None
    equal_missing: str | None = None
    """Why the item has no equal-value figure (e.g. heat: no coefficient configured)."""
    carbon: CarbonResult | None = None
    carbon_missing: str | None = None
    """Why the item has no CO2 figure (e.g. no grid emission factor for the year)."""


def role_of(item: SelectedItem) -> str | None:
    """The comprehensive-consumption role of a fence item (None: it adds nothing)."""
    if item.energy_kind is None or item.measures not in ("energy", "medium"):
        return None
    if item.usage == "consumption":
        return "medium" if item.measures == "medium" else "input"
    if item.usage in ("raw_material", "export"):
        return item.usage
    return None


def factors_for(item: SelectedItem, year: int, equal: Sourced | None = None) -> ItemFactors:
    """The factors of ``item`` for statistics ``year`` (cached by the item's attributes).

    ``equal`` is the administrator's equal value of electricity for ``year``, if one is set
    (it then comes before the catalogue's per-year value and fallback).
    """
    return _factors(
        item.measures,
        item.usage,
        item.energy_kind,
        item.product_code,
        item.unit,
        item.renewable,
        item.heating_value,
        item.heating_value_unit,
        year,
        equal if item.energy_kind == EQUAL_OVERRIDDEN else None,
    )


@lru_cache(maxsize=4096)
def _factors(
    measures: str,
    usage: str,
    energy_kind: str | None,
    product_code: str | None,
    unit: str,
    renewable: bool,
    heating_value: float | None,
    heating_value_unit: str | None,
    year: int,
    equal_override: Sourced | None,
) -> ItemFactors:
    values = np.zeros(len(MEASURES))
    if measures in ("output_value", "added_value"):
        values[COLUMN[measures]] = convert(1.0, unit, "万元")
        return ItemFactors(values, None)
    if measures == "product":
        values[COLUMN["tco2"]] = _process_co2(product_code, unit)
        return ItemFactors(values, None)
    item = SelectedItem(
        0,
        0,
        "",
        "",
        measures,
        usage,
        energy_kind,
        product_code,
        unit,
        "",
        renewable,
        heating_value,
        heating_value_unit,
    )
    role = role_of(item)
    if role is None or energy_kind is None:
        return ItemFactors(values, None)
    flow = EnergyFlow(
        energy=energy_kind,
        quantity=1.0,
        unit=unit,
        role=role,  # type: ignore[arg-type]
        heating_value=heating_value,
        heating_value_unit=heating_value_unit,
    )
    catalog = get_catalog()
    if equal_override is not None:
        catalog = catalog.with_equal_value_overrides({EQUAL_OVERRIDDEN: [equal_override]})
    line = comprehensive_consumption([flow], basis="equivalent", year=year).lines[0]
    values[COLUMN["equivalent_tce"]] = line.signed_tce
    equal: StandardCoal | None = None
    missing: str | None = None
    try:
        equal_line = comprehensive_consumption(
            [flow], basis="equal", year=year, catalog=catalog
        ).lines[0]
        values[COLUMN["equal_tce"]] = equal_line.signed_tce
        equal = equal_line.standard_coal
    except NoFactorError as exc:
        missing = str(exc)
    if role == "raw_material":
        values[COLUMN["raw_material_tce"]] = line.standard_coal.tce
    elif role == "export":
        values[COLUMN["exported_tce"]] = line.standard_coal.tce
    else:
        values[COLUMN["input_tce"]] = line.standard_coal.tce
    if renewable and energy_kind == "electricity" and role == "input":
        values[COLUMN["renewable_kwh"]] = convert(1.0, unit, "kWh")
        values[COLUMN["renewable_tce"]] = line.standard_coal.tce
    carbon_missing: str | None = None
    try:
        carbon = _carbon_per_unit(
            energy_kind, unit, renewable, heating_value, heating_value_unit, year
        )
    except NoFactorError as exc:
        carbon, carbon_missing = None, str(exc)
    credited = not (role == "export" and energy_kind in ("electricity", *HEAT_CARRIERS))
    if carbon is not None and credited and role != "raw_material":
        values[COLUMN["tco2"]] = (-1.0 if role == "export" else 1.0) * carbon.tco2
    return ItemFactors(values, role, line.standard_coal, equal, missing, carbon, carbon_missing)


def _carbon_per_unit(
    energy_kind: str,
    unit: str,
    renewable: bool,
    heating_value: float | None,
    heating_value_unit: str | None,
    year: int,
) -> CarbonResult | None:
    """CO2 of one unit: grid factor, purchased heat, or fuel combustion; None if none apply.

    Exported electricity and heat are not credited; carbon leaving in exported fuels is
    deducted; raw-material use stores its carbon in products and emits none here.
    """
    catalog = get_catalog()
    kind = catalog.energy_kind(energy_kind)
    if kind.code == "electricity":
        return None if renewable else purchased_electricity_co2(1.0, unit, year)
    if kind.code in HEAT_CARRIERS:
        equivalent = to_standard_coal(1.0, unit, kind)
        return purchased_heat_co2(equivalent.kgce * GJ_PER_KGCE, "GJ", year)
    if kind.fossil and kind.carbon is not None:
        return fuel_combustion_co2(
            1.0, unit, kind, heating_value=heating_value, heating_value_unit=heating_value_unit
        )
    return None


def _process_co2(product_code: str | None, unit: str) -> float:
    """tCO2 of process emissions per unit of a product's output (0 when none apply)."""
    if product_code is None:
        return 0.0
    factor = get_catalog().process_emission_for_product(product_code)
    if factor is None:
        return 0.0
    return process_co2(1.0, unit, factor.code).tco2


def factor_matrix(items: list[SelectedItem], year: int, equal: Sourced | None = None) -> np.ndarray:
    """An (items x measures) matrix of the items' factors for ``year``."""
    if not items:
        return np.zeros((0, len(MEASURES)))
    return np.vstack([factors_for(item, year, equal).values for item in items])


def coefficients_used(
    items: list[SelectedItem], year: int, equal: Sourced | None = None
) -> list[dict[str, object]]:
    """The distinct coefficients and emission factors behind the items' factors for ``year``."""
    seen: dict[tuple[object, ...], dict[str, object]] = {}
    key: tuple[object, ...]
    for item in items:
        factors = factors_for(item, year, equal)
        for coal in (factors.equivalent, factors.equal):
            if coal is None:
                continue
            key = ("coal", coal.energy, coal.basis, coal.coefficient, coal.canonical_unit)
            seen.setdefault(
                key,
                {
                    "kind": "standard_coal",
                    "energy_kind": coal.energy,
                    "basis": coal.basis,
                    "coefficient": coal.coefficient,
                    "unit": coal.coefficient_unit,
                    "method": coal.method,
                    "edition": coal.edition,
                    "year": year,
                    "source": coal.source,
                    "status": coal.status,
                    "note": coal.note,
                },
            )
        if factors.carbon is not None:
            for used in factors.carbon.factors:
                key = ("co2", factors.carbon.subject, used.name, used.value)
                seen.setdefault(
                    key,
                    {
                        "kind": "emission_factor",
                        "energy_kind": factors.carbon.subject,
                        "name": used.name,
                        "value": used.value,
                        "unit": used.unit,
                        "year": year,
                        "source": used.source,
                        "status": used.status,
                        "note": used.note,
                    },
                )
    return list(seen.values())
