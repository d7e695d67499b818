"""Answers of the alert routes; times are Unix seconds."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Severity = Literal["info", "warning", "critical"]


class AlertOut(BaseModel):
    id: int
    rule: str
    subject: str
    enterprise_id: int | None
    enterprise_name: str | None = Field(
        default=None, description="the name of the enterprise the alert is about"
    )
    division_code: str | None
    item_id: int | None
    severity: Severity
    status: Literal["open", "acknowledged", "resolved"]
    title: str
    message: str
    detail: dict[str, Any] | None
    occurrences: int
    first_seen: int
    last_seen: int
    acknowledged_at: int | None
    acknowledged_by: str | None
    acknowledge_comment: str | None
    resolved_at: int | None
    resolved_by: str | None
    resolve_comment: str | None
    rectification_note: str | None = Field(description="the enterprise's rectification note")
    rectification_by: str | None
    rectification_at: int | None
    regulated: bool = Field(
        description="a judgement against a limit the authority sets: only a regulator closes it"
    )


class AlertWithDeliveries(AlertOut):
    """An alert and where it was sent."""

    deliveries: list[dict[str, Any]]


class RuleSettingOut(BaseModel):
    """A rule as configured: defaults overlaid with the stored settings."""

    name: str
    kind: str
    enabled: bool
    severity: Severity
    params: dict[str, Any]
    description: str
    customised: bool = Field(description="whether settings are stored for it")


class RuleSettings(BaseModel):
    items: list[RuleSettingOut]
    total: int


class ChannelOut(BaseModel):
    """A notification channel; its secret is never answered."""

    id: int
    name: str
    kind: Literal["webhook", "email"]
    target: str
    min_severity: Severity
    rules: list[str] | None
    division_code: str | None
    enabled: bool
    created_at: int
    updated_at: int
    has_secret: bool
