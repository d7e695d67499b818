"""Answers of the data-quality routes; times are Unix seconds."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from nenghao.api.models.numbers import Rate, Score
from nenghao.api.serialize import PageOut


class QualityRule(BaseModel):
    rule: str
    description: str


class QualityRules(BaseModel):
    """The quality rules and the default thresholds."""

    rules: list[QualityRule]
    thresholds: dict[str, Any]


class QualityScore(BaseModel):
    """An enterprise's data-quality score of a month."""

    enterprise_id: int
    month: int = Field(description="start of the CST month [Unix s]")
    score: Score
    grade: str
    completeness: Rate | None
    timeliness: Rate | None
    consistency: Rate | None
    validity: Rate | None
    weights: dict[str, float]
    detail: dict[str, Any]
    computed_at: int


class RankedScore(QualityScore):
    enterprise_name: str
    credit_code: str
    division_code: str
    rank: int = Field(description="1 is best; ties share a rank")


class _Month(BaseModel):
    month: str = Field(description="YYYY-MM")


class QualityScores(PageOut[RankedScore], _Month):
    """The month's scores, best first (``month`` comes first)."""


class FailingDay(BaseModel):
    """An item-day that was incomplete, late or had invalid readings."""

    item_id: int
    day: int = Field(description="start of the CST day [Unix s]")
    enterprise_id: int
    expected: int
    received: int
    on_time: int
    invalid: int
    checked_at: int
    item_code: str
    item_name: str
    item_period: str


class QualityEvent(BaseModel):
    id: int
    rule: str
    enterprise_id: int
    item_id: int | None
    subject: str
    period: str
    start: int
    end: int
    severity: str
    points: int | None
    value: float | None
    expected: float | None
    message: str
    detected_at: int
    item_code: str | None


class EnterpriseRef(BaseModel):
    id: int
    name: str
    credit_code: str
    division_code: str


class DrillDown(BaseModel):
    """An enterprise's month: score, failing item-days and quality events."""

    enterprise: EnterpriseRef
    month: str
    score: QualityScore | None
    failing_days: list[FailingDay]
    events_by_rule: dict[str, int]
    events: list[QualityEvent]
    events_total: int
