"""Request and response models of the monthly and annual filings (docs/filing.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from nenghao.api.serialize import Instant, Model, Strict

LineKind = Literal["energy", "product", "output_value", "added_value"]


class PeriodFilingLineIn(Strict):
    """One filed figure: an energy kind (code or Chinese name), a product (its code), or the
    output value / added value (no subject), with its unit."""

    kind: LineKind
    subject: str | None = Field(default=None, max_length=48)
    value: float = Field(ge=0, allow_inf_nan=False)
    unit: str = Field(min_length=1, max_length=16)


class PeriodFilingIn(Strict):
    """The lines of a month's or a year's filing; `reason` is required to revise one."""

    lines: list[PeriodFilingLineIn] = Field(min_length=1, max_length=60)
    reason: str | None = Field(default=None, max_length=500)


class FilingLineOut(Model):
    """A line as kept: the filed figure, how it was taken, and the comparison with the
    online figure (``difference`` = (filed - online) / online; ``flagged`` above 5 %)."""

    kind: LineKind
    subject: str | None
    name: str
    value: float
    unit: str
    mode: Literal["reading", "boundary", "compared"]
    item_id: int | None
    online: float | None
    online_days: int | None
    period_days: int
    partial: bool
    """The online data covers only some days of the period."""
    difference: float | None
    flagged: bool


class FilingOut(Model):
    """A filing with the lines of its current revision."""

    id: int
    enterprise_id: int
    enterprise_name: str
    period: Literal["month", "year"]
    label: str
    revision: int
    status: Literal["filed", "review"]
    filed_by: str
    filed_at: Instant
    reason: str | None
    lines: list[FilingLineOut]


class FormLineOut(Model):
    """A quantity the enterprise registers, as the form offers it: unit, how it would be
    taken and its online figure for the period."""

    kind: LineKind
    subject: str | None
    name: str
    unit: str
    mode: Literal["reading", "boundary", "compared"]
    online: float | None
    online_days: int | None
    period_days: int


class FilingFormOut(Model):
    """A period of an enterprise: its filing (None before the first) and the form's lines."""

    label: str
    period: Literal["month", "year"]
    filing: FilingOut | None
    lines: list[FormLineOut]


class FilingRevisionOut(Model):
    """One revision of a filing: who, when, why, and its lines."""

    revision: int
    status: Literal["filed", "review"]
    filed_by: str
    filed_at: Instant
    reason: str | None
    lines: list[FilingLineOut]
