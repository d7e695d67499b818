"""The city's CO2 from the monitored key units, by sector and source, over a period.

Each data item's contribution comes from the statistics ledger (`nenghao.analytics.ledger`:
the accounting core's factors for the period's year, so the same figures as the consumption
statistics); the item's enterprise gives the sector (its GB/T 4754 class, through
carbon_sectors.toml) and the item gives the source: a product's output is process CO2
(calcination of magnesia, lime), electricity and heat are purchased electricity and heat,
every other energy is fuel combustion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from nenghao.analytics.item_factors import COLUMN, HEAT_CARRIERS
from nenghao.analytics.items import SelectedItem
from nenghao.analytics.ledger import build_ledger
from nenghao.analytics.periods import Period
from nenghao.standards.carbon_sectors import carbon_sectors, sector_of_industry
from nenghao.store.scope import Scope

from .lmdi import SectorYear
from .model import SOURCES

__all__ = ["CityEmissions", "SectorEmissions", "city_emissions", "source_of"]


@dataclass
class SectorEmissions:
    """One sector over a period: CO2 by source [tCO2], energy [tce], output value [万元]."""

    by_source: dict[str, float]
    energy_tce: float = 0.0
    output_value: float = 0.0
    enterprises: int = 0

    @property
    def tco2(self) -> float:
        """CO2 of every source [tCO2]."""
        return math.fsum(self.by_source.values())

    def lmdi(self) -> SectorYear:
        """The sector as an LMDI input."""
        return SectorYear(self.output_value, self.energy_tce, self.tco2)


@dataclass(frozen=True)
class CityEmissions:
    """The monitored key units' CO2 over a period, by sector (every sector listed)."""

    period: Period
    sectors: dict[str, SectorEmissions]
    unconverted: int
    """How many item quantities had no emission factor (left out of the CO2, see statistics)."""

    @property
    def tco2(self) -> float:
        """The city's CO2 [tCO2]."""
        return math.fsum(s.tco2 for s in self.sectors.values())

    def base(self) -> dict[str, dict[str, float]]:
        """Sector -> source -> tCO2, as a projection's base year."""
        return {code: dict(s.by_source) for code, s in self.sectors.items()}


def source_of(item: SelectedItem) -> str:
    """The emission source of an item's CO2: process, electricity, heat or fuels."""
    if item.measures == "product":
        return "process"
    if item.energy_kind == "electricity":
        return "electricity"
    if item.energy_kind in HEAT_CARRIERS:
        return "heat"
    return "fuels"


def _pieces(period: Period) -> list[Period]:
    """``period`` as whole months and the days of its last month, so that each piece is read
    from the coarsest rollups that fit (a year-to-date span reads months, not days)."""
    month = date(period.end.year, period.end.month, 1)
    if period.grain != "day" or month <= period.start or period.start.day != 1:
        return [period]
    pieces = [Period("range", period.start, month)]
    return pieces + ([Period("range", month, period.end)] if period.end > month else [])


def city_emissions(connection: Connection, scope: Scope, period: Period) -> CityEmissions:
    """CO2, energy and output value of the key units in ``scope`` over ``period``, by sector.

    Parameters
    ----------
    connection : Connection
        Database connection.
    scope : Scope
        The caller's data scope.
    period : Period
        CST days (at most as long as a year series allows).
    """
    sectors = {code: SectorEmissions(dict.fromkeys(SOURCES, 0.0)) for code in carbon_sectors()}
    counted: dict[str, set[int]] = {code: set() for code in sectors}
    sector_of: dict[str, str] = {}
    missing = 0
    for piece in _pieces(period):
        ledger = build_ledger(connection, scope, piece)
        if not ledger.items:
            continue
        co2 = ledger.values[:, COLUMN["tco2"]]
        energy = ledger.values[:, COLUMN["equivalent_tce"]]
        output = ledger.values[:, COLUMN["output_value"]]
        for position, item in enumerate(ledger.items):
            code = sector_of.setdefault(item.industry_code, sector_of_industry(item.industry_code))
            sector = sectors[code]
            sector.by_source[source_of(item)] += float(co2[position])
            sector.energy_tce += float(energy[position])
            sector.output_value += float(output[position])
            counted[code].add(item.enterprise_id)
        missing += sum(len(v) for v in ledger.unconverted("city").values())
    for code, ids in counted.items():
        sectors[code].enterprises = len(ids)
    return CityEmissions(period, sectors, missing)
