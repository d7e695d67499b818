"""Statistics: consumption, CO2, comparisons, rankings, mix, intensity, quotas, key units.

Every route is scoped through the caller's Scope: regulators, admins and auditors see the
city, a district user its division, an enterprise user itself.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from nenghao.analytics import comparison, statistics
from nenghao.analytics import key_units as key_unit_status
from nenghao.analytics.errors import SubjectNotFoundError
from nenghao.analytics.items import Filters
from nenghao.analytics.periods import PERIOD_PATTERN, Period
from nenghao.analytics.quota_compliance import quota_compliance as compliance_rows
from nenghao.analytics.unit_products import unit_products as unit_product_rows
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep
from nenghao.api.fields import PeriodText
from nenghao.api.models.compliance import QuotaCompliance
from nenghao.api.models.products import KeyUnits, UnitProducts
from nenghao.api.models.statistics import (
    Compare,
    Consumption,
    IntensityAnswer,
    Mix,
    Overview,
    Ranking,
    Series,
)
from nenghao.api.params import Id, IdFilter, Year
from nenghao.standards import get_catalog
from nenghao.store import enterprises

router = APIRouter(prefix="/stats", tags=["statistics"])
Reader = Annotated[Principal, require("stats:read")]
By = Literal["city", "division", "industry", "enterprise", "energy_kind"]


def period_param(period: PeriodText) -> Period:
    """The ``period`` query parameter, parsed (422 ``invalid_period`` when unreadable)."""
    return Period.parse(period)


def filters_param(
    division: Annotated[str | None, Query(max_length=6, description="GB/T 2260 code")] = None,
    industry: Annotated[str | None, Query(max_length=8, description="GB/T 4754 code")] = None,
    enterprise_id: IdFilter = None,
) -> Filters:
    """Optional narrowing inside the caller's scope."""
    return Filters(division=division, industry=industry, enterprise_id=enterprise_id)


PeriodDep = Annotated[Period, Depends(period_param)]
FiltersDep = Annotated[Filters, Depends(filters_param)]
EnterpriseId = Id


@router.get(
    "/consumption",
    response_model=Consumption,
    summary="Consumption (equivalent and equal value) and CO2",
)
def consumption(
    principal: Reader, engine: EngineDep, period: PeriodDep, filters: FiltersDep, by: By = "city"
) -> Any:
    """Comprehensive consumption and CO2 of each group (city, division, industry, enterprise
    or energy kind) over the period, with the coefficients used."""
    with engine.connect() as conn:
        return statistics.consumption(conn, principal.scope, period, by, filters)


@router.get("/compare", response_model=Compare, summary="Year-on-year and month-on-month")
def compare(
    principal: Reader, engine: EngineDep, period: PeriodDep, filters: FiltersDep, by: By = "city"
) -> Any:
    """Each group against the same days last year and in the period before; a period in
    progress is compared up to its last complete CST day (``compared``), and a rate is null
    with a ``reason`` when the base is 0 or its data coverage is short."""
    with engine.connect() as conn:
        return comparison.compare(conn, principal.scope, period, by, filters)


@router.get("/ranking", response_model=Ranking, summary="Ranking by consumption or CO2")
def ranking(
    principal: Reader,
    engine: EngineDep,
    period: PeriodDep,
    filters: FiltersDep,
    by: By = "enterprise",
    measure: Literal["equivalent_tce", "equal_tce", "tco2"] = "equivalent_tce",
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
    order: Literal["desc", "asc"] = "desc",
) -> Any:
    """Groups ranked by the measure, with their share of the total."""
    with engine.connect() as conn:
        return statistics.ranking(
            conn, principal.scope, period, by, measure, limit, order == "asc", filters
        )


@router.get("/mix", response_model=Mix, summary="Energy mix")
def mix(principal: Reader, engine: EngineDep, period: PeriodDep, filters: FiltersDep) -> Any:
    """Energy used by kind, physical and in tce, with shares."""
    with engine.connect() as conn:
        return statistics.energy_mix(conn, principal.scope, period, filters)


