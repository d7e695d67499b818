"""energy_kinds.toml -> EnergyKind by code."""

from __future__ import annotations

import re
from pathlib import Path

from ._load_units import UnitTable
from ._reader import DataFile
from .models import EnergyKind

__all__ = ["KGCE_KJ", "load_energy_kinds"]

#: 1 kgce = 29 307.6 kJ low heating value (GB/T 2589-2020, definition of kgce).
KGCE_KJ = 29307.6

#: Allowed relative gap between a tabulated coefficient and heating value / 29 307.6 kJ.
#: The GB/T 2589 tables round and some values derive from older kcal figures (~0.2 %).
_CONSISTENCY = 0.01

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_MEASURABLE = {"mass", "volume", "energy"}


def load_energy_kinds(directory: Path, units: UnitTable) -> dict[str, EnergyKind]:
    """Load and validate energy_kinds.toml."""
    data_file = DataFile(directory, "energy_kinds.toml")
    data = data_file.load()
    kinds: dict[str, EnergyKind] = {}
    names: dict[str, str] = {}
    for code, raw in data.items():
        table = data_file.table(code, raw)
        if not _CODE.match(code):
            raise data_file.error(code, "code must be lower_snake_case")
        kind = data_file.build(EnergyKind, code, {"code": code, **table})
        _check_kind(data_file, kind, units)
        for folded in {
            n.casefold() for n in (kind.code, kind.name_zh, kind.name_en, *kind.aliases)
        }:
            if folded in names:
                raise data_file.error(code, f"name {folded!r} is already used by '{names[folded]}'")
            names[folded] = code
        kinds[code] = kind
    if not kinds:
        raise data_file.error(None, "no energy kinds defined")
    return kinds


def _check_kind(data_file: DataFile, kind: EnergyKind, units: UnitTable) -> None:
    entry = kind.code
    unit = units.units.get(kind.unit)
    if unit is None:
        raise data_file.error(entry, f"unit {kind.unit!r} is not a canonical unit symbol")
    if unit.dimension not in _MEASURABLE:
        raise data_file.error(entry, f"unit {kind.unit!r} is {unit.dimension}, not a quantity")
    coefficient = kind.coefficient
    if not coefficient.value > 0:
        raise data_file.error(entry, "coefficient must be > 0")
    if coefficient.unit != f"kgce/{kind.unit}":
        raise data_file.error(
            entry, f"coefficient unit must be 'kgce/{kind.unit}', got {coefficient.unit!r}"
        )
    low, high = kind.coefficient_min, kind.coefficient_max
    if (low is None) != (high is None):
        raise data_file.error(entry, "coefficient_min and coefficient_max go together")
    if low is not None and high is not None and not low <= coefficient.value <= high:
        raise data_file.error(entry, "coefficient must lie within coefficient_min..max")
    heating = kind.heating_value
    if heating is None:
        return
    if not heating.value > 0:
        raise data_file.error(entry, "heating_value must be > 0")
    if heating.unit != f"kJ/{kind.unit}":
        raise data_file.error(
            entry, f"heating_value unit must be 'kJ/{kind.unit}', got {heating.unit!r}"
        )
    derived = heating.value / KGCE_KJ
    if abs(derived - coefficient.value) > _CONSISTENCY * coefficient.value:
        raise data_file.error(
            entry,
            f"coefficient {coefficient.value:g} does not match heating value "
            f"{heating.value:g} kJ / {KGCE_KJ} kJ = {derived:.4f}",
        )
