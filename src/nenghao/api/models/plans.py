"""Request and answer models of an enterprise's collection plan (采集方案)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.models.items import ItemState
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.standards.vocabulary import ItemApproval, PlanStatus


class PlanNoteIn(Strict):
    note: str | None = Field(default=None, max_length=1000, description="the submitter's note")


class PlanReviewIn(Strict):
    comment: str | None = Field(default=None, max_length=1000, description="the reviewer's comment")


class PlanReturnIn(Strict):
    comment: str = Field(
        min_length=1,
        max_length=1000,
        description="what the enterprise is to change",
        json_schema_extra=rule(pattern=NON_BLANK),
    )


class PlanItemBrief(Model):
    id: int
    code: str
    name: str


class PlanItemChange(PlanItemBrief):
    fields: dict[str, list[Any]] = Field(
        description="each changed attribute as [approved value, new value]"
    )


class PlanDiffOut(Model):
    added: list[PlanItemBrief] = Field(description="items registered since, never approved")
    changed: list[PlanItemChange] = Field(description="approved items changed since")
    deactivated: list[PlanItemBrief] = Field(description="approved items deactivated since")


class PlanCountsOut(Model):
    added: int
    changed: int
    deactivated: int


class PlanVersionSummary(Model):
    id: int
    enterprise_id: int
    version: int
    status: Literal["submitted", "approved", "returned"]
    diff: PlanDiffOut = Field(description="the change from the last approved version")
    counts: PlanCountsOut
    submitted_by: str
    submitted_at: Instant
    note: str | None
    reviewed_by: str | None
    reviewed_at: Instant
    comment: str | None = Field(description="the reviewer's comment")


class PlanSnapshotItem(ItemState):
    id: int
    approval: ItemApproval = Field(description="the item's approval state when submitted")


class PlanVersionOut(PlanVersionSummary):
    snapshot: list[PlanSnapshotItem] = Field(description="the items as submitted")


class PlanListed(PlanVersionSummary):
    enterprise_name: str
    division_code: str


class PlanItemState(Model):
    id: int
    code: str
    name: str
    active: bool
    approval: ItemApproval = Field(
        description="draft: not approved, its data is quarantined; approved; changed: "
        "approved and changed since (still accepts data)"
    )


class PlanOut(Model):
    enterprise_id: int
    enterprise_name: str
    status: PlanStatus
    latest: PlanVersionSummary | None = Field(description="the newest version, if any")
    pending: PlanDiffOut = Field(description="what the next version would submit for review")
    pending_counts: PlanCountsOut
    plan_items: list[PlanItemState] = Field(description="every item with its approval state")