@router.get(
    "/intensity",
    response_model=IntensityAnswer,
    summary="Consumption per 10 000 yuan of output and added value",
)
def intensity(
    principal: Reader, engine: EngineDep, period: PeriodDep, filters: FiltersDep, by: By = "city"
) -> Any:
    """tce per 万元 of output value and of added value, and tCO2 per 万元 of added value."""
    with engine.connect() as conn:
        return statistics.intensity(conn, principal.scope, period, by, filters)


@router.get("/series", response_model=Series, summary="Time series by day, month or year")
def series(
    principal: Reader,
    engine: EngineDep,
    period: PeriodDep,
    filters: FiltersDep,
    grain: Literal["day", "month", "year"] = "month",
    by: By = "city",
) -> Any:
    """Equivalent and equal-value tce and tCO2 per bucket and group."""
    with engine.connect() as conn:
        return statistics.series(conn, principal.scope, period, grain, by, filters)


@router.get(
    "/overview",
    response_model=Overview,
    summary="City overview: monthly totals by division and industry",
)
def overview(
    principal: Reader,
    engine: EngineDep,
    filters: FiltersDep,
    year: Year,
) -> Any:
    """The year's monthly totals by division and by industry."""
    with engine.connect() as conn:
        return statistics.overview(conn, principal.scope, year, filters)


@router.get("/key-units", response_model=KeyUnits, summary="Key energy-using unit status")
def key_units(
    principal: Reader,
    engine: EngineDep,
    filters: FiltersDep,
    year: Year,
) -> Any:
    """Each enterprise's actual annual consumption against its registered key-unit level."""
    with engine.connect() as conn:
        return key_unit_status.key_units(conn, principal.scope, year, filters)


def optional_period(
    period: Annotated[
        str | None,
        Query(
            max_length=40,
            description="as `period` elsewhere; the year to date when absent",
            json_schema_extra={"pattern": PERIOD_PATTERN},
        ),
    ] = None,
) -> Period | None:
    """An optional ``period`` query parameter, parsed."""
    return None if period is None else Period.parse(period)


ProductCode = Annotated[
    str | None,
    Query(
        max_length=40,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="quota product (a code of the quota catalogue)",
        json_schema_extra={"enum": sorted(get_catalog().quota_standards)},
    ),
]


@router.get(
    "/quota-compliance",
    response_model=QuotaCompliance,
    summary="Every enterprise's products against their quotas (超限额)",
)
def quota_compliance(
    principal: Reader,
    engine: EngineDep,
    filters: FiltersDep,
    period: Annotated[Period | None, Depends(optional_period)],
    product: ProductCode = None,
    only_exceeders: bool = False,
) -> Any:
    """Each product's unit consumption with its level, the limit (Level 3 after corrections)
    and the edition in force, for every enterprise in the caller's scope; the year to date by
    default, worst level first."""
    with engine.connect() as conn:
        return compliance_rows(conn, principal.scope, period, filters, product, only_exceeders)


def _enterprise_in_scope(conn: Any, principal: Principal, enterprise_id: int) -> None:
    if enterprises.get(conn, principal.scope, enterprise_id) is None:
        raise SubjectNotFoundError(f"enterprise {enterprise_id} not found")


@router.get(
    "/enterprises/{enterprise_id}/series",
    response_model=Series,
    summary="One enterprise's series",
)
def enterprise_series(
    enterprise_id: EnterpriseId,
    principal: Reader,
    engine: EngineDep,
    period: PeriodDep,
    grain: Literal["day", "month", "year"] = "day",
) -> Any:
    """The enterprise's consumption and CO2 per day (or month, year) over the period."""
    with engine.connect() as conn:
        _enterprise_in_scope(conn, principal, enterprise_id)
        return statistics.series(
            conn,
            principal.scope,
            period,
            grain,
            "enterprise",
            Filters(enterprise_id=enterprise_id),
        )


@router.get(
    "/enterprises/{enterprise_id}/unit-products",
    response_model=UnitProducts,
    response_model_exclude_unset=True,  # a row holds quota or message, unit with output
    summary="Unit-product vs quota",
)
def unit_products(
    enterprise_id: EnterpriseId, principal: Reader, engine: EngineDep, period: PeriodDep
) -> Any:
    """Each product's unit consumption against the quota edition in force on the period's
    last day (or why there is none)."""
    with engine.connect() as conn:
        return unit_product_rows(conn, principal.scope, enterprise_id, period)
