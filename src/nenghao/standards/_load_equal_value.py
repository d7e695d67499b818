"""equal_value.toml -> per-year equal-value coefficients and fallbacks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ._reader import DataFile, check_no_overlap
from .models import EnergyKind, Sourced

__all__ = ["EqualValues", "load_equal_values"]


@dataclass(frozen=True)
class EqualValues:
    """Per-year entries (valid_from/valid_to span whole years) and per-kind fallbacks."""

    by_year: dict[str, tuple[Sourced, ...]]
    fallback: dict[str, Sourced]


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
    return EqualValues({k: tuple(v) for k, v in by_year.items()}, fallback)
