"""Coke ovens and the independent coking plant.

The coal charged into the ovens is feedstock (原料用能); the gas made is recovered
(informational). The demo's independent plant is above the GB 21342-2025 limit on purpose.
"""

from __future__ import annotations

from nenghao.demo.items import ItemFactory, value_items
from nenghao.demo.plants.params import Factor, PlantParams, Rate
from nenghao.demo.specs import ItemSpec


class CokeOvens(PlantParams):
    """Coke ovens; the coal charged is feedstock (原料用能), the gas made is recovered."""

    product: str
    coke_t_per_h: Rate
    washed_coal_t_per_t: Rate
    heating_coke_oven_gas_m3_per_t: Rate
    heating_blast_furnace_gas_m3_per_t: Rate | None = None
    electricity_kwh_per_t: Rate
    steam_t_per_t: Rate
    coke_oven_gas_made_m3_per_t: Rate


class CokingPlant(PlantParams):
    """An independent coking plant that sells its coke and surplus gas."""

    coke_ovens: CokeOvens
    fence_electricity_per_ovens: Factor
    coke_oven_gas_out_m3_per_t: Rate
    fresh_water_t_per_t: Rate


def coke_ovens(make: ItemFactory, p: CokeOvens) -> tuple[ItemSpec, ...]:
    """The coking boundary: coke made, coal charged, heating gases, power, steam, gas made."""
    coke = p.coke_t_per_h
    items = [
        make.product("coking", p.product, coke),
        make.energy(
            "coking",
            "washed_coal",
            p.washed_coal_t_per_t * coke,
            usage="raw_material",
            name="炼焦洗精煤投入",
        ),
        make.energy(
            "coking",
            "coke_oven_gas",
            p.heating_coke_oven_gas_m3_per_t * coke,
            name="焦炉加热焦炉煤气消耗",
        ),
    ]
    if p.heating_blast_furnace_gas_m3_per_t is not None:
        items.append(
            make.energy(
                "coking",
                "blast_furnace_gas",
                p.heating_blast_furnace_gas_m3_per_t * coke,
                name="焦炉加热高炉煤气消耗",
            )
        )
    return (
        *items,
        make.energy("coking", "electricity", p.electricity_kwh_per_t * coke),
        make.energy("coking", "steam", p.steam_t_per_t * coke),
        make.energy(
            "coking",
            "coke_oven_gas",
            p.coke_oven_gas_made_m3_per_t * coke,
            usage="production",
            name="焦炉煤气回收量",
        ),
    )


def coking_plant(make: ItemFactory, p: CokingPlant) -> tuple[ItemSpec, ...]:
    """An independent coking plant (the demo's one is above the GB 21342 limit on purpose)."""
    ovens = p.coke_ovens
    coke = ovens.coke_t_per_h
    return (
        *coke_ovens(make, ovens),
        make.site_total("washed_coal", (("coking.washed_coal_feed", 1.0),), noise=0.03),
        make.site_total(
            "electricity", (("coking.electricity", p.fence_electricity_per_ovens),), noise=0.03
        ),
        make.site_total(
            "coke",
            ((f"coking.{ovens.product}", 1.0),),
            noise=0.03,
            usage="export",
            name="焦炭外销",
        ),
        make.energy(
            "enterprise",
            "coke_oven_gas",
            p.coke_oven_gas_out_m3_per_t * coke,
            usage="export",
            name="焦炉煤气外供",
        ),
        make.energy("enterprise", "fresh_water", p.fresh_water_t_per_t * coke),
        *value_items(),
    )
