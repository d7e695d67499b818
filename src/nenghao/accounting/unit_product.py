"""Unit-product comprehensive energy consumption and its quota level.

Quota clauses: GB 21256-2025, 4.1 to 4.5 (Tables 1 to 5: sintering, pelletizing, blast
furnace, converter, electric-arc furnace, with their corrections); GB 21342-2025, clause 4
(limits) and 5.3 (corrections), Tables 1 and 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nenghao.standards import Catalog, Level, QuotaCorrection, QuotaEdition, Status, get_catalog

from .errors import (
    CorrectionError,
    InvalidQuantityError,
    NoQuotaInForceError,
    QuotaValuesNotLoadedError,
)
from .units import convert, require_finite

__all__ = [
    "AppliedCorrection",
    "QuotaAssessment",
    "UnitProductConsumption",
    "process_consumption_tce",
    "quota_level",
    "unit_product_consumption",
]

#: Tolerance when comparing a value with a threshold [kgce/t].
_TOLERANCE = 1e-9


class UnitProductConsumption(BaseModel):
    """Unit-product comprehensive energy consumption [kgce/t].

    Attributes
    ----------
    value : float [kgce/t]
        Consumption per tonne of qualified output.
    unit : str
        ``"kgce/t"``.
    consumption_kgce : float [kgce]
        Comprehensive energy consumption of the product's boundary.
    output_t : float [t]
        Qualified output.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (definition of 单位产品综合能耗) and clause 5 (边界划分,
       boundary division).
    """

    model_config = ConfigDict(frozen=True)

    value: float
    unit: str = "kgce/t"
    consumption_kgce: float
    output_t: float


def unit_product_consumption(
    consumption: float,
    output: float,
    *,
    consumption_unit: str = "kgce",
    output_unit: str = "t",
    catalog: Catalog | None = None,
) -> UnitProductConsumption:
    """Comprehensive energy consumption of a product's boundary per tonne of qualified output.

    Parameters
    ----------
    consumption : float [consumption_unit]
        Comprehensive energy consumption of the product's boundary in the period; may be
        negative (a converter whose recovered gas and steam exceed its consumption).
    output : float [output_unit]
        Qualified output of the product in the same period; must be > 0.
    consumption_unit : str
        A coal-equivalent unit: ``"kgce"`` (default), ``"tce"``, ``"万tce"``.
    output_unit : str
        A mass unit: ``"t"`` (default), ``"kg"``, ``"万t"``.
    catalog : Catalog, optional
        Units source; the packaged catalogue by default.

    Returns
    -------
    UnitProductConsumption
        ``value`` [kgce/t] with the consumption [kgce] and output [t] it came from.

    Raises
    ------
    InvalidQuantityError
        Non-finite numbers, or output <= 0.
    DimensionMismatchError
        A consumption unit that is not coal equivalent, or an output unit that is not mass.

    References
    ----------
    .. [1] GB/T 2589-2020 综合能耗计算通则, 3.5-3.8 (definition of 单位产品综合能耗):
       comprehensive energy consumption of the product's boundary / qualified output.
    .. [2] GB/T 2589-2020, clause 5 (边界划分, boundary division): what belongs to the
       product's boundary.
    """
    kgce = convert(consumption, consumption_unit, "kgce", catalog=catalog)
    tonnes = convert(require_finite(output, "output"), output_unit, "t", catalog=catalog)
    if tonnes <= 0:
        raise InvalidQuantityError(
            f"qualified output must be > 0 t to compute a unit consumption, got {tonnes:g} t"
        )
    return UnitProductConsumption(
        value=kgce / tonnes,  # GB/T 2589-2020, 3.5-3.8 (单位产品综合能耗): consumption / output
        consumption_kgce=kgce,
        output_t=tonnes,
    )


def process_consumption_tce(gross_tce: float, feedstock_tce: float) -> float:
    """The consumption of a product's boundary that a unit-product quota judges [tce].

    The boundary's comprehensive consumption (inputs + media - energy sent out) less the
    energy charged into the product as its feedstock (原料): the coal charged into coke ovens
    becomes the coke and is not process energy. Counting it would give a coke plant about
    1 300 kgce/t (1.32 t of washed coal x 900 kgce/t + the process energy) against limits of
    110 to 140 kgce/t, which measure the process energy (heating gas, power, steam).

    Parameters
    ----------
    gross_tce : float [tce]
        Comprehensive consumption of the boundary, feedstock lines included (as
        `comprehensive_consumption` counts them in ``gross_tce``).
    feedstock_tce : float [tce]
        Standard coal of the boundary's feedstock lines (role ``raw_material``), >= 0.

    Returns
    -------
    float [tce]
        ``gross_tce - feedstock_tce``.

    Raises
    ------
    InvalidQuantityError
        Non-finite numbers, or a negative feedstock.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 5 (边界划分): the product's boundary.
    .. [2] GB 21342-2025, 6.1.1 (统计范围, statistics scope): the process energy of coking; the
       coal charged is counted as a material, apart (nenghao's reading, unverified against the
       text).
    """
    gross = require_finite(gross_tce, "boundary consumption")
    feedstock = require_finite(feedstock_tce, "feedstock")
    if feedstock < 0:
        raise InvalidQuantityError(f"feedstock must be >= 0 tce, got {feedstock:g} tce")
    return gross - feedstock  # feedstock charged into the product is not process energy


class AppliedCorrection(BaseModel):
    """A correction that was applied, with its effect on each level.

    Attributes
    ----------
    parameter : str
        Correction parameter name (``"feed_grade_pct"``).
    name : str
        Its name in the standard.
    kind : {"per_point", "fixed", "factor"}
        How it acts on the thresholds.
    input_value : float [parameter unit]
        The value given for the parameter (%, year, or 1.0 for a flag).
    points : float or None [percentage point]
        Points counted by a ``per_point`` correction.
    effect : dict of str to float [kgce/t, or unitless for a factor]
        Added amount, or factor, per level.
    source : str
        Clause of the quota standard.
    status : {"confirmed", "unverified"}
        Whether it was checked against the standard.

    References
    ----------
    .. [1] GB 21256-2025, 4.1 to 4.5 (corrections beside Tables 1 to 5; blast furnace
       4.3.2 to 4.3.5).
    .. [2] GB 21342-2025, 5.3 (corrections).
    """

    model_config = ConfigDict(frozen=True)

    parameter: str
    name: str
    kind: str
    input_value: float
    points: float | None
    effect: dict[Level, float]
    source: str
    status: Status


class QuotaAssessment(BaseModel):
    """Where a unit consumption stands against the quota edition in force.

    Attributes
    ----------
    product : str
        Quota product code.
    value : float [kgce/t]
        The unit-product consumption assessed.
    unit : str
        ``"kgce/t"``.
    on : date
        The date that selected the edition.
    level : {"L1", "L2", "L3", "above_limit"}
        Best level whose corrected threshold ``value`` does not exceed.
    meets_limit : bool
        ``value`` is within Level 3, the mandatory limit.
    edition : str
        The quota standard and edition applied.
    title : str
        Its title.
    local : bool
        A locally configured quota rather than a national standard.
    base_thresholds : dict of str to float [kgce/t]
        Level thresholds as tabulated.
    thresholds : dict of str to float [kgce/t]
        Level thresholds after corrections.
    corrections : tuple of AppliedCorrection
        Corrections applied.
    source : str
        Clause of the quota standard.
    status : {"confirmed", "unverified"}
        ``"unverified"`` if the edition or any correction is.
    note : str or None
        Caveat attached to the edition.

    References
    ----------
    .. [1] GB 21256-2025, 4.1 to 4.5, Tables 1 to 5 (steel processes, from 2026-07-01).
    .. [2] GB 21342-2025, clause 4 and 5.3, Tables 1 and 2 (coke, from 2026-05-01).
    .. [3] GB 21256-2013 (until 2026-06-30; values without clause numbers).
    """

    model_config = ConfigDict(frozen=True)

    product: str
    value: float
    unit: str = "kgce/t"
    on: date
    level: Literal["L1", "L2", "L3", "above_limit"]
    meets_limit: bool
    edition: str
    title: str
    local: bool
    base_thresholds: dict[Level, float]
    thresholds: dict[Level, float]
    corrections: tuple[AppliedCorrection, ...]
    source: str
    status: Status
    note: str | None = None


def _corrected(
    edition: QuotaEdition, inputs: Mapping[str, float]
) -> tuple[dict[Level, float], list[AppliedCorrection]]:
    additive: dict[Level, float] = dict.fromkeys(edition.levels, 0.0)
    factors: dict[Level, float] = dict.fromkeys(edition.levels, 1.0)
    applied: list[AppliedCorrection] = []
    for correction in edition.corrections:
        if correction.parameter not in inputs:
            continue
        x = inputs[correction.parameter]
        effect, points = _effect(correction, x)
        for level in correction.levels:
            if correction.kind == "factor":
                factors[level] *= effect
            else:
                additive[level] += effect
        applied.append(
            AppliedCorrection(
                parameter=correction.parameter,
                name=correction.name,
                kind=correction.kind,
                input_value=x,
                points=points,
                effect=dict.fromkeys(correction.levels, effect),
                source=correction.source,
                status=correction.status,
            )
        )
    # GB 21256-2025, 4.1 to 4.5; GB 21342-2025, 5.3: corrections move the limit values, the
    # additive ones first, then the factors (EAF stainless steel x 1.10, 4.5)
    thresholds = {
        level: (base + additive[level]) * factors[level] for level, base in edition.levels.items()
    }
    return thresholds, applied


def _effect(correction: QuotaCorrection, x: float) -> tuple[float, float | None]:
    """(additive amount or factor, points) of one correction for parameter value ``x``."""
    if correction.kind == "per_point":
        points = correction.points(x)
        return correction.amount * points, points
    if correction.kind == "factor":
        return (correction.amount if correction.applies(x) else 1.0), None
    return (correction.amount if correction.applies(x) else 0.0), None


def quota_level(
    product_code: str,
    value_kgce_per_t: float,
    on: date,
    corrections: Mapping[str, float] | None = None,
    catalog: Catalog | None = None,
) -> QuotaAssessment:
    """Classify a unit-product consumption against the quota edition in force on a date.

    Corrections adjust the thresholds, never the value: ``per_point`` and ``fixed``
    corrections are added to each level they name, then ``factor`` corrections multiply.
    The level is the best (lowest) one whose corrected threshold the value does not exceed;
    above Level 3 (the mandatory limit) it is ``"above_limit"``.

    Parameters
    ----------
    product_code : str
        Quota product code (``"sinter"``, ``"hot_metal"``, ``"converter_steel"``,
        ``"eaf_steel_ge70"``, ``"coke_top_charged"``, ``"fused_magnesia"`` ...).
    value_kgce_per_t : float [kgce/t]
        Unit-product comprehensive energy consumption; may be negative.
    on : date
        The date that selects the edition in force (e.g. the period's last day).
    corrections : mapping of str to float, optional [unit of each parameter]
        Correction parameters by name, e.g. ``{"feed_grade_pct": 58.0}`` [%],
        ``{"scrap_ratio_pct": 15.0}`` [%], ``{"oven_age_years": 18.0}`` [year],
        flags as 1.0 (``{"wet_quenching": 1.0}``).
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    QuotaAssessment
        Level, edition, base and corrected thresholds [kgce/t], corrections applied.

    Raises
    ------
    NoQuotaInForceError
        The product is known but no edition covers ``on`` (e.g. a local quota before its
        start).  This is an exception, not a result, so that a missing limit is never
        mistaken for compliance.
    QuotaValuesNotLoadedError
        An edition is in force on ``on`` but its values are not entered (e.g. GB 21342-2013
        for coke before 2026-05-01, GB 32050-2015 for EAF before 2026-07-01); its message
        is ``"<standard> 在效，限额值未录入"``.
    UnknownKeyError
        Unknown product code.
    CorrectionError
        A correction parameter the edition does not define.
    InvalidQuantityError
        A non-finite value or parameter.

    References
    ----------
    .. [1] GB 21256-2025 粗钢生产主要工序单位产品能源消耗限额, 4.1 sintering (Table 1),
       4.2 pelletizing (Table 2), 4.3 blast furnace (corrections 4.3.2 to 4.3.5), 4.4
       converter (Table 4), 4.5 electric-arc furnace (Table 5); in force from 2026-07-01.
    .. [2] GB 21256-2013, in force until 2026-06-30 (values as published; clause numbers
       not transcribed; pelletizing values not entered); GB 32050-2015 (EAF) and
       GB 21342-2013 (coke), in force until 2026-06-30 and 2026-04-30, values not entered.
    .. [3] GB 21342-2025 焦炭单位产品能源消耗限额, clause 4 (limits) and 5.3 (corrections),
       Tables 1 and 2; in force from 2026-05-01.
    .. [4] Locally configured quotas (local_quotas.toml), each with its own source.
    """
    units = catalog or get_catalog()
    value = require_finite(value_kgce_per_t, "unit consumption")
    edition = units.quota_for(product_code, on)
    if edition is None:
        editions = ", ".join(
            f"{e.standard} ({e.valid_from or '...'} to {e.valid_to or '...'})"
            for e in units.quota_standards[product_code]
        )
        raise NoQuotaInForceError(
            f"no quota edition for {product_code!r} is in force on {on.isoformat()}; "
            f"editions known: {editions}"
        )
    if not edition.values_loaded:
        raise QuotaValuesNotLoadedError(edition.standard)
    inputs = {
        name: require_finite(x, f"correction {name}") for name, x in (corrections or {}).items()
    }
    known = {c.parameter for c in edition.corrections}
    unknown = sorted(set(inputs) - known)
    if unknown:
        raise CorrectionError(
            f"{edition.standard} {product_code} has no correction {unknown}; "
            f"its corrections are {sorted(known) or 'none'}"
        )
    thresholds, applied = _corrected(edition, inputs)
    # the best level whose threshold is not exceeded; beyond Level 3, the mandatory limit
    level: Literal["L1", "L2", "L3", "above_limit"] = "above_limit"
    for candidate in ("L1", "L2", "L3"):
        if candidate in thresholds and value <= thresholds[candidate] + _TOLERANCE:
            level = candidate
            break
    statuses = [edition.status, *(c.status for c in applied)]
    return QuotaAssessment(
        product=product_code,
        value=value,
        on=on,
        level=level,
        meets_limit=level != "above_limit",
        edition=edition.standard,
        title=edition.title,
        local=edition.local,
        base_thresholds=dict(edition.levels),
        thresholds=thresholds,
        corrections=tuple(applied),
        source=edition.source,
        status="unverified" if "unverified" in statuses else "confirmed",
        note=edition.note,
    )
