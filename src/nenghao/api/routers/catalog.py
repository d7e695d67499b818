"""Reference catalogues: every value with its unit, source and status (authenticated)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from nenghao.api.access import Principal, require
from nenghao.standards import views as catalog_views

router = APIRouter(prefix="/catalog", tags=["catalog"])
Reader = Annotated[Principal, require("catalog:read")]


def _section(section: str) -> dict[str, Any]:
    from nenghao.standards import get_catalog

    found = catalog_views.items(section, get_catalog())
    return {"section": section, "count": len(found), "items": found}


@router.get("/energy-kinds", summary="Energy kinds and GB/T 2589 coefficients")
def energy_kinds(principal: Reader) -> dict[str, Any]:
    """Energy kinds with coefficient, heating value, unit, source and status."""
    return _section("energy-kinds")


@router.get("/quotas", summary="Unit-product energy quota editions")
def quotas(principal: Reader) -> dict[str, Any]:
    """Quota editions with their levels, unit, source and status."""
    return _section("quotas")


@router.get("/emission-factors", summary="Emission factors")
def emission_factors(principal: Reader) -> dict[str, Any]:
    """Grid, heat, fuel-carbon and process factors with unit, source and status."""
    return _section("emission-factors")


@router.get("/divisions", summary="Administrative divisions (GB/T 2260)")
def divisions(principal: Reader) -> dict[str, Any]:
    """Divisions with source and status."""
    return _section("divisions")


@router.get("/industries", summary="Industry classes (GB/T 4754-2017)")
def industries(principal: Reader) -> dict[str, Any]:
    """Industries with cluster, two-high sector, source and status."""
    return _section("industries")
