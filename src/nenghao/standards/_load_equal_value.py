"""equal_value.toml -> per-year equal-value coefficients and fallbacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from ._reader import DataFile, check_no_overlap
from .models import EnergyKind, Sourced

__all__ = ["EQUAL_VALUE_ORIGINS", "EqualValue", "EqualValues", "load_equal_values"]

EqualValueOrigin = Literal["administrator", "published", "fallback"]
#: Where an equal-value coefficient comes from, in order of precedence.
EQUAL_VALUE_ORIGINS: tuple[EqualValueOrigin, ...] = ("administrator", "published", "fallback")


class EqualValue(Sourced):
    """An equal-value coefficient saying which of :data:`EQUAL_VALUE_ORIGINS` it is."""

    origin: EqualValueOrigin


@dataclass(frozen=True)
class EqualValues:
    """Per-year entries (valid_from/valid_to span whole years) and per-kind fallbacks.

    ``overrides`` are the values an administrator set (kept in the database, handed in by
    the caller); they take precedence over the packaged per-year entries.
    """

    by_year: dict[str, tuple[Sourced, ...]]
    fallback: dict[str, Sourced]
    admin_range: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Per kind, the (min, max) an administrator's value must lie in."""
    overrides: dict[str, tuple[Sourced, ...]] = field(default_factory=dict)


def _check(
    data_file: DataFile, entry: str, code: str, value: Sourced, kinds: dict[str, EnergyKind]
) -> None:
    kind = kinds.get(code)
    if kind is None:
        raise data_file.error(entry, f"energy {code!r} is not an energy kind")
    if value.unit != f"kgce/{kind.unit}":
        raise data_file.error(entry, f"unit must be 'kgce/{kind.unit}', got {value.unit!r}")
    if not value.value > 0:
        raise data_file.error(entry, "coefficient must be > 0")


def load_equal_values(directory: Path, kinds: dict[str, EnergyKind]) -> EqualValues:
    """Load and validate equal_value.toml."""
    data_file = DataFile(directory, "equal_value.toml")
    data = data_file.load()
    by_year: dict[str, list[Sourced]] = {}
    for index, raw in enumerate(data_file.tables("coefficient", data.get("coefficient"))):
        raw = dict(raw)
        code = str(raw.pop("energy", ""))
        year_from, year_to = raw.pop("year_from", None), raw.pop("year_to", None)
        entry = f"coefficient {code} {year_from}"
        if not isinstance(year_from, int) or not isinstance(year_to, int) or year_to < year_from:
            raise data_file.error(entry, f"year_from/year_to must be years, index {index}")
        value = data_file.build(
            Sourced,
            entry,
            {**raw, "valid_from": date(year_from, 1, 1), "valid_to": date(year_to, 12, 31)},
        )
        _check(data_file, entry, code, value, kinds)
        by_year.setdefault(code, []).append(value)
    for code, values in by_year.items():
        check_no_overlap(
            data_file,
            code,
            [(f"coefficient {code} {v.valid_from}", v.valid_from, v.valid_to) for v in values],
        )
    fallback: dict[str, Sourced] = {}
    for code, raw in data_file.table("fallback", data.get("fallback", {})).items():
        entry = f"fallback.{code}"
        value = data_file.build(Sourced, entry, data_file.table(entry, raw))
        _check(data_file, entry, code, value, kinds)
        fallback[code] = value
    return EqualValues(
        {k: tuple(v) for k, v in by_year.items()}, fallback, _ranges(data_file, data, kinds)
    )


def _ranges(
    data_file: DataFile, data: dict[str, object], kinds: dict[str, EnergyKind]
) -> dict[str, tuple[float, float]]:
    ranges: dict[str, tuple[float, float]] = {}
    for code, raw in data_file.table("admin_range", data.get("admin_range", {})).items():
        entry = f"admin_range.{code}"
        bounds = data_file.table(entry, raw)
        low, high = bounds.get("min"), bounds.get("max")
        if code not in kinds:
            raise data_file.error(entry, f"energy {code!r} is not an energy kind")
        if (
            not isinstance(low, float | int)
            or not isinstance(high, float | int)
            or not (0 < low < high)
        ):
            raise data_file.error(entry, "min and max must be numbers with 0 < min < max")
        ranges[code] = (float(low), float(high))
    return ranges
