"""Pure accounting functions (nenghao.accounting).

Standard coal (GB/T 2589-2020, equivalent and equal value), comprehensive consumption with
its deductions, unit-product consumption and quota levels, consumption per 10 000 yuan, and
CO2.  Imports only :mod:`nenghao.standards`.
"""

from __future__ import annotations

from .carbon import (
    CarbonResult,
    FactorUsed,
    fuel_combustion_co2,
    process_co2,
    purchased_electricity_co2,
    purchased_heat_co2,
    total_co2,
)
from .comprehensive import (
    ComprehensiveLine,
    ComprehensiveResult,
    EnergyFlow,
    comprehensive_consumption,
)
from .conversion import StandardCoal, parse_heating_value, to_standard_coal
from .errors import (
    CorrectionError,
    DimensionMismatchError,
    HeatingValueError,
    InvalidQuantityError,
    MissingFactorError,
    MissingYearError,
    NoQuotaInForceError,
    QuotaValuesNotLoadedError,
    UnitError,
    UnknownUnitError,
)
from .intensity import (
    IntensityResult,
    consumption_per_added_value,
    consumption_per_output_value,
    energy_intensity,
    reduction_rate,
)
from .unit_product import (
    AppliedCorrection,
    QuotaAssessment,
    UnitProductConsumption,
    process_consumption_tce,
    quota_level,
    unit_product_consumption,
)
from .units import convert

__all__ = [
    "AppliedCorrection",
    "CarbonResult",
    "ComprehensiveLine",
    "ComprehensiveResult",
    "CorrectionError",
    "DimensionMismatchError",
    "EnergyFlow",
    "FactorUsed",
    "HeatingValueError",
    "IntensityResult",
    "InvalidQuantityError",
    "MissingFactorError",
    "MissingYearError",
    "NoQuotaInForceError",
    "QuotaAssessment",
    "QuotaValuesNotLoadedError",
    "StandardCoal",
    "UnitError",
    "UnitProductConsumption",
    "UnknownUnitError",
    "comprehensive_consumption",
    "consumption_per_added_value",
    "consumption_per_output_value",
    "convert",
    "energy_intensity",
    "fuel_combustion_co2",
    "parse_heating_value",
    "process_co2",
    "process_consumption_tce",
    "purchased_electricity_co2",
    "purchased_heat_co2",
    "quota_level",
    "reduction_rate",
    "to_standard_coal",
    "total_co2",
    "unit_product_consumption",
]
