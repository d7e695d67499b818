"""District-heating template: coal-fired plants that follow the heating season."""

from __future__ import annotations

from nenghao.demo.items import ItemFactory, value_items
from nenghao.demo.plants.params import PlantParams, Rate, Share
from nenghao.demo.specs import ItemSpec


class HeatPlant(PlantParams):
    """Coal burnt at the coldest hour sizes everything; hot water only outside Nov-Mar."""

    peak_coal_t_per_h: Rate
    coal_heating_share: Share
    electricity_kwh_per_t_coal: Rate
    electricity_heating_share: Share
    fresh_water_t_per_t_coal: Rate
    fresh_water_heating_share: Share
    heat_out_gj_per_t_coal: Rate


def heat_plant(make: ItemFactory, p: HeatPlant) -> tuple[ItemSpec, ...]:
    """Coal, power and water follow the heating demand; heat sold follows the coal burnt."""
    coal = p.peak_coal_t_per_h
    return (
        make.energy(
            "enterprise", "raw_coal", coal, heating=p.coal_heating_share, follows=False, noise=0.04
        ),
        make.energy(
            "enterprise",
            "electricity",
            p.electricity_kwh_per_t_coal * coal,
            heating=p.electricity_heating_share,
            follows=False,
        ),
        make.energy(
            "enterprise",
            "fresh_water",
            p.fresh_water_t_per_t_coal * coal,
            heating=p.fresh_water_heating_share,
            follows=False,
        ),
        make.site_total(
            "heat",
            (("ent.raw_coal", p.heat_out_gj_per_t_coal),),
            noise=0.02,
            usage="export",
            name="供热量",
        ),
        *value_items(),
    )
