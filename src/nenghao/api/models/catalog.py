"""Answers of the reference catalogue and of the conversion to standard coal.

The catalogue's own models (``nenghao.standards.models``) describe its items; the emission
factors of the catalogue, kept in four tables, are answered as one list tagged by ``kind``.
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from nenghao.accounting import StandardCoal
from nenghao.api.models.numbers import Energy, Kgce, Tce
from nenghao.standards.models import (
    BenchmarkLevel,
    Division,
    EnergyKind,
    FuelCarbon,
    Industry,
    ProcessFactor,
    QuotaCorrection,
    QuotaEdition,
    Sourced,
)

ANSWERED = ConfigDict(json_schema_serialization_defaults_required=True)
"""A field with a default is answered all the same: the document marks it required."""

Item = TypeVar("Item")


class CatalogSection(BaseModel, Generic[Item]):
    """One section of the reference catalogue."""

    section: str
    count: int
    items: list[Item]


class SourcedOut(Sourced):
    model_config = ANSWERED


class FuelCarbonOut(FuelCarbon):
    model_config = ANSWERED

    heating_value: SourcedOut
    carbon_content: SourcedOut
    oxidation: SourcedOut


class EnergyKindOut(EnergyKind):
    model_config = ANSWERED

    coefficient: SourcedOut
    heating_value: SourcedOut | None = None
    carbon: FuelCarbonOut | None = None


class QuotaCorrectionOut(QuotaCorrection):
    model_config = ANSWERED


class QuotaEditionOut(QuotaEdition):
    model_config = ANSWERED

    corrections: tuple[QuotaCorrectionOut, ...] = ()


class DivisionOut(Division):
    model_config = ANSWERED


class IndustryOut(Industry):
    model_config = ANSWERED
    two_high_name_zh: str | None = Field(None, description="Name of the two-high sector.")
    two_high_name_en: str | None = Field(None, description="English name of the sector.")


# Each item model lists its tag's model after the catalogue's model: the tag comes first.


class _GridTag(BaseModel):
    kind: Literal["grid"]
    region: str
    series: str
    year_from: int
    year_to: int


class GridFactorItem(SourcedOut, _GridTag):
    """A grid emission factor [tCO2/MWh] for the years ``year_from`` to ``year_to``."""


class _HeatTag(BaseModel):
    kind: Literal["heat"]


class HeatFactorItem(SourcedOut, _HeatTag):
    """The emission factor of purchased heat [tCO2/GJ]."""


class FuelCarbonItem(BaseModel):
    """Default carbon parameters of a fossil fuel (GB/T 32150-2015)."""

    kind: Literal["fuel_carbon"]
    energy: str = Field(description="energy-kind code")
    heating_value: SourcedOut
    carbon_content: SourcedOut
    oxidation: SourcedOut


class _ProcessTag(BaseModel):
    kind: Literal["process"]


class ProcessFactorItem(ProcessFactor, _ProcessTag):
    """A process-emission factor (tCO2 per tonne of ``basis``)."""

    model_config = ANSWERED


EmissionFactorItem = Annotated[
    GridFactorItem | HeatFactorItem | FuelCarbonItem | ProcessFactorItem,
    Field(discriminator="kind"),
]


class EnergyKinds(CatalogSection[EnergyKindOut]):
    """Energy kinds with their GB/T 2589 coefficients."""


class Quotas(CatalogSection[QuotaEditionOut]):
    """Unit-product energy quota editions, with the NDRC benchmark and baseline levels
    (标杆水平, 基准水平) of the products that have them."""

    benchmarks: list[BenchmarkLevel] = Field(
        description="发改产业〔2023〕723号 levels by product [kgce/t], each with its status"
    )


class EmissionFactors(CatalogSection[EmissionFactorItem]):
    """Grid, heat, fuel-carbon and process emission factors."""


class Divisions(CatalogSection[DivisionOut]):
    """Administrative divisions (GB/T 2260)."""


class Industries(CatalogSection[IndustryOut]):
    """Industry classes (GB/T 4754-2017)."""


class ReasonOut(BaseModel):
    """One reason code of the uplink protocol, with what it rejects and its names."""

    model_config = ANSWERED
    code: str
    rejects: Literal["message", "record", "signature", "file"]
    zh: str
    en: str


class Reasons(CatalogSection[ReasonOut]):
    """Reason codes of the uplink protocol (rejections, quarantine, imports)."""


class ConvertedEnergy(BaseModel):
    code: str
    name_zh: str
    name_en: str


class ConversionInput(BaseModel):
    value: float
    unit: str
    energy: str = Field(description="the energy kind as asked (code or name)")


class ConversionOut(StandardCoal):
    """A quantity converted to standard coal (GB/T 2589-2020), with the coefficient used."""

    model_config = ANSWERED

    energy: ConvertedEnergy  # type: ignore[assignment]
    input: ConversionInput
    kgce: Kgce
    tce: Tce
    quantity_canonical: Energy
