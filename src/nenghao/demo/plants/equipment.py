"""Equipment-maker template: day shift, weekends off, heated workshops in winter."""

from __future__ import annotations

from nenghao.demo.items import ItemFactory, green_deduction, register_if, value_items
from nenghao.demo.plants.params import PlantParams, Rate
from nenghao.demo.specs import ItemSpec


class EquipmentMaker(PlantParams):
    """Machining and assembly, optionally a foundry with induction furnaces."""

    electricity_kwh_per_h: Rate
    natural_gas_m3_per_h: Rate
    building_heat_gj_per_h: Rate
    castings_t_per_h: Rate
    green_electricity_kwh_per_h: Rate
    fence_electricity_register: bool
    foundry_electricity_kwh_per_t: Rate
    compressed_air_m3_per_100_kwh: Rate
    electricity_kwh_per_t_fresh_water: Rate


def equipment_maker(make: ItemFactory, p: EquipmentMaker) -> tuple[ItemSpec, ...]:
    """An equipment manufacturer; the site meter adds the foundry when there is one."""
    kwh, castings = p.electricity_kwh_per_h, p.castings_t_per_h
    foundry: tuple[ItemSpec, ...] = ()
    if castings:
        foundry = (
            make.product("foundry", "castings", castings, noise=0.1),
            make.energy(
                "foundry",
                "electricity",
                p.foundry_electricity_kwh_per_t * castings,
                name="中频炉电力消耗",
            ),
        )
    site_electricity = (
        *((("foundry.electricity", 1.0),) if castings else ()),
        *green_deduction(p.green_electricity_kwh_per_h),
    )
    return (
        *foundry,
        make.energy(
            "enterprise",
            "electricity",
            kwh,
            derive=site_electricity,
            value_kind=register_if(p.fence_electricity_register),
            noise=0.05,
        ),
        make.energy(
            "enterprise",
            "natural_gas",
            p.natural_gas_m3_per_h,
            name="热处理/涂装天然气消耗",
            noise=0.08,
        ),
        make.heating_only("heat", p.building_heat_gj_per_h, "外购采暖热力"),
        make.energy(
            "enterprise",
            "compressed_air",
            p.compressed_air_m3_per_100_kwh * kwh / 100,
            noise=0.06,
        ),
        make.energy(
            "enterprise", "fresh_water", kwh / p.electricity_kwh_per_t_fresh_water, noise=0.1
        ),
        *make.green_electricity(p.green_electricity_kwh_per_h, "屋顶光伏自发自用电量"),
        *value_items(),
    )
