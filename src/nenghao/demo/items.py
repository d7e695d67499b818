"""Building the data items of a plant: codes, names and units from one vocabulary.

Item codes are ``<boundary prefix>.<what>`` (``ent.`` for the enterprise boundary). Energy
items are named from the boundary, the catalogue's Chinese name of the kind and the usage
(``烧结电力消耗``), and metered in the unit the city meters the kind in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from nenghao.demo.metering import MeteredKind
from nenghao.demo.specs import ItemSpec

T = TypeVar("T")

Derive = tuple[tuple[str, float], ...]
"""Other items (by code) an item adds up, each times its factor."""

USAGE_SUFFIX: dict[str, str] = {
    "consumption": "",
    "raw_material": "_feed",
    "export": "_out",
    "production": "_made",
}
"""The item-code suffix of each energy usage."""

USAGE_ZH: dict[str, str] = {
    "consumption": "消耗",
    "raw_material": "原料用量",
    "export": "外供",
    "production": "产量",
}


GREEN_ELECTRICITY = "ent.green_electricity"
"""The code of renewable electricity bought or self-generated at the fence."""


def green_deduction(rate: float) -> Derive:
    """The grid purchase deducts green electricity when the plant has any."""
    return ((GREEN_ELECTRICITY, -1.0),) if rate else ()


def register_if(register: bool) -> str:
    """The ``value_kind`` of a meter read as a cumulative register or as interval values."""
    return "register" if register else "interval"


def value_items() -> tuple[ItemSpec, ItemSpec]:
    """The monthly output-value and added-value filings [万元] (sized at generation time)."""
    return (
        _value_item("ent.output_value", "工业总产值", "output_value", noise=0.03),
        _value_item("ent.added_value", "工业增加值", "added_value", noise=0.05),
    )


def _value_item(code: str, name: str, measures: str, *, noise: float) -> ItemSpec:
    return ItemSpec(
        code=code,
        name=name,
        measures=measures,
        usage="value",
        unit="万元",
        period="month",
        noise=noise,
    )


@dataclass(frozen=True)
class ItemFactory:
    """Makes the items of the plant templates from the city's vocabulary.

    Unknown kinds, boundaries and products raise KeyError naming the missing entry.
    """

    kinds: Mapping[str, MeteredKind]
    boundaries: Mapping[str, str]
    """Boundary code -> Chinese name (``sintering`` -> 烧结)."""
    products: Mapping[str, str]
    """Product code -> Chinese name (``sinter`` -> 烧结矿)."""

    def energy(
        self,
        boundary: str,
        kind: str,
        rate: float,
        *,
        usage: str = "consumption",
        code: str | None = None,
        name: str | None = None,
        noise: float = 0.03,
        heating: float = 0.0,
        follows: bool = True,
        derive: Derive = (),
        floor: float = 0.0,
        renewable: bool = False,
        value_kind: str = "interval",
    ) -> ItemSpec:
        """An energy (or energy-carrying medium) item; `rate` [metered unit per hour]."""
        metered = _lookup(self.kinds, kind, "energy kind", "metering.units")
        boundary_name = _lookup(self.boundaries, boundary, "boundary", "boundaries")
        return ItemSpec(
            code=code or f"{_prefix(boundary)}.{kind}{USAGE_SUFFIX[usage]}",
            name=name or f"{boundary_name}{metered.name_zh}{USAGE_ZH[usage]}",
            measures="medium" if metered.medium else "energy",
            usage=usage,
            unit=metered.unit,
            boundary=boundary,
            energy_kind=kind,
            rate=rate,
            renewable=renewable,
            value_kind=value_kind,
            heating_value=metered.heating_value,
            heating_value_unit=metered.heating_value_unit,
            noise=noise,
            heating=heating,
            follows=follows,
            derive=derive,
            floor=floor,
        )

    def site_total(
        self,
        kind: str,
        derive: Derive,
        *,
        noise: float = 0.01,
        usage: str = "consumption",
        name: str | None = None,
        value_kind: str = "interval",
        floor: float = 0.0,
    ) -> ItemSpec:
        """A fence meter that reads what other items add up to, each times its factor
        (sub-meters times losses, minus own supply ...)."""
        return self.energy(
            "enterprise",
            kind,
            0.0,
            usage=usage,
            name=name,
            noise=noise,
            derive=derive,
            floor=floor,
            value_kind=value_kind,
        )

    def heating_only(self, kind: str, rate: float, name: str) -> ItemSpec:
        """Energy for heating buildings: follows the heating demand, not production;
        `rate` [metered unit per hour] at full heating demand."""
        return self.energy("enterprise", kind, rate, heating=1.0, follows=False, name=name)

    def green_electricity(self, rate: float, name: str) -> tuple[ItemSpec, ...]:
        """Renewable electricity at the fence, `rate` [kWh/h]; no item when `rate` is 0."""
        if not rate:
            return ()
        item = self.energy(
            "enterprise",
            "electricity",
            rate,
            code=GREEN_ELECTRICITY,
            name=name,
            renewable=True,
            noise=0.4,
        )
        return (item,)

    def product(
        self, boundary: str, product_code: str, rate: float, noise: float = 0.025
    ) -> ItemSpec:
        """An hourly product-output item; `rate` [t/h]."""
        product_name = _lookup(self.products, product_code, "product", "products")
        _lookup(self.boundaries, boundary, "boundary", "boundaries")
        return ItemSpec(
            code=f"{_prefix(boundary)}.{product_code}",
            name=f"{product_name}产量",
            measures="product",
            usage="production",
            unit="t",
            boundary=boundary,
            product_code=product_code,
            rate=rate,
            noise=noise,
        )


def _prefix(boundary: str) -> str:
    return "ent" if boundary == "enterprise" else boundary


def _lookup(table: Mapping[str, T], key: str, what: str, section: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise KeyError(f"unknown {what} {key!r} (not in [{section}])") from None
