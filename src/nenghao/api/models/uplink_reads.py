"""Answers of the device-signed reads: the items a device may send, the readings stored."""

from __future__ import annotations

from pydantic import Field

from nenghao.api.serialize import Model
from nenghao.standards.calendar import PeriodName
from nenghao.standards.vocabulary import ItemApproval, ValueKind


class DeviceItemOut(Model):
    """A data item that accepts data, as a device needs it to send records."""

    code: str = Field(description="the item code records name (`item`)")
    name: str
    measures: str = Field(description="energy, medium, product, output_value or added_value")
    energy_kind: str | None = Field(description="catalogue energy kind (energy, medium)")
    product_code: str | None
    usage: str
    stage: str = Field(description="fence, or the stage of a process (docs/items.md)")
    process: str | None
    unit: str = Field(description="the item's unit; records may use any unit convertible to it")
    period: PeriodName = Field(description="the statistic period records must use")
    value_kind: ValueKind = Field(description="interval: send value; register: send register")
    manual: bool = Field(description="filed by hand, not uplinked")
    allow_negative: bool
    max_value: float | None = Field(description="the item's own bound per period [unit]")
    bound: float | None = Field(
        description="largest absolute value of one interval [unit]: the smaller of max_value"
        " and the dimension's bound (appendix E); null when unbounded"
    )
    register_max: float | None = Field(description="register full scale (rollover) [unit]")
    register_resolution: float | None = Field(
        description="register least step [unit] (0.01 unless registered); null for interval items"
    )
    approval: ItemApproval = Field(description="approved, or changed since approval")


class StoredReadingOut(Model):
    """A stored (current) reading of an item and period."""

    item: str
    period: PeriodName
    start: str = Field(description="period start, UTC (RFC 3339)")
    value: float = Field(description="the period's value in the item's unit")
    unit: str
    register_value: float | None = Field(
        description="register reading at the period start (register items: the earlier reading"
        " of the derived interval; null for the later periods of a gap)"
    )
    quality: str
    source: str = Field(description="the channel it came by: http, mqtt, file or manual")
    revision: int = Field(description="1 for the first value, +1 per change")
    received_at: str = Field(description="when the value was received, UTC (RFC 3339)")
    flags: list[str] = Field(
        description="derived-interval flags: gap_spanned, rollover, replacement, reset"
    )
    gap_periods: int | None = Field(
        description="gap_spanned: the periods the interval spans (its value is shared over them)"
    )
