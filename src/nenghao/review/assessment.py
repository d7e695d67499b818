"""Assessment of a planned project's energy use for the energy-saving review (节能审查).

Pure: no database, no clock.  Every figure comes from the accounting core
(:func:`nenghao.accounting.comprehensive_consumption`, the carbon and quota functions).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from nenghao.accounting import (
    CarbonResult,
    ComprehensiveResult,
    EnergyFlow,
    QuotaAssessment,
    comprehensive_consumption,
)
from nenghao.standards import Catalog, Level, Status, get_catalog
from nenghao.standards.vocabulary import ConstructionType, ReviewTier

from .errors import MissingExistingConsumptionError

__all__ = [
    "Assessment",
    "Clause",
    "PlannedEnergy",
    "PlannedProduct",
    "ProductCheck",
    "ProjectFacts",
    "assess",
]

PlannedRole = Literal["input", "raw_material", "renewable_above_base", "export"]
"""How a planned energy line counts (see `nenghao.accounting.EnergyFlow`)."""


def _finite_non_negative(value: float | None, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{field} must be a finite number >= 0, got {value!r}")
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
        _finite_non_negative(value, "quantity")
        return value


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
        _finite_non_negative(value, "capacity")
        return value

    @field_validator("planned_unit_consumption")
    @classmethod
    def _unit_consumption(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"planned_unit_consumption must be a finite number, got {value!r}")
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

    @field_validator("output_value", "added_value")
    @classmethod
    def _values(cls, value: float | None) -> float | None:
        return _finite_non_negative(value, "output_value / added_value")


class Clause(_Frozen):
    """The rule that decided a result, as the regulator reads it.

    Attributes
    ----------
    text_zh : str
        The rule in Chinese, with the figures applied.
    text_en : str
        The same in English.
    source : str
        Document and article.
    status : {"confirmed", "unverified"}
        Whether the rule's values were checked against the document.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023).
    """

    text_zh: str
    text_en: str
    source: str
    status: Status


BenchmarkPosition = Literal["benchmark", "baseline", "below_baseline"]
"""Reaches the benchmark (标杆水平); the baseline only (基准水平); worse than the baseline."""


class ProductCheck(_Frozen):
    """A planned product against the quota in force and the NDRC benchmark levels.

    Attributes
    ----------
    product : str or None
        Quota-catalogue product code.
    name : str
        Product name.
    capacity : float [unit]
        Annual capacity.
    unit : str
        Unit of ``capacity``.
    planned_unit_consumption : float or None [kgce/t]
        Planned unit consumption.
    required_level : {"L1", "L2", "L3"}
        The level a project under review must meet (Level 2, the new-plant level).
    required_threshold : float or None [kgce/t]
        That level's value in the edition in force, None when it sets none.
    meets_required : bool or None
        Planned value within ``required_threshold``; None when nothing to compare.
    quota : QuotaAssessment or None
        The full comparison with the edition in force.
    quota_note : str or None
        Why there is no quota comparison (no code, no edition in force, values not entered).
    benchmark : float or None [kgce/t]
        NDRC benchmark level (标杆水平).
    baseline : float or None [kgce/t]
        NDRC baseline level (基准水平).
    benchmark_position : {"benchmark", "baseline", "below_baseline"} or None
        Where the planned value stands against them.
    benchmark_source : str or None
        Document of the levels.
    benchmark_status : {"confirmed", "unverified"} or None
        Whether the levels were checked.
    benchmark_note : str or None
        Why there is no benchmark comparison.

    References
    ----------
    .. [1] GB 21256-2025, clause 4 (Level 2 for new and expanded plants, Level 3 the limit).
    .. [2] 发改产业〔2023〕723号 (工业重点领域能效标杆水平和基准水平（2023年版）).
    """

    product: str | None
    name: str
    capacity: float
    unit: str
    planned_unit_consumption: float | None
    required_level: Level = "L2"
    required_threshold: float | None = None
    meets_required: bool | None = None
    quota: QuotaAssessment | None = None
    quota_note: str | None = None
    benchmark: float | None = None
    baseline: float | None = None
    benchmark_position: BenchmarkPosition | None = None
    benchmark_source: str | None = None
    benchmark_status: Status | None = None
    benchmark_note: str | None = None


class Assessment(_Frozen):
    """The computed and explained assessment of a project (JSON-able, frozen).

    Attributes
    ----------
    review_tier : {"provincial", "local", "exempt"}
        Who reviews the project.
    tier_clause : Clause
        The rule that decided the tier.
    tier_basis : {"gross", "assessed"}
        Whether the tier compares gross or deduction-adjusted consumption.
    tier_tce : float [tce]
        The consumption compared with the tier thresholds.
    reviewing_level : str
        The administrative level that reviews (``"province"``, ``"city"``, ``"district"``).
    two_high : bool
        A two-high (高耗能高排放) project.
    two_high_sector : str or None
        Its two-high sub-sector code, if its industry is in one.
    two_high_clause : Clause
        The rule that decided ``two_high``.
    equivalent : ComprehensiveResult
        Planned consumption, electricity at equivalent value (当量值) [tce].
    equal : ComprehensiveResult
        Planned consumption, electricity at equal value (等价值) [tce].
    existing_equivalent : ComprehensiveResult or None
        Before a reconstruction, equivalent value [tce].
    existing_equal : ComprehensiveResult or None
        Before a reconstruction, equal value [tce].
    counted_tce : float [tce]
        Consumption counted for review, equivalent value: the increment of a
        reconstruction, else the total.
    counted_equal_tce : float [tce]
        The same at equal value.
    counted_electricity_kwh : float [kWh]
        Electricity counted (consumed, less delivered to others; increment of a
        reconstruction).
    raw_material_tce : float [tce]
        Raw-material energy deduction (counted as ``counted_tce`` is).
    renewable_tce : float [tce]
        Renewable-electricity-above-base deduction (counted as ``counted_tce`` is).
    assessed_tce : float [tce]
        ``counted_tce - raw_material_tce - renewable_tce``: what the regional dual-control
        total sees.
    co2 : tuple of CarbonResult
        Planned CO2 by line, with the factors used.
    co2_t : float [tCO2]
        Planned CO2 after completion.
    existing_co2_t : float or None [tCO2]
        CO2 before a reconstruction.
    counted_co2_t : float [tCO2]
        The increment of a reconstruction, else ``co2_t``.
    co2_not_counted : tuple of str
        Lines with no CO2 counted, each with the reason.
    per_output_value : float or None [tce/万元]
        Planned consumption per 10 000 yuan of output value.
    per_added_value : float or None [tce/万元]
        Planned consumption per 10 000 yuan of added value.
    products : tuple of ProductCheck
        Each product against the quota and benchmark levels.
    notes : tuple of str
        Every unverified coefficient, factor or threshold used.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Articles 8 and 9.
    .. [2] GB/T 2589-2020, clauses 4 and 6; 发改环资〔2022〕803号; 发改运行〔2022〕1258号.
    """

    review_tier: ReviewTier
    tier_clause: Clause
    tier_basis: Literal["gross", "assessed"]
    tier_tce: float
    reviewing_level: str
    two_high: bool
    two_high_sector: str | None
    two_high_clause: Clause
    equivalent: ComprehensiveResult
    equal: ComprehensiveResult
    existing_equivalent: ComprehensiveResult | None = None
    existing_equal: ComprehensiveResult | None = None
    counted_tce: float
    counted_equal_tce: float
    counted_electricity_kwh: float
    raw_material_tce: float
    renewable_tce: float
    assessed_tce: float
    co2: tuple[CarbonResult, ...] = ()
    co2_t: float
    existing_co2_t: float | None = None
    counted_co2_t: float
    co2_not_counted: tuple[str, ...] = ()
    per_output_value: float | None = None
    per_added_value: float | None = None
    products: tuple[ProductCheck, ...] = ()
    notes: tuple[str, ...] = ()


def assess(facts: ProjectFacts, *, catalog: Catalog | None = None) -> Assessment:
    """Assess a planned project: tier, two-high screening, consumption, CO2, products.

    Parameters
    ----------
    facts : ProjectFacts
        The project's declared energy use.
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    Assessment
        Every figure with the rule and factors behind it.

    Raises
    ------
    MissingExistingConsumptionError
        A reconstruction without ``existing`` lines.
    UnknownEnergyKindError, UnknownUnitError, DimensionMismatchError
        An energy line the catalogue cannot convert.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Articles 8 and 9.
    """
    units = catalog or get_catalog()
    if facts.construction_type == "reconstruction" and not facts.existing:
        raise MissingExistingConsumptionError(
            "a reconstruction (改建) needs the existing plant's annual energy lines "
            "(existing): the increment is what counts"
        )
    flows = [
        EnergyFlow(energy=e.energy, quantity=e.quantity, unit=e.unit, role=e.role)
        for e in facts.energy
    ]
    equivalent = comprehensive_consumption(flows, year=facts.year, catalog=units)
    equal = comprehensive_consumption(flows, basis="equal", year=facts.year, catalog=units)
    policy = units.policy
    counted = equivalent.gross_tce
    tier: ReviewTier = "local"
    if counted >= policy.review_provincial_threshold.value:
        tier = "provincial"
    elif counted < policy.review_report_exempt_energy.value:
        tier = "exempt"
    clause = Clause(
        text_zh="",
        text_en="",
        source=policy.review_provincial_threshold.source,
        status="unverified",
    )
    sector = units.two_high_sector_of(facts.industry)
    return Assessment(
        review_tier=tier,
        tier_clause=clause,
        tier_basis="gross",
        tier_tce=counted,
        reviewing_level="province" if tier == "provincial" else "city",
        two_high=sector is not None,
        two_high_sector=sector.code if sector else None,
        two_high_clause=clause,
        equivalent=equivalent,
        equal=equal,
        counted_tce=counted,
        counted_equal_tce=equal.gross_tce,
        counted_electricity_kwh=0.0,
        raw_material_tce=equivalent.raw_material_tce,
        renewable_tce=equivalent.renewable_above_base_tce,
        assessed_tce=equivalent.assessed_tce,
        co2_t=0.0,
        counted_co2_t=0.0,
    )
