"""The shape of the city file (``data/city.toml``), validated with pydantic.

Only the structure is checked here; `nenghao.demo.city` checks the references (divisions,
industries, templates, shutdown rules, kinds, boundaries, products) and the plant parameters.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nenghao.demo.specs import ShutdownRule

Profile = Literal["continuous", "valley", "valley_strong", "day_shift", "two_shift", "heating"]
"""The daily activity profiles of `nenghao.demo.generate.activity`."""


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class ShutdownEntry(_Entry):
    """A recurring planned stop: on a date every year, or around the Spring Festival."""

    kind: Literal["maintenance", "holiday", "spring_festival"]
    description: str = Field(min_length=1)
    activity_left: float = Field(ge=0, le=1)
    boundaries: list[str] = []
    month: int = Field(0, ge=0, le=12)
    day: int = Field(0, ge=0, le=31)
    days: int = Field(0, ge=0)
    days_before: int = Field(0, ge=0)
    days_after: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _dated(self) -> ShutdownEntry:
        if self.kind == "spring_festival":
            if self.month or self.day or self.days:
                raise ValueError("a spring_festival stop takes days_before/days_after, no date")
            if not self.days_before + self.days_after:
                raise ValueError("a spring_festival stop needs days_before and/or days_after")
        elif not (self.month and self.day and self.days) or self.days_before or self.days_after:
            raise ValueError(f"a {self.kind} stop needs month, day and days (and no days_before)")
        return self

    def rule(self, month: int | None = None) -> ShutdownRule:
        """The rule, in `month` instead of its own when given."""
        return ShutdownRule(
            kind=self.kind,
            description=self.description,
            factor=self.activity_left,
            boundaries=tuple(self.boundaries),
            month=self.month if month is None else month,
            day=self.day,
            days=self.days,
            before=self.days_before,
            after=self.days_after,
        )


class TemplateDefaults(_Entry):
    """What every enterprise built from one template shares (an enterprise may override
    ``industry`` and any plant parameter)."""

    industry: str | None = None
    profile: Profile
    growth_per_year: float = Field(ge=-0.5, le=0.5)
    tce_per_10k_yuan_output: float = Field(gt=0)
    added_value_share: float = Field(ge=0, le=1)
    shutdowns: list[str] = []
    plant: dict[str, Any] = {}


class EnterpriseEntry(_Entry):
    """One fictional enterprise: identity, place, template and its own plant parameters."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    template: str
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    division: str
    address: str = Field(min_length=1)
    industry: str | None = None
    maintenance_month: int | None = Field(None, ge=1, le=12)
    plant: dict[str, Any] = {}


class Metering(_Entry):
    """How the city meters energy: a unit per kind; by-product gases with a heating value."""

    heating_value_kinds: list[str] = []
    units: dict[str, str]


class CityFile(_Entry):
    """The whole city file."""

    city_division: str
    district_division: str
    showcase: str
    clusters: dict[str, str]
    boundaries: dict[str, str]
    products: dict[str, str]
    metering: Metering
    shutdowns: dict[str, ShutdownEntry]
    templates: dict[str, TemplateDefaults]
    enterprises: list[EnterpriseEntry] = Field(min_length=1)
