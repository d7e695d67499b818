"""units.toml -> a unit table with alias lookup."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import get_args

from ._reader import DataFile
from .errors import UnknownUnitError
from .models import Dimension, Unit

__all__ = ["ANNOTATION_UNITS", "UnitTable", "load_units"]

#: Unit tokens that may appear in Sourced units without being convertible units.
ANNOTATION_UNITS = frozenset({"tCO2", "tC", "1", "%", "year", "flag"})


class UnitTable:
    """Units by canonical symbol, with lookup by alias and case-insensitive spelling."""

    def __init__(self, units: Mapping[str, Unit], base: Mapping[str, str]) -> None:
        self.units: Mapping[str, Unit] = MappingProxyType(dict(units))
        self.base: Mapping[str, str] = MappingProxyType(dict(base))
        exact: dict[str, Unit] = {}
        folded: dict[str, list[Unit]] = {}
        for unit in units.values():
            for spelling in (unit.symbol, *unit.aliases):
                exact[spelling] = unit
                folded.setdefault(spelling.casefold(), []).append(unit)
        self._exact = exact
        self._folded = folded

    def find(self, symbol: str) -> Unit | None:
        """The unit spelled ``symbol`` (exact, then unambiguous case-insensitive), or None."""
        text = symbol.strip()
        unit = self._exact.get(text) or self._exact.get(text.replace(" ", ""))
        if unit is not None:
            return unit
        candidates = {u.symbol: u for u in self._folded.get(text.casefold(), [])}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        return None

    def get(self, symbol: str) -> Unit:
        """The unit spelled ``symbol``; :class:`UnknownUnitError` if there is none."""
        unit = self.find(symbol)
        if unit is None:
            examples = ", ".join(list(self.units)[:12])
            raise UnknownUnitError(f"unknown unit {symbol!r}; known units include {examples} ...")
        return unit

    def is_valid_expression(self, expression: str) -> bool:
        """Whether ``expression`` is ``a`` or ``a/b`` of known units or annotation tokens."""
        parts = expression.split("/")
        if not 1 <= len(parts) <= 2:
            return False
        return all(part in ANNOTATION_UNITS or self.find(part) is not None for part in parts)


def load_units(directory: Path) -> UnitTable:
    """Load and validate units.toml."""
    data_file = DataFile(directory, "units.toml")
    data = data_file.load()
    dimensions = data_file.table("dimensions", data.get("dimensions"))
    known_dimensions = set(get_args(Dimension))
    for dimension in dimensions:
        if dimension not in known_dimensions:
            raise data_file.error("dimensions", f"unknown dimension {dimension!r}")
    units: dict[str, Unit] = {}
    seen: dict[str, str] = {}
    for index, raw in enumerate(data_file.tables("unit", data.get("unit"))):
        entry = str(raw.get("symbol", f"unit[{index}]"))
        unit = data_file.build(Unit, entry, raw)
        if not unit.factor > 0:
            raise data_file.error(entry, "factor must be > 0")
        if unit.dimension not in dimensions:
            raise data_file.error(entry, f"dimension {unit.dimension!r} has no base unit")
        for spelling in (unit.symbol, *unit.aliases):
            if spelling in seen:
                raise data_file.error(
                    entry, f"spelling {spelling!r} is already used by unit '{seen[spelling]}'"
                )
            seen[spelling] = unit.symbol
        units[unit.symbol] = unit
    for dimension, symbol in dimensions.items():
        base = units.get(str(symbol))
        if base is None or base.dimension != dimension:
            raise data_file.error(
                "dimensions", f"base unit {symbol!r} of {dimension} is not defined"
            )
        if base.factor != 1.0:
            raise data_file.error(str(symbol), "the base unit of a dimension must have factor 1")
    return UnitTable(units, {str(k): str(v) for k, v in dimensions.items()})
