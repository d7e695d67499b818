"""Fine-chemical template: continuous plants with an annual turnaround."""

from __future__ import annotations

from pydantic import model_validator

from nenghao.demo.items import ItemFactory, register_if, value_items
from nenghao.demo.plants.params import PlantParams, Rate, Share
from nenghao.demo.specs import ItemSpec


class ChemicalPlant(PlantParams):
    """A chemical plant metering its product at the fence.

    ``fuel_per_t`` and ``feedstock_per_t`` are in the kind's metered unit (t of coal or LPG,
    m3 of gas) per t of product; feedstock is energy used as raw material (原料用能).
    """

    product: str
    output_t_per_h: Rate
    electricity_kwh_per_t: Rate
    steam_t_per_t: Rate
    steam_heating_share: Share
    fuel: str | None = None
    fuel_per_t: Rate | None = None
    fuel_meter_register: bool
    feedstock: str | None = None
    feedstock_per_t: Rate | None = None
    fresh_water_t_per_t: Rate

    @model_validator(mode="after")
    def _kind_with_amount(self) -> ChemicalPlant:
        for kind, amount in (("fuel", self.fuel_per_t), ("feedstock", self.feedstock_per_t)):
            if (getattr(self, kind) is None) != (amount is None):
                raise ValueError(f"{kind} and {kind}_per_t go together")
        return self


def chemical_plant(make: ItemFactory, p: ChemicalPlant) -> tuple[ItemSpec, ...]:
    """Power, process steam (partly for heating), optional fuel and feedstock, water."""
    t = p.output_t_per_h
    items = [
        make.product("enterprise", p.product, t, noise=0.04),
        make.energy("enterprise", "electricity", p.electricity_kwh_per_t * t, noise=0.03),
        make.energy(
            "enterprise",
            "steam",
            p.steam_t_per_t * t,
            heating=p.steam_heating_share,
            noise=0.04,
        ),
    ]
    if p.fuel is not None and p.fuel_per_t is not None:
        items.append(
            make.energy(
                "enterprise",
                p.fuel,
                p.fuel_per_t * t,
                noise=0.04,
                value_kind=register_if(p.fuel_meter_register),
            )
        )
    if p.feedstock is not None and p.feedstock_per_t is not None:
        items.append(
            make.energy(
                "enterprise", p.feedstock, p.feedstock_per_t * t, usage="raw_material", noise=0.03
            )
        )
    items.append(make.energy("enterprise", "fresh_water", p.fresh_water_t_per_t * t, noise=0.05))
    return (*items, *value_items())
