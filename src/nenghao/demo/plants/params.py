"""Typed parameters of the plant templates, validated from the city file.

Field names carry their unit (``electricity_kwh_per_t``, ``steel_t_per_h``); numbers must be
numbers (no strings), rates must not be negative and shares lie in 0..1.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Rate = Annotated[float, Field(ge=0)]
"""An amount per hour or per tonne, >= 0."""
Share = Annotated[float, Field(ge=0, le=1)]
"""A fraction 0..1."""
Factor = Annotated[float, Field(gt=0)]
"""A positive multiplier, e.g. fence meter / sub-meter (losses and auxiliaries)."""


class PlantParams(BaseModel):
    """Base of every template's parameters: frozen, strict types, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
