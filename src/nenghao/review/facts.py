"""What a project declares about its planned energy use: the input of the assessment."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from nenghao.accounting import EnergyFlow, InvalidQuantityError
from nenghao.standards.digits import is_digits
from nenghao.standards.vocabulary import ConstructionType

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "PlannedEnergy",
    "PlannedProduct",
    "PlannedRole",
    "ProjectFacts",
]

#: Years a project may name as its first full year of operation.
FIRST_YEAR, LAST_YEAR = 2000, 2100

PlannedRole = Literal["input", "raw_material", "renewable_above_base", "export"]
"""How a planned energy line counts (see `nenghao.accounting.EnergyFlow`)."""


def _finite_non_negative(value: float | None, field: str) -> float | None:
    """``value`` unchanged; a negative or non-finite one is refused, naming ``field``."""
    if value is not None and (not math.isfinite(value) or value < 0):
        raise InvalidQuantityError(f"{field} must be a finite number >= 0, got {value!r}")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlannedEnergy(_Frozen):
    """One planned annual energy line of a project.

    Attributes
    ----------
    energy : str
        Energy-kind code or name (``"raw_coal"``, ``"电力"``).
    quantity : float [unit]
        Annual quantity in the first full year, finite and >= 0.
    unit : str
        Unit of ``quantity`` (``"t"``, ``"万kWh"``, ``"万m3"`` ...).
    role : {"input", "raw_material", "renewable_above_base", "export"}
        Consumed, feedstock for non-energy products, renewable electricity above the 2020
        base, or delivered to others.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 4 (计算原则) and clause 6 (计算范围).
    """

    energy: str
    quantity: float
    unit: str
    role: PlannedRole = "input"

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: float) -> float:
        _finite_non_negative(value, "quantity [unit]")
        return value

    def flow(self) -> EnergyFlow:
        """This line as an accounting-core energy flow."""
        return EnergyFlow(
            energy=self.energy, quantity=self.quantity, unit=self.unit, role=self.role
        )


class PlannedProduct(_Frozen):
    """A planned product with its capacity and planned unit consumption.

    Attributes
    ----------
    product : str or None
        Quota-catalogue product code (``"hot_metal"``), or None when there is none.
    name : str
        Product name as the report writes it (``"铁水"``).
    capacity : float [unit]
        Annual capacity, finite and >= 0.
    unit : str
        Unit of ``capacity`` (default ``"t"``).
    planned_unit_consumption : float or None [kgce/t]
        Planned unit-product comprehensive consumption; may be negative (a converter).

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (单位产品综合能耗).
    """

    product: str | None
    name: str
    capacity: float
    unit: str = "t"
    planned_unit_consumption: float | None = None

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, value: float) -> float:
        _finite_non_negative(value, "capacity [unit]")
        return value

    @field_validator("planned_unit_consumption")
    @classmethod
    def _unit_consumption(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise InvalidQuantityError(
                f"planned_unit_consumption must be a finite number [kgce/t], got {value!r}"
            )
        return value


class ProjectFacts(_Frozen):
    """What a project declares about its energy use, the input of :func:`assess`.

    Attributes
    ----------
    industry : str
        GB/T 4754-2017 class code (``"3120"``).
    construction_type : {"new", "expansion", "reconstruction"}
        新建, 扩建 or 改建 (same site, process and equipment: the increment counts).
    year : int [year]
        First full year of operation; selects the grid factor, equal value and quota edition.
    energy : tuple of PlannedEnergy
        Planned annual energy lines after completion.
    existing : tuple of PlannedEnergy
        Annual energy lines before a reconstruction (required for one).
    products : tuple of PlannedProduct
        Planned products.
    output_value : float or None [万元]
        Planned annual output value.
    added_value : float or None [万元]
        Planned annual added value.
    simple_process : bool
        Declared to belong to the simple-process list (用能工艺简单、节能潜力小的行业).
    division : str or None
        GB/T 2260 code of the project's location; selects the province's reviewing levels.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Articles 8 and 9.
    """

    industry: str
    construction_type: ConstructionType
    year: int
    energy: tuple[PlannedEnergy, ...]
    existing: tuple[PlannedEnergy, ...] = ()
    products: tuple[PlannedProduct, ...] = ()
    output_value: float | None = None
    added_value: float | None = None
    simple_process: bool = False
    division: str | None = None

    @field_validator("industry")
    @classmethod
    def _industry(cls, value: str) -> str:
        if len(value) not in (3, 4) or not is_digits(value):
            raise ValueError(
                f"industry must be a GB/T 4754-2017 class code (4 digits), got {value!r}"
            )
        return value

    @field_validator("year")
    @classmethod
    def _year(cls, value: int) -> int:
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise InvalidQuantityError(f"year must be in {FIRST_YEAR}..{LAST_YEAR}, got {value}")
        return value

    @field_validator("division")
    @classmethod
    def _division(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 6 or not is_digits(value)):
            raise ValueError(f"division must be a GB/T 2260 code (6 digits), got {value!r}")
        return value

    @field_validator("output_value", "added_value")
    @classmethod
    def _values(cls, value: float | None, info: ValidationInfo) -> float | None:
        return _finite_non_negative(value, f"{info.field_name} [万元]")
