"""Request and answer models of an enterprise's data items."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.standards.calendar import PeriodName
from nenghao.standards.vocabulary import ItemApproval, Measure, Stage, Usage, ValueKind

CODE = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
Name = Field(min_length=1, max_length=200, json_schema_extra=rule(pattern=NON_BLANK))
Positive = Field(default=None, gt=0, le=1e15)


class ItemState(Model):
    """What an item is in one version (every attribute of docs/items.md)."""

    code: str
    name: str
    measures: Measure
    energy_kind: str | None
    product_code: str | None
    usage: Usage
    stage: Stage
    process: str | None
    unit: str
    period: PeriodName
    value_kind: ValueKind
    renewable: bool
    manual: bool
    allow_negative: bool
    max_value: float | None
    register_max: float | None
    register_resolution: float | None
    ct_ratio: float | None = Field(description="current-transformer ratio (CT 变比)")
    pt_ratio: float | None = Field(description="voltage-transformer ratio (PT 变比)")
    accuracy_class: str | None
    calibration_due: dt.date | None = Field(description="last day of the calibration (检定有效期)")
    active: bool


class ItemOut(ItemState):
    id: int
    enterprise_id: int
    boundary: str = Field(description="enterprise (the fence) or the process; analytics read it")
    created_at: Instant
    approval: ItemApproval = Field(
        description="collection plan (docs/plans.md): draft (data quarantined until approved), "
        "approved, or changed since approval (still accepts data)"
    )


class _Meter(Strict):
    register_max: float | None = Positive
    register_resolution: float | None = Positive
    ct_ratio: float | None = Positive
    pt_ratio: float | None = Positive
    accuracy_class: str | None = Field(default=None, max_length=8)
    calibration_due: dt.date | None = None
    max_value: float | None = Positive
    allow_negative: bool = False
    manual: bool = False


class ItemIn(_Meter):
    code: str | None = Field(
        default=None,
        max_length=64,
        pattern=CODE,
        description="left out: proposed from the attributes (docs/items.md)",
    )
    name: str = Name
    measures: Measure
    energy_kind: str | None = Field(default=None, max_length=32)
    product_code: str | None = Field(default=None, max_length=48)
    usage: Usage | None = None
    stage: Stage = "fence"
    process: str | None = Field(default=None, max_length=32)
    unit: str = Field(min_length=1, max_length=16)
    period: PeriodName
    value_kind: ValueKind = "interval"
    renewable: bool = False
    valid_from: dt.date | None = Field(default=None, description="CST date; default today")


class ItemPatch(_Meter):
    # Non-nullable columns: absent means unchanged, an explicit null is a validation error.
    code: str = Field(default=None, max_length=64, pattern=CODE)  # type: ignore[assignment]
    name: str = Field(  # type: ignore[assignment]
        default=None, min_length=1, max_length=200, json_schema_extra=rule(pattern=NON_BLANK)
    )
    measures: Measure = Field(default=None)  # type: ignore[arg-type]
    energy_kind: str | None = Field(default=None, max_length=32)
    product_code: str | None = Field(default=None, max_length=48)
    usage: Usage = Field(default=None)  # type: ignore[arg-type]
    stage: Stage = Field(default=None)  # type: ignore[arg-type]
    process: str | None = Field(default=None, max_length=32)
    unit: str = Field(default=None, min_length=1, max_length=16)  # type: ignore[assignment]
    period: PeriodName = Field(default=None)  # type: ignore[arg-type]
    value_kind: ValueKind = Field(default=None)  # type: ignore[arg-type]
    renewable: bool = Field(default=None)  # type: ignore[assignment]
    allow_negative: bool = Field(default=None)  # type: ignore[assignment]
    manual: bool = Field(default=None)  # type: ignore[assignment]
    valid_from: dt.date | None = Field(default=None, description="CST date; default today")
    reason: str | None = Field(default=None, max_length=500)


class ItemStop(Strict):
    valid_from: dt.date | None = Field(default=None, description="CST date; default today")
    reason: str | None = Field(default=None, max_length=500)


class CodeProposalOut(Model):
    code: str = Field(description="the first free code of the scheme for these attributes")
    base: str = Field(description="the code the attributes give, before any serial")


class ItemVersionOut(Model):
    version: int
    valid_from: dt.date
    attributes: ItemState
    changed_by: str
    changed_at: Instant
    reason: str | None


class ItemVersionsOut(Model):
    item_id: int
    versions: list[ItemVersionOut] = Field(description="oldest first")
