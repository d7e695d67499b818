"""Device status: the city's (or district's) enterprises online or offline, the district grid,
one enterprise's records per day and per device credential."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep
from nenghao.api.errors import ApiError
from nenghao.api.routers.enterprises import EnterpriseId, not_found
from nenghao.api.routers.faults import FaultOut
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, PageOut
from nenghao.monitor import device_status, device_traffic
from nenghao.store import common, enterprises

router = APIRouter(tags=["device status"], route_class=JsonRoute)
Reader = Annotated[Principal, require("status:read")]
State = Literal["online", "offline", "offline_long", "never"]
Division = Annotated[
    str | None, Query(pattern=r"^[0-9]{6}$", description="GB/T 2260 division code")
]
Days = Annotated[int, Query(ge=1, le=366, description="CST days up to today")]


class DayOut(Model):
    day: date
    received: int
    expected: int
    completeness: float | None
    online: bool | None
    partial: bool


class EnterpriseStatusOut(Model):
    enterprise_id: int
    enterprise_name: str
    division_code: str
    division_name: str
    state: State
    last_seen_at: Instant
    silent_workdays: int | None
    today: DayOut
    online_days: int
    counted_days: int
    online_rate: float | None
    open_fault: FaultOut | None


class DistrictOut(Model):
    division_code: str
    division_name: str
    enterprises: int
    online: int
    offline: int
    offline_long: int
    never: int
    open_faults: int
    online_days: int
    counted_days: int
    online_rate: float | None


class DistrictGrid(Model):
    as_of: Instant
    districts: list[DistrictOut]


class CredentialDayOut(Model):
    day: date
    messages: int
    records: int


class MeterBeatOut(Model):
    meter: str
    item: str
    last_read_at: Instant = Field(description="the gateway's last successful read, or null")


class HeartbeatOut(Model):
    """A key's latest gateway heartbeat (docs/uplink-protocol.md, section 12)."""

    received_at: Instant
    sent_at: Instant = Field(description="the gateway's clock when it sent the heartbeat")
    channel: str
    gateway_version: str
    interval_s: int = Field(description="the gateway's heartbeat interval [s]")
    queue_depth: int = Field(description="readings waiting in the gateway's queue")
    rejected_count: int = Field(description="records the platform refused, kept by the gateway")
    clock_skew_s: int = Field(description="received_at − sent_at [s]: platform − gateway")
    reported_skew_s: float | None = Field(description="the skew as the gateway measured it [s]")
    skew_beyond_tolerance: bool = Field(description="|clock_skew_s| > 300 s: uploads refused")
    stale: bool = Field(description="more than 3 intervals without a heartbeat")
    meters: list[MeterBeatOut]


class CredentialOut(Model):
    key_id: str
    label: str | None
    active: bool
    last_seen_at: Instant
    heartbeat: HeartbeatOut | None
    days: list[CredentialDayOut]


class EnterpriseDetail(Model):
    as_of: Instant
    status: EnterpriseStatusOut
    days: list[DayOut]
    credentials: list[CredentialOut]


@router.get(
    "/status/enterprises",
    response_model=PageOut[EnterpriseStatusOut],
    summary="Device status of the enterprises in scope",
)
def list_status(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    state: State | None = None,
    division: Division = None,
) -> Any:
    """State, last contact, today's completeness so far and the 30-day online rate of each
    active enterprise, offline for more than 3 working days first."""
    with engine.connect() as conn:
        rows = device_status.city(conn, principal.scope, common.now(), division=division)
    if state is not None:
        rows = [row for row in rows if row["state"] == state]
    start = paging.offset
    return {
        "items": rows[start : start + paging.page_size],
        "total": len(rows),
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.get("/status/districts", response_model=DistrictGrid, summary="Device status per district")
def district_grid(principal: Reader, engine: EngineDep) -> Any:
    """Per division in scope: enterprises online, offline, offline long and never seen, and
    the pooled 30-day online rate."""
    at = common.now()
    with engine.connect() as conn:
        rows = device_status.city(conn, principal.scope, at)
    return {"as_of": at, "districts": device_status.districts(rows)}


@router.get(
    "/enterprises/{enterprise_id}/status",
    response_model=EnterpriseDetail,
    summary="One enterprise's device status per day and per credential",
)
def enterprise_status(
    enterprise_id: EnterpriseId, principal: Reader, engine: EngineDep, days: Days = 30
) -> Any:
    """Records received against expected per CST day (today so far), and per device
    credential its last message and messages and records per day."""
    at = common.now()
    with engine.connect() as conn:
        if enterprises.get(conn, principal.scope, enterprise_id) is None:
            raise not_found(enterprise_id)
        rows = device_status.city(conn, principal.scope, at, enterprise_ids=[enterprise_id])
        if not rows:
            raise ApiError(404, "enterprise_inactive", f"enterprise {enterprise_id} is not active")
        series = device_traffic.day_series(conn, principal.scope, enterprise_id, at, days)
        keys = device_traffic.credentials(conn, enterprise_id, at, days)
    return {"as_of": at, "status": rows[0], "days": series, "credentials": keys}
