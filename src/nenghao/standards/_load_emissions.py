"""emission_factors.toml and process_emissions.toml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ._load_units import UnitTable
from ._reader import DataFile, check_no_overlap
from .models import EnergyKind, FuelCarbon, ProcessFactor, Sourced

__all__ = ["Emissions", "GridEntry", "load_emissions", "load_process_emissions"]


@dataclass(frozen=True)
class GridEntry:
    """A grid factor valid for the years year_from..year_to."""

    region: str
    series: str
    year_from: int
    year_to: int
    factor: Sourced


@dataclass(frozen=True)
class Emissions:
    """Everything in emission_factors.toml."""

    grid: tuple[GridEntry, ...]
    heat: tuple[Sourced, ...]
    fuel_carbon: dict[str, FuelCarbon]


def _years(data_file: DataFile, entry: str, raw: dict[str, Any]) -> tuple[int | None, int | None]:
    year_from, year_to = raw.pop("year_from", None), raw.pop("year_to", None)
    for value in (year_from, year_to):
        if value is not None and (not isinstance(value, int) or not 1900 <= value <= 2200):
            raise data_file.error(entry, f"year {value!r} is not a year")
    if year_from is not None and year_to is not None and year_to < year_from:
        raise data_file.error(entry, "year_to is before year_from")
    return year_from, year_to


def _span(year_from: int | None, year_to: int | None) -> dict[str, date | None]:
    return {
        "valid_from": date(year_from, 1, 1) if year_from is not None else None,
        "valid_to": date(year_to, 12, 31) if year_to is not None else None,
    }


def load_emissions(directory: Path, units: UnitTable, kinds: dict[str, EnergyKind]) -> Emissions:
    """Load and validate emission_factors.toml."""
    data_file = DataFile(directory, "emission_factors.toml")
    data = data_file.load()
    grid: list[GridEntry] = []
    for index, raw in enumerate(data_file.tables("grid", data.get("grid"))):
        raw = dict(raw)
        region, series = str(raw.pop("region", "")), str(raw.pop("series", ""))
        entry = f"grid {region}/{series}/{raw.get('year_from', index)}"
        if not region or not series:
            raise data_file.error(entry, "region and series are required")
        year_from, year_to = _years(data_file, entry, raw)
        if year_from is None:
            raise data_file.error(entry, "year_from is required")
        year_to = year_to if year_to is not None else year_from
        factor = data_file.build(Sourced, entry, {**raw, **_span(year_from, year_to)})
        if factor.unit != "tCO2/MWh":
            raise data_file.error(entry, f"unit must be 'tCO2/MWh', got {factor.unit!r}")
        if not factor.value > 0:
            raise data_file.error(entry, "value must be > 0")
        grid.append(GridEntry(region, series, year_from, year_to, factor))
    for region, series in {(g.region, g.series) for g in grid}:
        check_no_overlap(
            data_file,
            f"{region}/{series}",
            [
                (
                    f"grid {g.region}/{g.series}/{g.year_from}",
                    g.factor.valid_from,
                    g.factor.valid_to,
                )
                for g in grid
                if (g.region, g.series) == (region, series)
            ],
        )
    heat: list[Sourced] = []
    for index, raw in enumerate(data_file.tables("heat", data.get("heat"))):
        raw = dict(raw)
        entry = f"heat[{index}]"
        year_from, year_to = _years(data_file, entry, raw)
        factor = data_file.build(Sourced, entry, {**raw, **_span(year_from, year_to)})
        if factor.unit != "tCO2/GJ" or not factor.value > 0:
            raise data_file.error(entry, "heat factor must be > 0 tCO2/GJ")
        heat.append(factor)
    check_no_overlap(
        data_file, "heat", [(f"heat[{i}]", h.valid_from, h.valid_to) for i, h in enumerate(heat)]
    )
    fuel_carbon: dict[str, FuelCarbon] = {}
    carbon_tables = data_file.table("fuel_carbon", data.get("fuel_carbon", {}))
    for code, raw in carbon_tables.items():
        entry = f"fuel_carbon.{code}"
        fuel_carbon[code] = _fuel_carbon(
            data_file, entry, data_file.table(entry, raw), units, kinds.get(code)
        )
    return Emissions(tuple(grid), tuple(heat), fuel_carbon)


def _fuel_carbon(
    data_file: DataFile,
    entry: str,
    raw: dict[str, Any],
    units: UnitTable,
    kind: EnergyKind | None,
) -> FuelCarbon:
    if kind is None:
        raise data_file.error(entry, "is not an energy kind in energy_kinds.toml")
    shared: dict[str, Any] = {k: raw[k] for k in ("source", "status", "note") if k in raw}
    parts: dict[str, Sourced] = {}
    for name in ("heating_value", "carbon_content", "oxidation"):
        part = data_file.table(f"{entry}.{name}", raw.get(name))
        parts[name] = data_file.build(Sourced, f"{entry}.{name}", {**shared, **part})
    heating = parts["heating_value"]
    numerator, _, denominator = heating.unit.partition("/")
    top, bottom = units.find(numerator), units.find(denominator)
    kind_unit = units.units[kind.unit]
    if top is None or top.dimension != "energy" or bottom is None:
        raise data_file.error(entry, f"heating_value unit {heating.unit!r} is not energy/quantity")
    if bottom.dimension != kind_unit.dimension:
        raise data_file.error(
            entry,
            f"heating_value is per {bottom.symbol} ({bottom.dimension}) but {kind.code} is "
            f"measured in {kind_unit.dimension} ({kind.unit})",
        )
    if not heating.value > 0:
        raise data_file.error(entry, "heating_value must be > 0")
    if parts["carbon_content"].unit != "tC/GJ" or not parts["carbon_content"].value > 0:
        raise data_file.error(entry, "carbon_content must be > 0 tC/GJ")
    oxidation = parts["oxidation"]
    if oxidation.unit != "1" or not 0 < oxidation.value <= 1:
        raise data_file.error(entry, "oxidation must be a fraction in (0, 1] with unit '1'")
    return FuelCarbon(
        heating_value=heating, carbon_content=parts["carbon_content"], oxidation=oxidation
    )


def load_process_emissions(directory: Path) -> dict[str, ProcessFactor]:
    """Load and validate process_emissions.toml."""
    data_file = DataFile(directory, "process_emissions.toml")
    data = data_file.load()
    factors: dict[str, ProcessFactor] = {}
    for code, raw in data.items():
        factor = data_file.build(ProcessFactor, code, {"code": code, **data_file.table(code, raw)})
        if factor.unit != "tCO2/t" or not factor.value > 0:
            raise data_file.error(code, "value must be > 0 tCO2/t")
        factors[code] = factor
    return factors
