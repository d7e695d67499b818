"""policy.toml -> Policy."""

from __future__ import annotations

from pathlib import Path

from ._reader import DataFile
from .models import Policy, Sourced

__all__ = ["load_policy"]

_THRESHOLDS = {
    "key_unit_threshold": "tce",
    "key_unit_designated_threshold": "tce",
    "review_provincial_threshold": "tce",
    "review_report_exempt_energy": "tce",
    "review_report_exempt_electricity": "kWh",
}


def load_policy(directory: Path) -> Policy:
    """Load and validate policy.toml."""
    data_file = DataFile(directory, "policy.toml")
    data = data_file.load()
    values: dict[str, Sourced] = {}
    for name, unit in _THRESHOLDS.items():
        value = data_file.build(Sourced, name, data_file.table(name, data.get(name)))
        if value.unit != unit:
            raise data_file.error(name, f"unit must be {unit!r}, got {value.unit!r}")
        if not value.value > 0:
            raise data_file.error(name, "value must be > 0")
        values[name] = value
    base = data_file.build(
        Sourced,
        "renewable_base_year",
        data_file.table("renewable_base_year", data.get("renewable_base_year")),
    )
    if base.unit != "year" or not base.value.is_integer():
        raise data_file.error("renewable_base_year", "must be a whole year with unit 'year'")
    basis = data_file.table("review_electricity_basis", data.get("review_electricity_basis"))
    return data_file.build(
        Policy,
        "policy",
        {
            **values,
            "renewable_base_year": int(base.value),
            "renewable_base_year_source": base,
            "review_electricity_basis": basis.get("basis"),
            "review_electricity_basis_source": basis.get("source", ""),
        },
    )
