"""Device credentials of enterprise gateways (admin, regulator; auditor reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep, UplinkDep
from nenghao.api.errors import ApiError
from nenghao.api.routers.enterprises import EnterpriseId, not_found
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, PageOut, Strict, page_out
from nenghao.ingest.broker_sync import after_key_change
from nenghao.store import devices, enterprises

router = APIRouter(tags=["devices"], route_class=JsonRoute)
Writer = Annotated[Principal, require("devices:write")]
KeyId = Annotated[str, Path(min_length=1, max_length=40)]


class DeviceOut(Model):
    id: int
    enterprise_id: int
    key_id: str
    label: str | None
    active: bool
    created_at: Instant
    rotated_at: Instant
    revoked_at: Instant


class DeviceIssued(DeviceOut):
    secret: str = Field(
        description="Shown once; derived from the master key, only its fingerprint is stored."
    )


class DeviceIn(Strict):
    label: str | None = Field(default=None, max_length=100)


@router.get(
    "/enterprises/{enterprise_id}/devices",
    response_model=PageOut[DeviceOut],
    summary="Device credentials of an enterprise",
)
def list_devices(
    enterprise_id: EnterpriseId,
    principal: Annotated[Principal, require("devices:read")],
    engine: EngineDep,
    paging: PagingDep,
) -> Any:
    """The enterprise's credentials, revoked ones included, oldest first."""
    with engine.connect() as conn:
        if enterprises.get(conn, principal.scope, enterprise_id) is None:
            raise not_found(enterprise_id)
        page = devices.list_devices(
            conn, principal.scope, enterprise_id, offset=paging.offset, limit=paging.page_size
        )
    return page_out(page, paging.page_size)


@router.post(
    "/enterprises/{enterprise_id}/devices",
    response_model=DeviceIssued,
    status_code=201,
    summary="Issue a device credential",
)
def issue_device(
    enterprise_id: EnterpriseId,
    principal: Writer,
    engine: EngineDep,
    uplink: UplinkDep,
    settings: SettingsDep,
    remote: RemoteDep,
    body: DeviceIn | None = None,
) -> Any:
    """A new key id and secret; the secret is in this answer only."""
    label = body.label if body else None
    with engine.begin() as conn:
        issued = devices.issue(
            conn,
            principal.scope,
            enterprise_id,
            master_key=uplink.credentials.master_key(),
            label=label,
            actor=principal.username,
            remote=remote,
        )
    if issued is None:
        raise not_found(enterprise_id)
    row, secret = issued
    after_key_change(uplink.credentials, settings, row["key_id"])
    return {**row, "secret": secret}


@router.post(
    "/devices/{key_id}/rotate",
    response_model=DeviceIssued,
    summary="Rotate a device credential's secret",
)
def rotate_device(
    key_id: KeyId,
    principal: Writer,
    engine: EngineDep,
    uplink: UplinkDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """A new secret for the key (in this answer only); the old secret stops working at once."""
    with engine.begin() as conn:
        rotated = devices.rotate(
            conn,
            principal.scope,
            key_id,
            master_key=uplink.credentials.master_key(),
            actor=principal.username,
            remote=remote,
        )
    if rotated is None:
        raise ApiError(404, "device_not_found", f"active device credential {key_id!r} not found")
    row, secret = rotated
    after_key_change(uplink.credentials, settings, key_id)
    return {**row, "secret": secret}


@router.post(
    "/devices/{key_id}/revoke", response_model=DeviceOut, summary="Revoke a device credential"
)
def revoke_device(
    key_id: KeyId,
    principal: Writer,
    engine: EngineDep,
    uplink: UplinkDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """Revoke the credential (idempotent)."""
    with engine.begin() as conn:
        row = devices.revoke(conn, principal.scope, key_id, actor=principal.username, remote=remote)
    if row is None:
        raise ApiError(404, "device_not_found", f"device credential {key_id!r} not found")
    after_key_change(uplink.credentials, settings, key_id)
    return row
