"""Answers about the equal value (等价值) of electricity by year."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.models.catalog import ANSWERED, SourcedOut
from nenghao.api.serialize import Strict
from nenghao.standards import Status, get_catalog
from nenghao.store.equal_values import ENERGY, SOURCE_MAX

LOW, HIGH = get_catalog().equal_value_range(ENERGY) or (0.0, None)


class EqualValueYear(BaseModel):
    """The equal value in force for a year, where it comes from, and who set it."""

    model_config = ANSWERED

    year: int
    value: float = Field(description="kgce/kWh")
    unit: str
    origin: Literal["administrator", "published", "fallback"]
    source: str
    status: Status
    note: str | None = None
    set_by: str | None = Field(default=None, description="the administrator, if one set it")
    set_at: int | None = Field(default=None, description="when (Unix seconds)")
    published: SourcedOut | None = Field(
        default=None, description="the packaged value of the year, if any"
    )


class EqualValues(BaseModel):
    """Per-year equal values of electricity, the fallback, and the range accepted."""

    model_config = ANSWERED

    energy: str
    unit: str
    min: float | None = None
    max: float | None = None
    fallback: SourcedOut | None = None
    years: list[EqualValueYear]


class EqualValueIn(Strict):
    """An administrator's equal value of electricity for a year."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"value": 0.3055, "source": "中电联《电力工业统计资料汇编》2020, 表 x"}]
        },
    )

    value: float = Field(
        allow_inf_nan=False,
        description="kgce/kWh, within the catalogue's plausible range",
        json_schema_extra=rule(minimum=LOW, maximum=HIGH),
    )
    source: str = Field(
        min_length=1,
        max_length=SOURCE_MAX,
        description="publication and table, or URL",
        json_schema_extra=rule(pattern=NON_BLANK),
    )
