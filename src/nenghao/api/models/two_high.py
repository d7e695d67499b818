"""Request and answer models of the two-high installation ledger (存量两高项目台账) and the
rectification plans (整改方案)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.models.numbers import Energy, UnitProduct
from nenghao.api.models.register import PHONE, PHONE_TEXT
from nenghao.api.params import BodyId
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.standards import Status

Position = Literal["better_than_benchmark", "between", "worse_than_baseline", "no_level", "no_data"]
Measure = Literal["measured", "no_product", "no_item", "ambiguous_items", "no_output"]
InstallationStatus = Literal["active", "closed"]
PlanState = Literal["open", "completed", "overdue"]
Progress = Literal["on_track", "not_yet", "no_data"]
_TEXT = rule(pattern=NON_BLANK)
CODE = r"^[a-z0-9_]{1,40}$"


class InstallationIn(Strict):
    enterprise_id: BodyId
    sector: str = Field(
        max_length=32, description="a two-high sector code of two_high.toml", pattern=CODE
    )
    name: str = Field(
        min_length=1, max_length=100, description="e.g. 2号高炉", json_schema_extra=_TEXT
    )
    product: str | None = Field(
        default=None, max_length=40, pattern=CODE, description="a quota-catalogue product"
    )
    item_id: BodyId | None = Field(
        default=None, description="the product data item metering this installation's output"
    )
    capacity: float | None = Field(default=None, gt=0, le=1e12)
    capacity_unit: str | None = Field(
        default=None, min_length=1, max_length=16, description="e.g. 万t/a, m3"
    )
    commissioned_year: int | None = Field(default=None, ge=1900, le=2100)
    note: str | None = Field(default=None, max_length=2000)


class InstallationPatch(Strict):
    sector: str | None = Field(default=None, max_length=32, pattern=CODE)
    name: str | None = Field(default=None, min_length=1, max_length=100, json_schema_extra=_TEXT)
    product: str | None = Field(default=None, max_length=40, pattern=CODE)
    item_id: BodyId | None = None
    capacity: float | None = Field(default=None, gt=0, le=1e12)
    capacity_unit: str | None = Field(default=None, min_length=1, max_length=16)
    commissioned_year: int | None = Field(default=None, ge=1900, le=2100)
    status: InstallationStatus | None = Field(default=None, description="closed: 关停/淘汰")
    note: str | None = Field(default=None, max_length=2000)


class InstallationOut(Model):
    """An installation described (names, not only codes)."""

    id: int
    enterprise_id: int
    enterprise_name: str
    division_code: str
    division_name: str
    industry_code: str
    industry_name: str
    sector: str
    sector_name: str = Field(description="两高行业 in Chinese")
    sector_name_en: str
    name: str
    product: str | None
    product_name: str | None = Field(description="the product (process) in Chinese")
    item_id: int | None
    capacity: float | None
    capacity_unit: str | None
    commissioned_year: int | None
    status: InstallationStatus
    status_zh: str
    note: str | None
    created_by: str
    created_at: Instant
    updated_at: Instant


class LedgerRow(InstallationOut):
    """An installation on the ledger: measured, positioned against the levels."""

    unit_consumption: UnitProduct | None = Field(description="measured [kgce/t]")
    unit: str
    output_t: Energy | None = Field(description="qualified output of the period [t]")
    measured_item_id: int | None
    measure_status: Measure
    measure_zh: str
    benchmark: float | None = Field(description="标杆水平 [kgce/t]")
    baseline: float | None = Field(description="基准水平 [kgce/t]")
    level_document: str | None
    level_source: str | None
    level_status: Status | None
    level_status_zh: str | None = Field(description="已核实 / 未核实")
    position: Position
    position_zh: str
    needs_plan: bool = Field(description="worse than the baseline and active")
    plan_missing: bool = Field(description="needs a plan and has no open one")
    flag_zh: str | None = Field(description="需整改，未制定方案 when plan_missing")
    open_plan_id: int | None
    open_plan_deadline: date | None


class LedgerCounts(Model):
    better_than_benchmark: int
    between: int
    worse_than_baseline: int
    no_level: int
    no_data: int


class LedgerPage(Model):
    """One page of the ledger with the period read and the counts of the whole ledger."""

    items: list[LedgerRow]
    total: int
    page: int
    page_size: int
    period: str
    start: str = Field(description="first CST day read")
    end: str = Field(description="last CST day read")
    partial: bool
    through: str | None
    counts: LedgerCounts = Field(description="positions of every installation in scope")
    plans_missing: int
    unregistered_enterprises: int = Field(
        description="two-high enterprises in scope with no installation (未登记装置)"
    )
    notes: dict[str, str]


class MonthPoint(Model):
    month: str
    unit_consumption: UnitProduct | None
    output_t: Energy | None
    measure_status: Measure
    position: Position


class InstallationDetail(LedgerRow):
    period: str
    start: str
    end: str
    partial: bool
    series: list[MonthPoint] = Field(description="each CST month of the period read")


class UnregisteredOut(Model):
    enterprise_id: int
    enterprise_name: str
    division_code: str
    division_name: str
    industry_code: str
    industry_name: str
    sector: str
    sector_name: str
    hint_zh: str


class RectificationPlanIn(Strict):
    measures: str = Field(min_length=1, max_length=5000, json_schema_extra=_TEXT)
    target_unit_consumption: float | None = Field(
        default=None,
        ge=-1e6,
        le=1e6,
        description="[kgce/t]; the product's baseline value when left out",
    )
    deadline: date = Field(description="the last CST day of the plan")
    responsible_name: str = Field(min_length=1, max_length=50, json_schema_extra=_TEXT)
    responsible_phone: str = Field(max_length=24, description=PHONE_TEXT, json_schema_extra=PHONE)


class RectificationPlanPatch(Strict):
    version: int = Field(ge=1, le=2**31 - 1, description="the version the change was made on")
    measures: str | None = Field(
        default=None, min_length=1, max_length=5000, json_schema_extra=_TEXT
    )
    target_unit_consumption: float | None = Field(default=None, ge=-1e6, le=1e6)
    deadline: date | None = None
    responsible_name: str | None = Field(
        default=None, min_length=1, max_length=50, json_schema_extra=_TEXT
    )
    responsible_phone: str | None = Field(
        default=None, max_length=24, description=PHONE_TEXT, json_schema_extra=PHONE
    )


class RectificationCompleteIn(Strict):
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    note: str | None = Field(default=None, max_length=2000)


class RectificationUpdateIn(Strict):
    on_date: date = Field(description="the CST day the progress refers to")
    text: str = Field(min_length=1, max_length=5000, json_schema_extra=_TEXT)


class RectificationUpdateOut(Model):
    id: int
    plan_id: int
    on_date: date
    actor: str
    actor_role: str
    text: str
    created_at: Instant


class RectificationPlanOut(Model):
    id: int
    installation_id: int
    installation_name: str
    installation_status: InstallationStatus
    enterprise_id: int
    enterprise_name: str
    division_code: str
    sector: str
    product: str | None
    measures: str
    target_unit_consumption: UnitProduct = Field(description="[kgce/t]")
    deadline: date
    responsible_name: str
    responsible_phone: str
    status: Literal["open", "completed"]
    state: PlanState = Field(description="overdue: open past its deadline")
    state_zh: str
    overdue: bool
    created_by: str
    created_at: Instant
    updated_at: Instant
    completed_at: Instant
    completed_by: str | None
    completion_note: str | None
    version: int


class SeriesPoint(MonthPoint):
    meets_target: bool | None


class CompletionOut(Model):
    months: list[str]
    unit_consumption: UnitProduct | None
    target: UnitProduct
    output_each_month: bool
    met: bool
    rule_zh: str


class RectificationPlanDetail(RectificationPlanOut):
    installation: InstallationOut
    series: list[SeriesPoint] = Field(description="each complete CST month since the plan")
    progress: Progress
    progress_zh: str
    completion: CompletionOut
