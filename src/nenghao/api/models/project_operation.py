"""Request and answer models of an operating project (事中事后监管): the link to its data
items, the monthly comparison with the approval; figures carry their unit."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from nenghao.api.params import BodyId
from nenghao.api.serialize import Instant, Model, Strict

State = Literal["not_commissioned", "no_items", "no_complete_month", "compared"]


class LinkIn(Strict):
    item_ids: list[BodyId] = Field(
        min_length=1,
        max_length=200,
        description="data items of the applicant enterprise (energy, medium, product output),"
        " approved in its collection plan",
    )
    commissioned_on: date | None = Field(
        default=None,
        description="CST day of commissioning (投产日期); required when not yet recorded",
    )


class LinkedItemOut(Model):
    id: int
    code: str
    name: str
    measures: str
    energy_kind: str | None
    product_code: str | None
    unit: str
    boundary: str
    period: str
    linked_at: Instant
    linked_by: int


class LinkedOut(Model):
    project_id: int
    project_name: str
    enterprise_id: int | None
    enterprise_name: str | None
    commissioned_on: date | None
    items: list[LinkedItemOut]


class OperationItemOut(Model):
    id: int
    code: str
    name: str
    measures: str
    unit: str


class OutputOut(Model):
    item_id: int
    name: str
    quantity: float = Field(description="[unit]")
    unit: str


class MonthOut(Model):
    month: str = Field(description="YYYY-MM (CST)")
    days: int
    equivalent_tce: float = Field(description="[tce] 当量值")
    equal_tce: float = Field(description="[tce] 等价值")
    tco2: float = Field(description="[t CO2]")
    outputs: list[OutputOut]
    covered_share: float = Field(description="[1] item-days with data / item-days")
    missing_item_days: float = Field(description="[d] summed over the linked items")
    complete: bool
    annualised_equivalent_tce: float = Field(description="[tce/a] as it stood after the month")
    deviation_equivalent: float | None = Field(description="[1] actual / approved - 1")
    over: bool


class FigureOut(Model):
    key: str = Field(description="equivalent_tce, equal_tce, co2_t or unit:<item id>")
    name_zh: str
    unit: str
    approved: float | None
    actual: float | None
    deviation: float | None = Field(description="[1] actual / approved - 1")
    over: bool = Field(description="the deviation reaches the threshold")
    alerted: bool = Field(description="whether the figure raises project_deviation (not CO2)")


class ComparisonOut(Model):
    months_used: int
    first_used: date
    last_used: date
    days_used: int
    year_days: int
    scale: float = Field(description="[1] year days / days used (1 for 12 months)")
    partial: bool = Field(description="fewer than 12 months, scaled (按 N 个月折算)")
    basis_zh: str
    complete: bool
    certain: bool = Field(description="at least 3 months, all fully metered")
    severity: Literal["warning", "critical"]
    over: bool
    figures: list[FigureOut]
    verdicts: list[str]


class OperationOut(Model):
    project_id: int
    project_code: str
    project_name: str
    status: str
    status_zh: str
    enterprise_id: int | None
    enterprise_name: str | None
    division_code: str
    review_tier: str | None
    decided_at: Instant
    conditions: str | None
    commissioned_on: date | None
    first_month: date | None
    as_of: date = Field(description="the first CST day not counted")
    threshold: float = Field(description="[1] review.toml deviation_threshold")
    state: State
    state_zh: str
    items: list[OperationItemOut]
    months: list[MonthOut]
    comparison: ComparisonOut | None
    caveats: list[str]
