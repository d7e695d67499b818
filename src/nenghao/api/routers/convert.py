"""``GET /api/v1/convert``: a quantity of an energy kind to standard coal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nenghao.accounting.heating_value import HEATING_VALUE_PATTERN
from nenghao.analytics import conversion
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep
from nenghao.api.fields import rule
from nenghao.api.models.catalog import ConversionOut
from nenghao.standards.vocabulary import Basis
from nenghao.store import equal_values

router = APIRouter(tags=["catalog"])


@router.get(
    "/convert", response_model=ConversionOut, summary="Convert to standard coal (kgce, tce)"
)
def convert(
    principal: Annotated[Principal, require("catalog:read")],
    engine: EngineDep,
    value: Annotated[float, Query(allow_inf_nan=False, description="the quantity")],
    unit: Annotated[str, Query(min_length=1, max_length=32, examples=["t"])],
    energy: Annotated[
        str, Query(min_length=1, max_length=64, description="code or name", examples=["coke"])
    ],
    basis: Basis = "equivalent",
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    heating_value: Annotated[
        str | None,
        Query(
            max_length=40,
            description='measured, e.g. "5000 kcal/kg"',
            json_schema_extra=rule(pattern=HEATING_VALUE_PATTERN),
        ),
    ] = None,
) -> Any:
    """kgce and tce with the coefficient, its unit, source, status and method.

    At equal value, electricity uses the administrator's value for the year, else the
    packaged value, else the documented fallback; ``method`` says which.
    """
    catalog = None
    if basis == "equal":
        with engine.connect() as conn:
            catalog = equal_values.catalog(conn)
    return conversion.convert(
        value, unit, energy, basis=basis, year=year, heating_value=heating_value, catalog=catalog
    )
