"""Request and answer models of retrofit projects (节能改造项目) and their M&V."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.params import BodyId
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.standards.calendar import MONTH_PATTERN

MONTH = rf"^{MONTH_PATTERN}$"
_TEXT = rule(pattern=NON_BLANK)
_MONTH = Field(pattern=MONTH, description="a CST month, YYYY-MM")
Granularity = Literal["month", "hour"]
Option = Literal["B", "C"]
AdjustmentKind = Literal["capacity", "product", "other"]
State = Literal["verified", "model_rejected", "no_data"]


class RetrofitMeasures(Strict):
    kiln_before: str | None = Field(default=None, max_length=100, description="e.g. 反射窑")
    kiln_after: str | None = Field(default=None, max_length=100, description="e.g. 竖窑")
    fuel_before: str | None = Field(default=None, max_length=50, description="e.g. 原煤")
    fuel_after: str | None = Field(default=None, max_length=50, description="e.g. 天然气")
    description: str | None = Field(default=None, max_length=500)


class RetrofitVariableIn(Strict):
    name: str = Field(min_length=1, max_length=50, json_schema_extra=_TEXT)
    unit: str | None = Field(default=None, max_length=16)
    item_id: BodyId | None = Field(default=None, description="a data item metering it")
    values: dict[str, float] | None = Field(
        default=None, max_length=600, description="monthly values entered by hand, by YYYY-MM"
    )


class RetrofitIn(Strict):
    enterprise_id: BodyId
    name: str = Field(min_length=1, max_length=100, json_schema_extra=_TEXT)
    mv_option: Option = "B"
    granularity: Granularity = "month"
    energy_items: list[BodyId] = Field(min_length=1, max_length=50)
    product_item: BodyId | None = Field(default=None, description="the product-output item")
    variables: list[RetrofitVariableIn] = Field(default_factory=list, max_length=10)
    baseline_from: str = _MONTH
    baseline_to: str = _MONTH
    installation_from: str = _MONTH
    installation_to: str = _MONTH
    reporting_from: str = _MONTH
    reporting_to: str = _MONTH
    claimed_saving_tce: float = Field(gt=0, le=1e8, description="claimed saving [tce/a]")
    investment_wan: float | None = Field(default=None, ge=0, le=1e8, description="[万元]")
    measures: RetrofitMeasures = Field(default_factory=RetrofitMeasures)
    flag_ratio: float | None = Field(default=None, gt=0, le=1)
    note: str | None = Field(default=None, max_length=1000)


class RetrofitVariable(Model):
    name: str
    unit: str | None = None
    item_id: int | None = None
    role: str | None = None
    values: dict[str, float] | None = None


class RetrofitOut(Model):
    id: int
    enterprise_id: int
    enterprise_name: str
    division_code: str
    name: str
    mv_option: str
    granularity: str
    energy_items: list[int]
    variables: list[RetrofitVariable]
    baseline_from: str
    baseline_to: str
    installation_from: str
    installation_to: str
    reporting_from: str
    reporting_to: str
    claimed_saving_tce: float
    investment_wan: float | None
    measures: dict[str, str]
    flag_ratio: float | None
    note: str | None
    created_by: str
    created_at: Instant


class RetrofitLedgerLine(RetrofitOut):
    status: State
    problem: str | None = Field(description="the refusal's code when status is no_data")
    verified_tce: float | None = Field(description="verified saving [tce/a], 当量值")
    verified_equal_tce: float | None = Field(description="[tce/a], 等价值")
    verified_tco2: float | None = Field(description="[tCO2/a]")
    uncertainty_tce: float | None = Field(description="90 % half-width [tce/a]")
    ratio: float | None = Field(description="verified over claimed")
    flagged: bool
    cvrmse: float | None
    nmbe: float | None


class RetrofitLedger(Model):
    items: list[RetrofitLedgerLine]
    total: int
    page: int
    page_size: int
    flagged: int = Field(description="lines whose verified saving is below the flag share")


class MvAdvice(Model):
    reason: str
    zh: str
    en: str


class BaselineModelOut(Model):
    granularity: str
    variables: list[str]
    coefficients: dict[str, float]
    n: int
    p: int
    cvrmse: float
    nmbe: float
    r_squared: float
    rho: float
    cvrmse_max: float
    nmbe_max: float
    accepted: bool
    reasons: list[str]
    advice: list[MvAdvice]


class MvSeriesOut(Model):
    labels: list[str]
    actual: list[float] = Field(description="[tce] per point, 当量值")
    model: list[float] = Field(description="the baseline model [tce] per point")


class MvSavingsOut(Model):
    routine_baseline_tce: float
    adjustments_tce: float
    adjusted_baseline_tce: float
    actual_tce: float
    avoided_tce: float
    avoided_equal_tce: float
    avoided_tco2: float
    fraction: float | None
    uncertainty_tce: float
    relative_uncertainty: float | None
    confidence: float
    t: float
    m: int
    n_effective: float
    annual_avoided_tce: float
    annual_avoided_equal_tce: float
    annual_avoided_tco2: float
    annual_uncertainty_tce: float


class MvClaimOut(Model):
    claimed_saving_tce: float
    ratio: float
    flag_ratio: float
    flagged: bool


class RetrofitAdjustmentIn(Strict):
    month: str = _MONTH
    kind: AdjustmentKind
    amount_tce: float = Field(ge=-1e8, le=1e8, description="[tce] added to the baseline")
    reason: str = Field(min_length=1, max_length=1000, json_schema_extra=_TEXT)


class RetrofitAdjustmentOut(Model):
    id: int
    retrofit_id: int
    month: str
    kind: str
    amount_tce: float
    reason: str
    created_by: str
    created_at: Instant


class RetrofitVerificationOut(Model):
    status: Literal["verified", "model_rejected"]
    model: BaselineModelOut
    baseline: MvSeriesOut
    reporting: MvSeriesOut
    savings: MvSavingsOut
    claim: MvClaimOut
    adjustments: list[RetrofitAdjustmentOut]
