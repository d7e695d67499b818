"""The equal value (等价值) of electricity by year: read by regulators, set by an admin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, RemoteDep
from nenghao.api.models.equal_values import EqualValueIn, EqualValues, EqualValueYear
from nenghao.api.params import YEAR_MAX, YEAR_MIN
from nenghao.api.routing import JsonRoute
from nenghao.store import equal_values

router = APIRouter(prefix="/catalog/equal-values", tags=["catalog"], route_class=JsonRoute)
Reader = Annotated[Principal, require("equal_values:read")]
Writer = Annotated[Principal, require("equal_values:write")]
PathYear = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX)]


@router.get("", response_model=EqualValues, summary="Equal value of electricity by year")
def list_equal_values(principal: Reader, engine: EngineDep) -> Any:
    """Each year's value in force (administrator > published > fallback) with its source."""
    with engine.connect() as conn:
        return equal_values.years(conn)


@router.put(
    "/{year}",
    response_model=EqualValueYear,
    summary="Set a year's equal value of electricity",
    responses={
        200: {"description": "replaced"},
        201: {"description": "created", "model": EqualValueYear},
        422: {"description": "equal_value_out_of_range, or no source"},
    },
)
def put_equal_value(
    year: PathYear, body: EqualValueIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Set (201) or replace (200) ``year``'s value [kgce/kWh] with its source; audited."""
    with engine.begin() as conn:
        _, created = equal_values.put(
            conn, year, body.value, body.source, actor=principal.username, remote=remote
        )
        row = next(r for r in equal_values.years(conn)["years"] if r["year"] == year)
    answer = EqualValueYear.model_validate(row).model_dump(mode="json")
    return JSONResponse(answer, status_code=201 if created else 200)
