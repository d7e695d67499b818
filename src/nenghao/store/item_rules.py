"""What a data item may hold: its attributes checked against the catalogue and the item-code
scheme of docs/items.md (``<place>.<what><usage suffix>[.<n>]``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from nenghao.standards import UnitError, UnknownEnergyKindError, get_catalog
from nenghao.standards.calendar import PERIODS
from nenghao.standards.vocabulary import (
    MEASURE_NAMES_ZH,
    MEASURES,
    STAGE_NAMES_ZH,
    STAGES,
    USAGES,
    VALUE_KINDS,
)
from nenghao.store.common import InvalidInputError

INTERPRETING = (
    "measures",
    "energy_kind",
    "product_code",
    "usage",
    "stage",
    "process",
    "unit",
    "period",
    "value_kind",
    "renewable",
)
"""Attributes that say what a stored reading means: never changed under stored readings."""
VERSIONED = (
    "name",
    "manual",
    "allow_negative",
    "max_value",
    "register_max",
    "register_resolution",
    "ct_ratio",
    "pt_ratio",
    "accuracy_class",
    "calibration_due",
)
"""Attributes a change versions from its effective date (the name, the meter)."""
WRITABLE = ("code", *INTERPRETING, *VERSIONED)

USAGES_OF: dict[str, tuple[str, ...]] = {
    "energy": ("consumption", "raw_material", "export", "production"),
    "medium": ("consumption", "export", "production"),
    "product": ("production",),
    "output_value": ("value",),
    "added_value": ("value",),
}
"""The usages each kind of quantity may have; the first is the default."""
DIMENSIONS_OF: dict[str, tuple[str, ...]] = {
    "product": ("mass", "volume", "count", "energy"),
    "output_value": ("currency",),
    "added_value": ("currency",),
}
"""Unit dimensions of non-energy items (an energy item takes its kind's dimension)."""
USAGE_SUFFIX: dict[str, str] = {
    "consumption": "",
    "raw_material": "_feed",
    "export": "_out",
    "production": "_made",
    "value": "",
}
"""The item-code suffix of each usage of an energy item (docs/items.md); product and value
items take none."""
FENCE_PLACE = "ent"
"""The place part of the codes of fence items."""

_PROCESS = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_PRODUCT = re.compile(r"^[a-z0-9][a-z0-9_]{0,47}$")
_ACCURACY = re.compile(r"^(?:0\.[0-9]{1,2}S?|[0-9](?:\.[0-9])?S?|[A-D])$")
_SERIAL = re.compile(r"^(?P<base>.+?)(?:\.(?P<n>[2-9]|[1-9][0-9]))?$")


def _bad(field: str, message: str, code: str = "invalid_item") -> InvalidInputError:
    return InvalidInputError(f"{field}: {message}", code=code, details={"field": field})


def _choice(values: Mapping[str, Any], field: str, allowed: tuple[str, ...]) -> None:
    if values.get(field) not in allowed:
        raise _bad(field, f"must be one of {', '.join(allowed)}, got {values.get(field)!r}")


def _positive(values: Mapping[str, Any], field: str) -> None:
    value = values.get(field)
    if value is not None and not (isinstance(value, int | float) and value > 0):
        raise _bad(field, f"must be a number above 0, got {value!r}")


def check_item(values: dict[str, Any]) -> dict[str, Any]:
    """`values` (every attribute of an item) checked and normalised; raises
    `InvalidInputError` naming the field, or the catalogue's unit errors."""
    out = dict(values)
    if not (out.get("name") or "").strip():
        raise _bad("name", "must not be empty")
    out["name"] = out["name"].strip()
    _choice(out, "measures", MEASURES)
    measures = out["measures"]
    out["usage"] = out.get("usage") or USAGES_OF[measures][0]
    _choice(out, "usage", USAGES)
    if out["usage"] not in USAGES_OF[measures]:
        raise _bad(
            "usage",
            f"{MEASURE_NAMES_ZH[measures]} ({measures}) items take "
            f"{', '.join(USAGES_OF[measures])}, not {out['usage']!r}",
        )
    out["stage"] = out.get("stage") or "fence"
    _choice(out, "stage", STAGES)
    _choice(out, "period", PERIODS)
    out["value_kind"] = out.get("value_kind") or "interval"
    _choice(out, "value_kind", VALUE_KINDS)
    _check_place(out)
    _check_subject(out)
    for field in ("register_max", "register_resolution", "ct_ratio", "pt_ratio", "max_value"):
        _positive(out, field)
    if out.get("value_kind") != "register" and out.get("register_max") is not None:
        raise _bad("register_max", "only a register (cumulative) item has a register range")
    accuracy = out.get("accuracy_class")
    if accuracy is not None and not _ACCURACY.fullmatch(str(accuracy)):
        raise _bad("accuracy_class", f"{accuracy!r} is not an accuracy class (0.2S, 0.5, 1, 2)")
    due = out.get("calibration_due")
    if due is not None and not isinstance(due, date):
        raise _bad("calibration_due", f"must be a date (YYYY-MM-DD), got {due!r}")
    for flag in ("renewable", "manual", "allow_negative"):
        out[flag] = bool(out.get(flag))
    return out


def _check_place(out: dict[str, Any]) -> None:
    process = out.get("process") or None
    out["process"] = process
    if process is not None and not _PROCESS.fullmatch(process):
        raise _bad("process", f"{process!r} is not a process code (lower-case letters, digits, _)")
    if out["stage"] == "fence" and process is not None:
        raise _bad("process", "a fence item (stage fence) belongs to no process")
    if out["stage"] != "fence" and process is None:
        raise _bad(
            "process",
            f"an item of the stage {STAGE_NAMES_ZH[out['stage']]} ({out['stage']}) "
            "needs its process (工序)",
        )


def _check_subject(out: dict[str, Any]) -> None:
    """The energy kind or product, and a unit of the matching dimension."""
    catalog = get_catalog()
    measures = out["measures"]
    if measures in ("energy", "medium"):
        if not out.get("energy_kind"):
            raise _bad("energy_kind", "an energy item needs its energy kind")
        try:
            kind = catalog.energy_kind(out["energy_kind"])
        except UnknownEnergyKindError as exc:
            raise _bad("energy_kind", str(exc), "unknown_energy_kind") from None
        wanted = "medium" if kind.category == "medium" else "energy"
        if measures != wanted:
            raise _bad("measures", f"{kind.name_zh} ({kind.code}) is measured as {wanted}")
        out["energy_kind"] = kind.code
        dimensions: tuple[str, ...] = (catalog.unit(kind.unit).dimension,)
    else:
        if out.get("energy_kind"):
            raise _bad("energy_kind", f"a {measures} item has no energy kind")
        out["energy_kind"] = None
        dimensions = DIMENSIONS_OF[measures]
    product = out.get("product_code") or None
    if measures == "product":
        if product is None or not _PRODUCT.fullmatch(product):
            raise _bad("product_code", f"a product item needs a product code, got {product!r}")
    elif product is not None:
        raise _bad("product_code", f"a {measures} item has no product")
    out["product_code"] = product
    try:
        unit = catalog.unit(str(out.get("unit") or ""))
    except UnitError as exc:
        raise _bad("unit", str(exc), "unknown_unit") from None
    if unit.dimension not in dimensions:
        raise _bad(
            "unit",
            f"{unit.symbol} measures {unit.dimension}; this item needs {' or '.join(dimensions)}",
            "unit_dimension_mismatch",
        )
    out["unit"] = unit.symbol


def boundary_of(item: Mapping[str, Any]) -> str:
    """The boundary analytics reads: ``enterprise`` at the fence, else the process."""
    return "enterprise" if item["stage"] == "fence" else str(item["process"])


def code_base(item: Mapping[str, Any]) -> str:
    """The code an item's attributes give, before any serial (docs/items.md)."""
    place = FENCE_PLACE if item["stage"] == "fence" else item["process"]
    if item["energy_kind"]:
        return f"{place}.{item['energy_kind']}{USAGE_SUFFIX[item['usage']]}"
    return f"{place}.{item['product_code'] or item['measures']}"


def propose_code(item: Mapping[str, Any], taken: set[str]) -> str:
    """The first code of the scheme for `item` not in `taken`: the base, then .2, .3 ..."""
    base = code_base(item)
    for code in (base, *(f"{base}.{n}" for n in range(2, 100))):
        if code not in taken:
            return code
    raise _bad("code", f"all 99 codes of {base} are taken", "item_code_exhausted")


def check_code(item: Mapping[str, Any], code: str) -> str:
    """`code` if it follows the scheme for `item`; else 422 ``item_code_scheme``."""
    match = _SERIAL.fullmatch(code or "")
    base = code_base(item)
    if match is None or match.group("base") != base:
        raise InvalidInputError(
            f"code: {code!r} does not follow the item-code scheme; for these attributes it "
            f"is {base} (or {base}.2 ... for a further item of the same kind), see "
            "docs/items.md",
            code="item_code_scheme",
            details={"field": "code", "proposed": base},
        )
    return code
