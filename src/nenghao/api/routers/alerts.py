"""Alerts: list (scoped), acknowledge, resolve; rule settings and notification channels."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import AnyHttpUrl, ConfigDict, Field, TypeAdapter, ValidationError

from nenghao.api.access import Principal, holds, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep
from nenghao.api.errors import ApiError
from nenghao.api.fields import AlertRuleName, DivisionCode
from nenghao.api.models.alerts import (
    AlertOut,
    AlertWithDeliveries,
    ChannelOut,
    RuleSettingOut,
    RuleSettings,
)
from nenghao.api.params import BigId, Id, IdFilter
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, Strict, page_out
from nenghao.monitor import alerting
from nenghao.standards.jsonable import jsonable
from nenghao.standards.vocabulary import AlertStatus, NotificationKind, Severity
from nenghao.store import alerts
from nenghao.store.common import OutsideScopeError
from nenghao.store.enterprises import check_division

router = APIRouter(prefix="/alerts", tags=["alerts"], route_class=JsonRoute)
Reader = Annotated[Principal, require("alerts:read")]
Writer = Annotated[Principal, require("alerts:write")]
Configurer = Annotated[Principal, require("alerts:configure")]
AlertId = BigId
ChannelId = Id
AlertFilter = Literal[AlertStatus, "active"]
"""An alert status, or ``active``: open or acknowledged."""
URL = TypeAdapter(AnyHttpUrl)


class CommentIn(Strict):
    comment: str | None = Field(default=None, max_length=1000)


class RectifyIn(Strict):
    note: str = Field(
        min_length=1,
        max_length=2000,
        description="整改说明: the cause found and what the enterprise did or will do.",
    )


class ResolveIn(Strict):
    comment: str = Field(min_length=1, max_length=1000, description="What was done.")


class RuleIn(Strict):
    rule: AlertRuleName
    enabled: bool = True
    severity: Severity
    params: dict[str, Any] = Field(default_factory=dict)


class ChannelIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "ops", "kind": "webhook", "target": "https://ops.example.cn/hook"},
                {"name": "duty", "kind": "email", "target": "duty@example.cn"},
            ]
        }
    )

    name: str = Field(min_length=1, max_length=100)
    kind: NotificationKind
    target: str = Field(min_length=3, max_length=500, description="URL, or e-mail addresses")
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    min_severity: Severity = "warning"
    rules: list[AlertRuleName] | None = None
    division_code: DivisionCode | None = None
    enabled: bool = True


class ChannelPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    target: str | None = Field(default=None, min_length=3, max_length=500)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    min_severity: Severity | None = None
    rules: list[AlertRuleName] | None = None
    division_code: DivisionCode | None = None
    enabled: bool | None = None


def _not_found(alert_id: int) -> ApiError:
    return ApiError(404, "alert_not_found", f"告警 {alert_id} 不存在 / alert {alert_id} not found")


@router.get("", response_model=PageOut[AlertOut], summary="Alerts in scope")
def list_alerts(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    status: AlertFilter | None = None,
    rule: Annotated[str | None, Query(max_length=32)] = None,
    severity: Severity | None = None,
    enterprise_id: IdFilter = None,
) -> Any:
    """Alerts most recently seen first; ``status=active`` means open or acknowledged."""
    with engine.connect() as conn:
        page = alerts.list_alerts(
            conn,
            principal.scope,
            status=status,
            rule=rule,
            severity=severity,
            enterprise_id=enterprise_id,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.get("/rules", response_model=RuleSettings, summary="Alert rules and their settings")
def list_rules(principal: Configurer, engine: EngineDep) -> Any:
    """Every rule: kind, enabled, severity, parameters (defaults overlaid with settings)."""
    del principal
    with engine.connect() as conn:
        rules = alerting.settings(conn)
    return {"items": jsonable(list(rules.values())), "total": len(rules)}


@router.put("/rules", response_model=RuleSettingOut, summary="Change a rule's settings")
def put_rule(body: RuleIn, principal: Configurer, engine: EngineDep, remote: RemoteDep) -> Any:
    """Enable or disable a rule, set its severity and parameters; audited."""
    try:
        params = alerting.check_setting(body.rule, body.severity, body.params)
    except ValueError as exc:
        raise ApiError(422, "invalid_rule_setting", str(exc)) from None
    values = {"enabled": body.enabled, "severity": body.severity, "params": params}
    with engine.begin() as conn:
        alerts.put_rule(conn, body.rule, values, actor=principal.username, remote=remote)
        current = alerting.settings(conn)[body.rule]
    return jsonable(current)


def _check_channel(kind: str | None, values: dict[str, Any]) -> None:
    target = values.get("target")
    if target is not None and kind == "webhook":
        try:
            URL.validate_python(target)
        except ValidationError:
            raise ApiError(422, "invalid_target", "a webhook target is an http(s) URL") from None
    if target is not None and kind == "email":
        addresses = [a.strip() for a in target.split(",") if a.strip()]
        if not addresses or any("@" not in a for a in addresses):
            raise ApiError(422, "invalid_target", "an e-mail target is comma-separated addresses")
    unknown = set(values.get("rules") or ()) - set(alerting.RULES)
    if unknown:
        raise ApiError(422, "unknown_rule", f"unknown rules: {', '.join(sorted(unknown))}")
    if values.get("division_code"):
        check_division(values["division_code"])


@router.get("/channels", response_model=PageOut[ChannelOut], summary="Notification channels")
def list_channels(principal: Configurer, engine: EngineDep, paging: PagingDep) -> Any:
    """Channels without their secrets (``has_secret`` tells whether one is set), by id."""
    del principal
    with engine.connect() as conn:
        page = alerts.list_channels(conn, offset=paging.offset, limit=paging.page_size)
    return page_out(page, paging.page_size)


@router.post(
    "/channels", response_model=ChannelOut, status_code=201, summary="Add a notification channel"
)
def create_channel(
    body: ChannelIn, principal: Configurer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """A webhook (signed with HMAC-SHA256 when a secret is set) or e-mail recipients."""
    values = body.model_dump()
    _check_channel(body.kind, values)
    with engine.begin() as conn:
        return alerts.create_channel(conn, values, actor=principal.username, remote=remote)


@router.patch(
    "/channels/{entry_id}", response_model=ChannelOut, summary="Change a notification channel"
)
def update_channel(
    entry_id: ChannelId,
    body: ChannelPatch,
    principal: Configurer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """Change the fields sent; audited (the secret never appears in answers or the log)."""
    values = body.model_dump(exclude_unset=True)
    with engine.begin() as conn:
        current = alerts.get_channel(conn, entry_id)
        if current is None:
            raise ApiError(404, "channel_not_found", f"channel {entry_id} not found")
        _check_channel(current["kind"], values)
        return alerts.update_channel(
            conn, entry_id, values, actor=principal.username, remote=remote
        )


@router.delete(
    "/channels/{entry_id}", response_model=ChannelOut, summary="Remove a notification channel"
)
def delete_channel(
    entry_id: ChannelId, principal: Configurer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Remove the channel and its delivery records; audited."""
    with engine.begin() as conn:
        return alerts.delete_channel(conn, entry_id, actor=principal.username, remote=remote)


