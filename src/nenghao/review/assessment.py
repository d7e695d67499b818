"""Assessment of a planned project's energy use for the energy-saving review (节能审查).

Pure: no database, no clock.  Every figure comes from the accounting core
(:func:`nenghao.accounting.comprehensive_consumption`, the carbon and quota functions).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from nenghao.accounting import (
    CarbonResult,
    ComprehensiveResult,
    EnergyFlow,
    comprehensive_consumption,
    consumption_per_added_value,
    consumption_per_output_value,
    convert,
)
from nenghao.standards import Catalog, get_catalog
from nenghao.standards.models import TierBasis
from nenghao.standards.vocabulary import (
    ConstructionType,
    ReviewTier,
)

from .caveats import (
    carbon_caveats,
    coal_caveats,
    existing_caveats,
    notes,
    product_caveats,
    rule_caveats,
)
from .emissions import lines_co2
from .errors import MissingExistingConsumptionError
from .facts import PlannedEnergy, PlannedProduct, ProjectFacts
from .note import Note
from .products import ProductCheck, check_product
from .rules import Clause, decide_tier, screen_two_high

__all__ = [
    "Assessment",
    "Clause",
    "Note",
    "PlannedEnergy",
    "PlannedProduct",
    "ProductCheck",
    "ProjectFacts",
    "assess",
]
# PlannedEnergy, PlannedProduct and ProjectFacts live in .facts, Clause in .rules,
# ProductCheck in .products, Note in .note; they are named here because they make this
# function's interface.


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Assessment(_Frozen):
    """The computed and explained assessment of a project (JSON-able, frozen).

    Attributes
    ----------
    industry : str
        GB/T 4754-2017 class code, as given.
    construction_type : {"new", "expansion", "reconstruction"}
        As given.
    year : int [year]
        First full year, as given.
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
    two_high_sector_name_zh : str or None
        The sub-sector's Chinese name.
    two_high_clause : Clause
        The rule that decided ``two_high``.
    min_expert_opinions : int [opinion]
        Expert opinions the review needs (more for a two-high project).
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
    assessed_equal_tce : float [tce]
        The same at equal value (等价值): ``counted_equal_tce`` less both deductions at
        equal value, for a target set on that basis.
    co2 : tuple of CarbonResult
        Planned CO2 by line, with the factors used.
    co2_t : float [tCO2]
        Planned CO2 after completion.
    existing_co2_t : float or None [tCO2]
        CO2 before a reconstruction.
    counted_co2_t : float [tCO2]
        The increment of a reconstruction, else ``co2_t``.
    co2_not_counted : tuple of Note
        Lines with no CO2 counted, each with the reason (Chinese and English).
    per_output_value : float or None [tce/万元]
        Planned consumption per 10 000 yuan of output value.
    per_added_value : float or None [tce/万元]
        Planned consumption per 10 000 yuan of added value.
    products : tuple of ProductCheck
        Each product against the quota and benchmark levels.
    notes : tuple of Note
        Every unverified coefficient, factor or threshold used (Chinese and English, with
        the source).

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Articles 8 and 9.
    .. [2] GB/T 2589-2020, clauses 4 and 6; 发改环资〔2022〕803号; 发改运行〔2022〕1258号.
    """

    industry: str
    construction_type: ConstructionType
    year: int
    review_tier: ReviewTier
    tier_clause: Clause
    tier_basis: TierBasis
    tier_tce: float
    reviewing_level: str
    two_high: bool
    two_high_sector: str | None
    two_high_sector_name_zh: str | None
    two_high_clause: Clause
    min_expert_opinions: int
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
    assessed_equal_tce: float
    co2: tuple[CarbonResult, ...] = ()
    co2_t: float
    existing_co2_t: float | None = None
    counted_co2_t: float
    co2_not_counted: tuple[Note, ...] = ()
    per_output_value: float | None = None
    per_added_value: float | None = None
    products: tuple[ProductCheck, ...] = ()
    notes: tuple[Note, ...] = ()


def _kwh(result: ComprehensiveResult) -> float:
    """Electricity consumed [kWh]: input and renewable lines, not netted against exports."""
    return sum(
        convert(line.standard_coal.quantity_canonical, line.standard_coal.canonical_unit, "kWh")
        for line in result.lines
        if line.standard_coal.energy == "electricity" and line.flow.role != "export"
    )


def assess(facts: ProjectFacts, *, catalog: Catalog | None = None) -> Assessment:
    """Assess a planned project: consumption, tier, two-high screening, CO2, products.

    Every figure comes from the accounting core: comprehensive consumption on both bases
    (:func:`nenghao.accounting.comprehensive_consumption`), the carbon functions and the
    quota levels. For a reconstruction the increment (planned - existing) is what counts.

    Parameters
    ----------
    facts : ProjectFacts
        The project's declared annual energy use after completion (and before, for a
        reconstruction), products and values.
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    Assessment
        Tier and two-high verdict with their clauses; consumption [tce] on both bases with the
        deductions apart; CO2 [tCO2]; consumption per output and added value [tce/万元];
        each product against its quota and benchmark levels [kgce/t]; unverified values.

    Raises
    ------
    MissingExistingConsumptionError
        A reconstruction without ``existing`` lines.
    UnknownEnergyKindError, UnknownUnitError, DimensionMismatchError
        An energy line the catalogue cannot convert.
    UnknownKeyError
        A product code the quota catalogue does not know.
    InvalidQuantityError
        A zero output or added value.
    NoFactorError
        No grid factor or equal value for the year.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Article 8 (tiers; the
       increment of a reconstruction; electricity at equivalent value) and Article 9 (no
       separate report).
    .. [2] GB/T 2589-2020, clauses 4 and 6 (comprehensive consumption); 3.2 and 3.3 (当量值,
       等价值).
    .. [3] 发改环资〔2022〕803号 (raw-material energy) and 发改运行〔2022〕1258号 (renewable
       electricity above the 2020 base): deductions shown apart.
    """
    units = catalog or get_catalog()
    if facts.construction_type == "reconstruction" and not facts.existing:
        raise MissingExistingConsumptionError(
            "a reconstruction (改建) needs the existing plant's annual energy lines "
            "(existing): the increment is what counts"
        )
    planned = [line.flow() for line in facts.energy]
    before = [line.flow() for line in facts.existing]
    year = facts.year

    def both(flows: list[EnergyFlow]) -> tuple[ComprehensiveResult, ComprehensiveResult]:
        return (
            comprehensive_consumption(flows, year=year, catalog=units),
            comprehensive_consumption(flows, basis="equal", year=year, catalog=units),
        )

    equivalent, equal = both(planned)
    existing_equivalent, existing_equal = both(before) if before else (None, None)
    # Measures Article 8: a reconstruction counts the increment, other projects the total
    increment = facts.construction_type == "reconstruction"
    if increment and existing_equivalent and existing_equal:
        minus, minus_equal = existing_equivalent, existing_equal
    else:
        minus, minus_equal = both([])  # nothing subtracted
    counted = equivalent.gross_tce - minus.gross_tce
    raw = equivalent.raw_material_tce - minus.raw_material_tce
    renewable = equivalent.renewable_above_base_tce - minus.renewable_above_base_tce
    assessed = counted - raw - renewable  # 803号 and 1258号: the dual-control total
    counted_equal = equal.gross_tce - minus_equal.gross_tce
    assessed_equal = (
        counted_equal
        - (equal.raw_material_tce - minus_equal.raw_material_tce)
        - (equal.renewable_above_base_tce - minus_equal.renewable_above_base_tce)
    )
    kwh = _kwh(equivalent) - _kwh(minus)
    rules = units.review
    tier_tce = counted if rules.tier_basis.basis == "gross" else assessed
    tier = decide_tier(
        tier_tce=tier_tce,
        electricity_kwh=kwh,
        construction=facts.construction_type,
        industry=facts.industry,
        simple_process=facts.simple_process,
        division=facts.division,
        catalog=units,
    )
    screening = screen_two_high(counted_tce=counted, industry=facts.industry, catalog=units)
    co2 = lines_co2(equivalent.lines, year, units)
    existing_co2 = (
        lines_co2(existing_equivalent.lines, year, units) if existing_equivalent else None
    )
    subtracted = existing_co2.tco2 if existing_co2 and increment else 0.0
    earlier = tuple(
        Note.plain(f"改建前：{why.text_zh}", f"existing: {why.text_en}")
        for why in (existing_co2.not_counted if existing_co2 else ())
    )
    products = tuple(
        check_product(
            product=p.product,
            name=p.name,
            capacity=p.capacity,
            unit=p.unit,
            planned_unit_consumption=p.planned_unit_consumption,
            year=year,
            catalog=units,
        )
        for p in facts.products
    )
    experts = (
        rules.min_expert_opinions_two_high if screening.two_high else rules.min_expert_opinions
    )
    per_output = per_added = None
    if facts.output_value is not None:
        per_output = consumption_per_output_value(equivalent.gross_tce, facts.output_value).value
    if facts.added_value is not None:
        per_added = consumption_per_added_value(equivalent.gross_tce, facts.added_value).value
    return Assessment(
        industry=facts.industry,
        construction_type=facts.construction_type,
        year=year,
        review_tier=tier.tier,
        tier_clause=tier.clause,
        tier_basis=rules.tier_basis.basis,
        tier_tce=tier_tce,
        reviewing_level=tier.reviewing_level,
        two_high=screening.two_high,
        two_high_sector=screening.sector.code if screening.sector else None,
        two_high_sector_name_zh=screening.sector.name_zh if screening.sector else None,
        two_high_clause=screening.clause,
        min_expert_opinions=int(experts.value),
        equivalent=equivalent,
        equal=equal,
        existing_equivalent=existing_equivalent,
        existing_equal=existing_equal,
        counted_tce=counted,
        counted_equal_tce=counted_equal,
        counted_electricity_kwh=kwh,
        raw_material_tce=raw,
        renewable_tce=renewable,
        assessed_tce=assessed,
        assessed_equal_tce=assessed_equal,
        co2=co2.results,
        co2_t=co2.tco2,
        existing_co2_t=existing_co2.tco2 if existing_co2 else None,
        counted_co2_t=co2.tco2 - subtracted,
        co2_not_counted=co2.not_counted + earlier,
        per_output_value=per_output,
        per_added_value=per_added,
        products=products,
        notes=notes(
            existing_caveats(facts.construction_type, bool(facts.existing)),
            rule_caveats(units, screening),
            coal_caveats((equivalent, equal, existing_equivalent, existing_equal), units),
            carbon_caveats(co2.results + (existing_co2.results if existing_co2 else ()), units),
            product_caveats(products, units),
        ),
    )
