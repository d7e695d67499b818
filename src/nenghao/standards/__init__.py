"""Reference catalogues as validated data (nenghao.standards).

Energy kinds and GB/T 2589 coefficients, units, equal-value coefficients, quota editions,
emission factors, divisions, industries, two-high sectors and policy thresholds are read
from the TOML files in ``data/`` into frozen, typed models.  Every value carries its source
and status.  This package imports nothing else of nenghao.
"""

from __future__ import annotations

from ._load_energy import KGCE_KJ
from ._load_equal_value import EQUAL_VALUE_ORIGINS, EqualValue
from .catalog import (
    DATA_DIR,
    DEFAULT_GRID_REGION,
    DEFAULT_GRID_SERIES,
    Catalog,
    get_catalog,
    load_catalog,
)
from .errors import (
    CatalogError,
    NoFactorError,
    UnitError,
    UnknownEnergyKindError,
    UnknownKeyError,
    UnknownUnitError,
)
from .models import (
    BenchmarkLevel,
    Division,
    EnergyKind,
    FuelCarbon,
    GridFactor,
    Industry,
    Level,
    Policy,
    ProcessFactor,
    QuotaCorrection,
    QuotaEdition,
    ReviewingLevels,
    ReviewRules,
    Sourced,
    Status,
    TwoHighSector,
    Unit,
)

__all__ = [
    "DATA_DIR",
    "DEFAULT_GRID_REGION",
    "DEFAULT_GRID_SERIES",
    "EQUAL_VALUE_ORIGINS",
    "KGCE_KJ",
    "BenchmarkLevel",
    "Catalog",
    "CatalogError",
    "Division",
    "EnergyKind",
    "EqualValue",
    "FuelCarbon",
    "GridFactor",
    "Industry",
    "Level",
    "NoFactorError",
    "Policy",
    "ProcessFactor",
    "QuotaCorrection",
    "QuotaEdition",
    "ReviewRules",
    "ReviewingLevels",
    "Sourced",
    "Status",
    "TwoHighSector",
    "Unit",
    "UnitError",
    "UnknownEnergyKindError",
    "UnknownKeyError",
    "UnknownUnitError",
    "get_catalog",
    "load_catalog",
]