@router.get(
    "/{entry_id}", response_model=AlertWithDeliveries, summary="One alert with its deliveries"
)
def get_alert(entry_id: AlertId, principal: Reader, engine: EngineDep) -> Any:
    """The alert (404 when missing or outside scope) and where it was sent."""
    with engine.connect() as conn:
        row = alerts.get(conn, principal.scope, entry_id)
        if row is None:
            raise _not_found(entry_id)
        return {**row, "deliveries": alerts.deliveries(conn, entry_id)}


@router.post(
    "/{entry_id}/acknowledge", response_model=AlertOut, summary="Acknowledge an open alert"
)
def acknowledge(
    entry_id: AlertId, body: CommentIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """open -> acknowledged, with who, when and an optional comment; audited."""
    with engine.begin() as conn:
        return alerts.transition(
            conn,
            principal.scope,
            entry_id,
            "acknowledge",
            actor=principal.username,
            comment=body.comment,
            remote=remote,
        )


@router.post(
    "/{entry_id}/resolve", response_model=AlertOut, summary="Resolve an alert with a comment"
)
def resolve(
    entry_id: AlertId, body: ResolveIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """open or acknowledged -> resolved, with who, when and the comment; audited. A
    regulated alert (``regulated``: quota, target, repair or filing deadline) only a role
    holding ``alerts:close_regulated`` closes; anyone else gets 403 (the attempt audited)."""
    try:
        with engine.begin() as conn:
            row = alerts.transition(
                conn,
                principal.scope,
                entry_id,
                "resolve",
                actor=principal.username,
                comment=body.comment,
                remote=remote,
                closes_regulated=holds(principal, "alerts:close_regulated"),
            )
    except OutsideScopeError:
        with engine.begin() as conn:
            alerts.record_refusal(
                conn, entry_id, actor=principal.username, comment=body.comment, remote=remote
            )
        raise
    return JSONResponse(jsonable(row))


@router.post(
    "/{entry_id}/rectification",
    response_model=AlertOut,
    summary="Attach a rectification note (整改说明) to an alert",
)
def rectify(
    entry_id: AlertId, body: RectifyIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Attach or replace the note explaining the cause and the rectification, on an alert not
    yet resolved; the status is unchanged; audited."""
    with engine.begin() as conn:
        return alerts.rectify(
            conn, principal.scope, entry_id, body.note, actor=principal.username, remote=remote
        )
