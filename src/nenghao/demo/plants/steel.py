"""Steel plants without blast furnaces: electric-arc-furnace plants and deep processing.

Rates are per hour at full activity; ``*_per_t`` figures are per tonne of the product.
"""

from __future__ import annotations

from nenghao.demo.items import ItemFactory, green_deduction, value_items
from nenghao.demo.plants.params import Factor, PlantParams, Rate, Share
from nenghao.demo.specs import ItemSpec


class EafPlant(PlantParams):
    """An electric-arc-furnace steel plant with a rolling mill."""

    product: str
    steel_t_per_h: Rate
    electricity_kwh_per_t: Rate
    oxygen_m3_per_t: Rate
    natural_gas_m3_per_t: Rate
    coke_t_per_t: Rate
    green_electricity_kwh_per_h: Rate
    rolled_t_per_t_steel: Share
    rolling_natural_gas_m3_per_t: Rate
    rolling_electricity_kwh_per_t: Rate
    fence_electricity_per_eaf: Factor
    fence_electricity_per_rolling: Factor
    fresh_water_t_per_t: Rate


class SteelProcessor(PlantParams):
    """A deep-processing line (cold rolling, wire, pipe, coating, sections)."""

    product: str
    output_t_per_h: Rate
    electricity_kwh_per_t: Rate
    natural_gas_m3_per_t: Rate
    fence_electricity_per_line: Factor
    building_heat_gj_per_h: Rate
    fresh_water_t_per_t: Rate


def eaf_plant(make: ItemFactory, p: EafPlant) -> tuple[ItemSpec, ...]:
    """An EAF plant rolling most of its steel; fence meters add up the sub-meters."""
    t = p.steel_t_per_h
    rolled = p.rolled_t_per_t_steel * t
    grid_purchase = (
        ("eaf.electricity", p.fence_electricity_per_eaf),
        ("rolling.electricity", p.fence_electricity_per_rolling),
        *green_deduction(p.green_electricity_kwh_per_h),
    )
    return (
        make.product("eaf", p.product, t, noise=0.05),
        make.energy("eaf", "electricity", p.electricity_kwh_per_t * t, noise=0.05),
        make.energy("eaf", "oxygen", p.oxygen_m3_per_t * t, noise=0.05),
        make.energy("eaf", "natural_gas", p.natural_gas_m3_per_t * t, noise=0.06),
        make.energy("eaf", "coke", p.coke_t_per_t * t, name="电炉增碳焦炭消耗", noise=0.08),
        make.product("rolling", "rolled_steel", rolled),
        make.energy(
            "rolling",
            "natural_gas",
            p.rolling_natural_gas_m3_per_t * rolled,
            name="加热炉天然气消耗",
        ),
        make.energy("rolling", "electricity", p.rolling_electricity_kwh_per_t * rolled),
        make.site_total("electricity", grid_purchase, name="电网购入电量"),
        make.site_total("natural_gas", (("eaf.natural_gas", 1.0), ("rolling.natural_gas", 1.0))),
        make.site_total("coke", (("eaf.coke", 1.0),)),
        make.energy("enterprise", "fresh_water", p.fresh_water_t_per_t * t),
        *make.green_electricity(p.green_electricity_kwh_per_h, "外购绿色电力(光伏)"),
        *value_items(),
    )


def steel_processor(make: ItemFactory, p: SteelProcessor) -> tuple[ItemSpec, ...]:
    """A steel deep-processing plant with heated workshops."""
    t = p.output_t_per_h
    return (
        make.product("processing", p.product, t, noise=0.06),
        make.energy("processing", "electricity", p.electricity_kwh_per_t * t, noise=0.05),
        make.energy(
            "processing", "natural_gas", p.natural_gas_m3_per_t * t, name="退火/加热天然气消耗"
        ),
        make.site_total("electricity", (("processing.electricity", p.fence_electricity_per_line),)),
        make.site_total("natural_gas", (("processing.natural_gas", 1.0),)),
        make.heating_only("heat", p.building_heat_gj_per_h, "外购采暖热力"),
        make.energy("enterprise", "fresh_water", p.fresh_water_t_per_t * t),
        *value_items(),
    )
