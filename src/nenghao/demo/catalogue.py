"""The demo city's catalogue: the enterprises of ``data/city.toml`` and the tables other
modules use.

Everything in the city is invented; see the header of the data file and docs/demo.md. The
file is loaded and checked once, when this module is imported.
"""

from __future__ import annotations

from pathlib import Path

from nenghao.demo.city import City, load_city
from nenghao.demo.specs import EnterpriseSpec, ItemSpec, ShutdownRule

CITY_FILE = Path(__file__).parent / "data" / "city.toml"

CITY: City = load_city(CITY_FILE)

ENTERPRISES: tuple[EnterpriseSpec, ...] = CITY.enterprises
"""The demo city: every fictional enterprise, in a fixed order (their ids follow it)."""

SHOWCASE_KEY = CITY.showcase_key
DISTRICT_DIVISION = CITY.district_division

DIVISIONS: dict[str, str] = dict(CITY.divisions)
"""The city's county-level divisions, code -> Chinese name (from ``nenghao.standards``)."""

CLUSTERS: dict[str, str] = dict(CITY.clusters)

ENERGY_UNITS: dict[str, str] = {code: kind.unit for code, kind in CITY.kinds.items()}
"""The energy kinds the demo meters and the physical unit each is metered in."""

MEDIA = frozenset(code for code, kind in CITY.kinds.items() if kind.medium)
"""Energy-carrying media (耗能工质): items of these kinds measure ``medium``."""

SIZING_KGCE: dict[str, float] = {code: kind.sizing_kgce for code, kind in CITY.kinds.items()}
"""kgce per metered unit, used ONLY to size the fictional plants (key-unit level, output
value); from the GB/T 2589 coefficients of ``nenghao.standards``."""


def enterprise(key: str) -> EnterpriseSpec:
    """The demo enterprise with `key`."""
    return CITY.enterprise(key)


def demo_credit_codes() -> frozenset[str]:
    """The credit codes of every demo enterprise (independent of the seed)."""
    return frozenset(spec.credit_code for spec in ENTERPRISES)


__all__ = [
    "CITY",
    "CITY_FILE",
    "CLUSTERS",
    "DISTRICT_DIVISION",
    "DIVISIONS",
    "ENERGY_UNITS",
    "ENTERPRISES",
    "MEDIA",
    "SHOWCASE_KEY",
    "SIZING_KGCE",
    "EnterpriseSpec",
    "ItemSpec",
    "ShutdownRule",
    "demo_credit_codes",
    "enterprise",
]
