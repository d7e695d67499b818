"""The energy kinds the demo city meters, described from the standards catalogue.

The city file says only which unit each kind is metered in and which by-product gases carry a
measured heating value; names, categories, heating values and coefficients come from
``nenghao.standards`` and conversions from ``nenghao.accounting``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nenghao.accounting import to_standard_coal
from nenghao.accounting.heating_value import heating_value_per_canonical
from nenghao.accounting.units import convert
from nenghao.standards import Catalog, UnitError

SIZING_DECIMALS = 4
"""Sizing coefficients keep the four decimals of the GB/T 2589-2020 reference coefficients."""


@dataclass(frozen=True)
class MeteredKind:
    """An energy kind (or energy-carrying medium) as the demo's meters read it."""

    code: str
    name_zh: str
    unit: str
    """The physical unit the demo meters it in (t, m3, kWh, GJ)."""
    medium: bool
    """An energy-carrying medium (耗能工质, GB/T 2589 category ``medium``)."""
    heating_value: float | None
    """The measured low heating value [kJ per ``unit``], for by-product gases only."""
    heating_value_unit: str | None
    sizing_kgce: float
    """kgce per metered unit, used ONLY to size the fictional plants (key-unit level, output
    value); the platform's own accounting converts every reading itself."""


def metered_kinds(
    units: Mapping[str, str], heating_value_kinds: Iterable[str], catalog: Catalog
) -> dict[str, MeteredKind]:
    """Describe each kind of `units` (code -> metered unit) from `catalog`.

    Kinds in `heating_value_kinds` carry a measured heating value: the catalogue's default
    (GB/T 32151.5 for the steel works' gases), expressed per metered unit.

    Raises
    ------
    ValueError
        An unknown kind, a unit of the wrong dimension for the kind, or a measured heating
        value asked for a kind that has no default one; the message names the kind.
    """
    measured = set(heating_value_kinds)
    unknown = sorted(measured - set(units))
    if unknown:
        raise ValueError(f"heating_value_kinds {unknown} are not in metering.units")
    return {
        code: _metered_kind(code, unit, code in measured, catalog) for code, unit in units.items()
    }


def _metered_kind(code: str, unit: str, measured: bool, catalog: Catalog) -> MeteredKind:
    kind = catalog.energy_kinds.get(code)
    if kind is None:
        raise ValueError(f"{code}: not an energy kind of the standards catalogue")
    try:
        per_metered_unit = convert(1.0, unit, kind.unit, catalog=catalog)
    except UnitError as exc:
        raise ValueError(f"{code}: metered in {unit!r}: {exc}") from exc
    heating_value: float | None = None
    heating_value_unit: str | None = None
    if measured:
        default = kind.carbon.heating_value if kind.carbon else None
        if default is None:
            raise ValueError(f"{code}: the catalogue has no default heating value to meter")
        canonical = heating_value_per_canonical(default.value, default.unit, kind, catalog=catalog)
        heating_value = canonical * per_metered_unit
        heating_value_unit = f"kJ/{unit}"
    coal = to_standard_coal(
        1.0,
        unit,
        kind,
        heating_value=heating_value,
        heating_value_unit=heating_value_unit,
        catalog=catalog,
    )
    return MeteredKind(
        code=code,
        name_zh=kind.name_zh,
        unit=unit,
        medium=kind.category == "medium",
        heating_value=heating_value,
        heating_value_unit=heating_value_unit,
        sizing_kgce=round(coal.kgce, SIZING_DECIMALS),
    )
