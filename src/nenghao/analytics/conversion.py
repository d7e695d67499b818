"""Conversion to standard coal for the API and the command line (one code path)."""

from __future__ import annotations

import math
from typing import Any

from nenghao.accounting import parse_heating_value, to_standard_coal
from nenghao.standards import Catalog, get_catalog
from nenghao.standards.jsonable import jsonable
from nenghao.standards.vocabulary import Basis


class BadQuantityError(ValueError):
    """The value to convert is not a finite number."""


def parse_value(text: str) -> float:
    """A finite number from `text` (ASCII digits), or `BadQuantityError` saying what was wrong."""
    try:
        if not text.isascii():  # float() reads other scripts' digits too
            raise ValueError(text)
        value = float(text.replace(",", "").strip())
    except ValueError:
        raise BadQuantityError(f"VALUE must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise BadQuantityError(f"VALUE must be a finite number, got {text!r}")
    return value


def convert(
    value: float,
    unit: str,
    energy: str,
    *,
    basis: Basis = "equivalent",
    year: int | None = None,
    heating_value: str | None = None,
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """Convert `value` [`unit`] of `energy` (code or name) to standard coal, JSON-ready.

    `heating_value` is a measured low heating value with its unit, e.g. ``"5000 kcal/kg"``.
    `catalog` is the catalogue with the administrator's equal values (the packaged one by
    default; see ``nenghao.store.equal_values.catalog``).
    Unknown energy kinds or units and units of the wrong dimension raise the accounting
    layer's errors, which the API and the CLI both report with a stable code.
    """
    catalog = catalog or get_catalog()
    kind = catalog.energy_kind(energy)
    hv, hv_unit = parse_heating_value(heating_value) if heating_value else (None, None)
    result = to_standard_coal(
        value,
        unit,
        kind.code,
        basis=basis,
        year=year,
        heating_value=hv,
        heating_value_unit=hv_unit,
        catalog=catalog,
    )
    data: dict[str, Any] = jsonable(result)
    data["input"] = {"value": value, "unit": unit, "energy": energy}
    data["energy"] = {"code": kind.code, "name_zh": kind.name_zh, "name_en": kind.name_en}
    return data
