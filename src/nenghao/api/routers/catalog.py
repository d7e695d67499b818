"""Reference catalogues: every value with its unit, source and status (authenticated)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from nenghao.api.access import Principal, require
from nenghao.api.models.catalog import (
    Divisions,
    EmissionFactors,
    EnergyKinds,
    Industries,
    Quotas,
    Reasons,
)
from nenghao.standards import views as catalog_views
from nenghao.standards.reason_codes import REASONS

router = APIRouter(prefix="/catalog", tags=["catalog"])
Reader = Annotated[Principal, require("catalog:read")]


def _section(section: str) -> dict[str, Any]:
    from nenghao.standards import get_catalog

    found = catalog_views.items(section, get_catalog())
    return {"section": section, "count": len(found), "items": found}


@router.get(
    "/energy-kinds", response_model=EnergyKinds, summary="Energy kinds and GB/T 2589 coefficients"
)
def energy_kinds(principal: Reader) -> Any:
    """Energy kinds with coefficient, heating value, unit, source and status."""
    return _section("energy-kinds")


@router.get("/quotas", response_model=Quotas, summary="Unit-product energy quota editions")
def quotas(principal: Reader) -> Any:
    """Quota editions with their levels, unit, source and status, and the NDRC benchmark and
    baseline levels of the products that have them."""
    from nenghao.standards import get_catalog

    levels = [level.model_dump() for level in get_catalog().benchmark_levels.values()]
    return _section("quotas") | {"benchmarks": levels}


@router.get("/emission-factors", response_model=EmissionFactors, summary="Emission factors")
def emission_factors(principal: Reader) -> Any:
    """Grid, heat, fuel-carbon and process factors with unit, source and status."""
    return _section("emission-factors")


@router.get("/divisions", response_model=Divisions, summary="Administrative divisions (GB/T 2260)")
def divisions(principal: Reader) -> Any:
    """Divisions with source and status."""
    return _section("divisions")


@router.get("/industries", response_model=Industries, summary="Industry classes (GB/T 4754-2017)")
def industries(principal: Reader) -> Any:
    """Industries with cluster, two-high sector (code and names), source and status."""
    from nenghao.standards import get_catalog

    answer = _section("industries")
    sectors = {sector.code: sector for sector in get_catalog().two_high_sectors}
    for item in answer["items"]:
        sector = sectors.get(item.get("two_high") or "")
        item["two_high_name_zh"] = sector.name_zh if sector else None
        item["two_high_name_en"] = sector.name_en if sector else None
    return answer


@router.get("/reasons", response_model=Reasons, summary="Reason codes of the uplink protocol")
def reasons(principal: Reader) -> Any:
    """Every reason code with what it rejects and its Chinese and English names."""
    items = [
        {"code": code.value, "rejects": reason.rejects.value, "zh": reason.zh, "en": reason.en}
        for code, reason in REASONS.items()
    ]
    return {"section": "reasons", "count": len(items), "items": items}
