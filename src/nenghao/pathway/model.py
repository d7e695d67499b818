"""The inputs of a projection: assumptions and measures (pure data, validated)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "END_YEAR",
    "MEASURE_KINDS",
    "PARAMETERS",
    "SOURCES",
    "Assumption",
    "Measure",
]

END_YEAR = 2035
"""The last year of every projection (the city's plan runs to 2035)."""

SOURCES = ("fuels", "electricity", "heat", "process")
"""Emission sources: fuel combustion, purchased electricity, purchased heat, process CO2
(GB/T 32150-2015, 核算边界)."""

Parameter = Literal["output_growth", "intensity_change", "grid_factor_change"]
PARAMETERS: tuple[Parameter, ...] = ("output_growth", "intensity_change", "grid_factor_change")
"""Output value growth of a sector, change of its energy per output value, and change of the
grid's emission factor: each in % per year, from a year on."""

MeasureKind = Literal["retrofit", "fuel_switch", "renewable_electricity", "capacity_change"]
MEASURE_KINDS: tuple[MeasureKind, ...] = (
    "retrofit",
    "fuel_switch",
    "renewable_electricity",
    "capacity_change",
)
SavingStatus = Literal["verified", "claimed"]


class Assumption(BaseModel):
    """One growth assumption: ``value_pct`` % per year from ``from_year`` on.

    ``sector`` None applies to every sector (a sector's own assumption comes first);
    ``grid_factor_change`` is city-wide and has no sector.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    parameter: Parameter
    sector: str | None = None
    from_year: int = Field(ge=2000, le=END_YEAR)
    value_pct: float = Field(ge=-50, le=50, description="% per year")

    @model_validator(mode="after")
    def _grid_is_city_wide(self) -> Assumption:
        if self.parameter == "grid_factor_change" and self.sector is not None:
            raise ValueError("grid_factor_change applies to the whole city: give no sector")
        return self


class Measure(BaseModel):
    """One measure of a policy scenario, in effect from ``year`` on.

    * ``retrofit``: an annual saving ``saving_tco2`` [tCO2] (and ``saving_tce``), ``status``
      verified (measured, M&V) or claimed; ``retrofit_id`` names the retrofit project.
    * ``fuel_switch``: ``amount_tce`` [tce/year] of ``from_kind`` replaced by ``to_kind``
      (energy-kind codes); the CO2 change follows from their factors.
    * ``renewable_electricity``: ``mwh`` [MWh/year] of grid electricity replaced.
    * ``capacity_change``: the sector's output value changes by ``change_pct`` % (a closure
      is negative).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: MeasureKind
    name: str = Field(min_length=1, max_length=100)
    sector: str
    year: int = Field(ge=2000, le=END_YEAR)
    saving_tco2: float | None = Field(default=None, ge=0)
    saving_tce: float | None = Field(default=None, ge=0)
    status: SavingStatus | None = None
    retrofit_id: int | None = None
    from_kind: str | None = None
    to_kind: str | None = None
    amount_tce: float | None = Field(default=None, gt=0)
    mwh: float | None = Field(default=None, gt=0)
    change_pct: float | None = Field(default=None, ge=-100, le=500)

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Measure:
        needed = {
            "retrofit": ("saving_tco2", "status"),
            "fuel_switch": ("from_kind", "to_kind", "amount_tce"),
            "renewable_electricity": ("mwh",),
            "capacity_change": ("change_pct",),
        }[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} measure needs {', '.join(missing)}")
        return self
