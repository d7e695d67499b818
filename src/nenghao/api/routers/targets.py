"""Dual-control targets: scoped reads; regulator and admin writes (audited); progress."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field

from nenghao.analytics.periods import yesterday_cst
from nenghao.analytics.targets import Thresholds, progress
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep
from nenghao.api.errors import ApiError
from nenghao.api.models.targets import ProgressOut, TargetOut
from nenghao.api.params import BodyYear, Year, YearFilter
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, Strict, page_out
from nenghao.standards.vocabulary import Basis, TargetLevel
from nenghao.store import targets

router = APIRouter(prefix="/targets", tags=["targets"], route_class=JsonRoute)
Reader = Annotated[Principal, require("targets:read")]
Writer = Annotated[Principal, require("targets:write")]
Subject = Annotated[
    str,
    Query(
        min_length=1,
        max_length=16,
        description="city: the city code; division: its GB/T 2260 code; enterprise: its id",
    ),
]


class TargetIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"year": 2025, "level": "city", "subject": "210300", "total_energy_tce": 1.2e7}
            ]
        }
    )

    year: BodyYear
    level: TargetLevel
    subject: str = Field(min_length=1, max_length=16)
    basis: Basis = "equivalent"
    total_energy_tce: float | None = Field(default=None, ge=0, description="assessed total, tce")
    energy_intensity: float | None = Field(default=None, ge=0, description="tce/万元 added value")
    total_co2_t: float | None = Field(default=None, ge=0, description="tCO2")
    carbon_intensity: float | None = Field(default=None, ge=0, description="tCO2/万元")
    renewable_base_kwh: float | None = Field(
        default=None, ge=0, description="renewable electricity of the 2020 base, kWh"
    )
    note: str | None = Field(default=None, max_length=500)


def not_found(year: int, level: str, subject: str) -> ApiError:
    """The same 404 for a missing target and one the caller may not see."""
    return ApiError(404, "target_not_found", f"no {level} target {subject} for {year}")


@router.get("", response_model=PageOut[TargetOut], summary="Targets in scope")
def list_targets(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    year: YearFilter = None,
    level: TargetLevel | None = None,
) -> Any:
    """Targets the caller may read, by year, level and subject."""
    with engine.connect() as conn:
        page = targets.list_targets(
            conn,
            principal.scope,
            year=year,
            level=level,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.put(
    "",
    response_model=TargetOut,
    summary="Set a target (create or replace)",
    responses={
        200: {"description": "replaced"},
        201: {"description": "created", "model": TargetOut},
        404: {"description": "enterprise_not_found: the enterprise subject"},
    },
)
def put_target(
    body: TargetIn, principal: Writer, engine: EngineDep, settings: SettingsDep, remote: RemoteDep
) -> Any:
    """Create (201) or replace (200) the target of ``(year, level, subject)``; audited."""
    values = body.model_dump(exclude={"year", "level", "subject"})
    with engine.begin() as conn:
        row, created = targets.put(
            conn,
            principal.scope,
            body.year,
            body.level,
            body.subject,
            values,
            city=settings.city_division,
            actor=principal.username,
            remote=remote,
        )
    return JSONResponse(row, status_code=201 if created else 200)


@router.delete(
    "",
    response_model=TargetOut,
    summary="Delete a target",
    responses={404: {"description": "target_not_found"}},
)
def delete_target(
    principal: Writer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    year: Year,
    level: TargetLevel,
    subject: Subject,
) -> Any:
    """Delete the target; audited."""
    with engine.begin() as conn:
        row = targets.remove(
            conn,
            principal.scope,
            year,
            level,
            subject,
            city=settings.city_division,
            actor=principal.username,
            remote=remote,
        )
    if row is None:
        raise not_found(year, level, subject)
    return row


@router.get(
    "/progress",
    response_model=ProgressOut,
    summary="Progress, deductions, projection and warning level",
    responses={404: {"description": "target_not_found"}},
)
def target_progress(
    principal: Reader,
    engine: EngineDep,
    settings: SettingsDep,
    year: Year,
    level: TargetLevel,
    subject: Subject,
    as_of: Annotated[
        date | None, Query(description="last CST day counted; default yesterday")
    ] = None,
) -> Any:
    """Year to date, deductions shown separately, year-end projection with its method, and
    green/yellow/red against the target."""
    thresholds = Thresholds(settings.target_warning_yellow, settings.target_warning_red)
    with engine.connect() as conn:
        row = targets.get(conn, principal.scope, year, level, subject)
        if row is None:
            raise not_found(year, level, subject)
        return progress(conn, row, as_of or yesterday_cst(), thresholds)
