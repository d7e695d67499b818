"""The integrated steel works: sintering to hot rolling, a captive power plant and the fence.

Rates are per hour at full activity; ``*_per_t`` figures are per tonne of the process's
product. Magnitudes put process unit-product consumption near the GB 21256-2025 levels
(see docs/demo.md).
"""

from __future__ import annotations

from nenghao.demo.items import GREEN_ELECTRICITY, ItemFactory, value_items
from nenghao.demo.plants.coking import CokeOvens, coke_ovens
from nenghao.demo.plants.params import Factor, PlantParams, Rate, Share
from nenghao.demo.specs import ItemSpec


class Sintering(PlantParams):
    """Sinter strand (~48.6 kgce/t; GB 21256-2025 L2 46, L3 52)."""

    sinter_t_per_h: Rate
    coke_breeze_t_per_t: Rate
    electricity_kwh_per_t: Rate
    ignition_coke_oven_gas_m3_per_t: Rate


class Pelletizing(PlantParams):
    """Pellet plant (~19 kgce/t; L1 15, L2 22)."""

    pellet_t_per_h: Rate
    coke_oven_gas_m3_per_t: Rate
    electricity_kwh_per_t: Rate


class BlastFurnace(PlantParams):
    """Blast furnaces (~378 kgce/t; L2 370, L3 415) with TRT top-gas power recovery."""

    hot_metal_t_per_h: Rate
    coke_t_per_t: Rate
    injection_coal_t_per_t: Rate
    stove_blast_furnace_gas_m3_per_t: Rate
    electricity_kwh_per_t: Rate
    oxygen_m3_per_t: Rate
    blast_furnace_gas_out_m3_per_t: Rate
    trt_electricity_out_kwh_per_t: Rate


class Converter(PlantParams):
    """Converters (~ -16 kgce/t; L2 -28, L3 -12): gas and steam recovered exceed the use."""

    steel_t_per_h: Rate
    electricity_kwh_per_t: Rate
    oxygen_m3_per_t: Rate
    coke_oven_gas_m3_per_t: Rate
    converter_gas_out_m3_per_t: Rate
    steam_out_t_per_t: Rate


class HotRolling(PlantParams):
    """Hot strip mill (~50 kgce/t), reheating furnaces on by-product gases."""

    rolled_t_per_h: Rate
    coke_oven_gas_m3_per_t: Rate
    blast_furnace_gas_m3_per_t: Rate
    electricity_kwh_per_t: Rate
    steam_t_per_t: Rate


class PowerPlant(PlantParams):
    """Captive power plant burning the surplus by-product gases."""

    blast_furnace_gas_m3_per_h: Rate
    coke_oven_gas_m3_per_h: Rate
    converter_gas_m3_per_h: Rate
    electricity_out_kwh_per_h: Rate
    steam_out_t_per_h: Rate


class WorksFence(PlantParams):
    """What crosses the integrated works' fence besides the process feeds."""

    purchased_coke_t_per_h: Rate
    natural_gas_m3_per_h: Rate
    grid_electricity_per_process_kwh: Factor
    grid_electricity_floor_kwh_per_h: Rate
    green_electricity_kwh_per_h: Rate
    diesel_t_per_h: Rate
    fresh_water_t_per_h: Rate
    electricity_out_kwh_per_h: Rate
    city_steam_out_t_per_h: Rate
    city_steam_heating_share: Share
    coke_oven_gas_out_m3_per_h: Rate


class IntegratedSteel(PlantParams):
    """The integrated works, process by process."""

    sintering: Sintering
    pelletizing: Pelletizing
    coke_ovens: CokeOvens
    blast_furnace: BlastFurnace
    converter: Converter
    rolling: HotRolling
    power_plant: PowerPlant
    fence: WorksFence


def integrated_steel(make: ItemFactory, p: IntegratedSteel) -> tuple[ItemSpec, ...]:
    """The integrated works: sintering to rolling, a captive power plant and the fence."""
    return (
        *_sintering_and_pellets(make, p.sintering, p.pelletizing),
        *coke_ovens(make, p.coke_ovens),
        *_blast_furnace(make, p.blast_furnace),
        *_converter(make, p.converter),
        *_hot_rolling(make, p.rolling),
        *_power_plant(make, p.power_plant),
        *_works_fence(make, p.fence),
        *value_items(),
    )


def _sintering_and_pellets(
    make: ItemFactory, s: Sintering, pel: Pelletizing
) -> tuple[ItemSpec, ...]:
    sinter, pellet = s.sinter_t_per_h, pel.pellet_t_per_h
    return (
        make.product("sintering", "sinter", sinter),
        make.energy("sintering", "coke", s.coke_breeze_t_per_t * sinter, name="烧结焦粉消耗"),
        make.energy("sintering", "electricity", s.electricity_kwh_per_t * sinter),
        make.energy(
            "sintering",
            "coke_oven_gas",
            s.ignition_coke_oven_gas_m3_per_t * sinter,
            name="烧结点火焦炉煤气消耗",
        ),
        make.product("pelletizing", "pellet", pellet),
        make.energy("pelletizing", "coke_oven_gas", pel.coke_oven_gas_m3_per_t * pellet),
        make.energy("pelletizing", "electricity", pel.electricity_kwh_per_t * pellet),
    )


def _blast_furnace(make: ItemFactory, b: BlastFurnace) -> tuple[ItemSpec, ...]:
    hm = b.hot_metal_t_per_h
    return (
        make.product("blast_furnace", "hot_metal", hm),
        make.energy("blast_furnace", "coke", b.coke_t_per_t * hm, name="高炉入炉焦炭消耗"),
        make.energy(
            "blast_furnace", "raw_coal", b.injection_coal_t_per_t * hm, name="高炉喷吹煤消耗"
        ),
        make.energy(
            "blast_furnace",
            "blast_furnace_gas",
            b.stove_blast_furnace_gas_m3_per_t * hm,
            name="热风炉高炉煤气消耗",
        ),
        make.energy("blast_furnace", "electricity", b.electricity_kwh_per_t * hm),
        make.energy("blast_furnace", "oxygen", b.oxygen_m3_per_t * hm, name="高炉富氧消耗"),
        make.energy(
            "blast_furnace",
            "blast_furnace_gas",
            b.blast_furnace_gas_out_m3_per_t * hm,
            usage="export",
            name="高炉煤气回收外送",
        ),
        make.energy(
            "blast_furnace",
            "electricity",
            b.trt_electricity_out_kwh_per_t * hm,
            usage="export",
            code="blast_furnace.trt_electricity_out",
            name="TRT余压发电外送",
        ),
    )


def _converter(make: ItemFactory, c: Converter) -> tuple[ItemSpec, ...]:
    steel = c.steel_t_per_h
    return (
        make.product("converter", "converter_steel", steel),
        make.energy("converter", "electricity", c.electricity_kwh_per_t * steel),
        make.energy("converter", "oxygen", c.oxygen_m3_per_t * steel),
        make.energy(
            "converter",
            "coke_oven_gas",
            c.coke_oven_gas_m3_per_t * steel,
            name="转炉烘烤焦炉煤气消耗",
        ),
        make.energy(
            "converter",
            "converter_gas",
            c.converter_gas_out_m3_per_t * steel,
            usage="export",
            name="转炉煤气回收外送",
        ),
        make.energy(
            "converter",
            "steam",
            c.steam_out_t_per_t * steel,
            usage="export",
            name="转炉余热蒸汽回收外送",
        ),
    )


def _hot_rolling(make: ItemFactory, r: HotRolling) -> tuple[ItemSpec, ...]:
    rolled = r.rolled_t_per_h
    return (
        make.product("rolling", "rolled_steel", rolled),
        make.energy(
            "rolling", "coke_oven_gas", r.coke_oven_gas_m3_per_t * rolled, name="加热炉焦炉煤气消耗"
        ),
        make.energy(
            "rolling",
            "blast_furnace_gas",
            r.blast_furnace_gas_m3_per_t * rolled,
            name="加热炉高炉煤气消耗",
        ),
        make.energy("rolling", "electricity", r.electricity_kwh_per_t * rolled),
        make.energy("rolling", "steam", r.steam_t_per_t * rolled),
    )


def _power_plant(make: ItemFactory, pp: PowerPlant) -> tuple[ItemSpec, ...]:
    return (
        make.energy(
            "power_plant",
            "blast_furnace_gas",
            pp.blast_furnace_gas_m3_per_h,
            name="电厂高炉煤气消耗",
        ),
        make.energy(
            "power_plant", "coke_oven_gas", pp.coke_oven_gas_m3_per_h, name="电厂焦炉煤气消耗"
        ),
        make.energy(
            "power_plant", "converter_gas", pp.converter_gas_m3_per_h, name="电厂转炉煤气消耗"
        ),
        make.energy(
            "power_plant",
            "electricity",
            pp.electricity_out_kwh_per_h,
            usage="export",
            name="自备电厂发电量",
        ),
        make.energy(
            "power_plant", "steam", pp.steam_out_t_per_h, usage="export", name="自备电厂供汽量"
        ),
    )


_PROCESS_ELECTRICITY = (
    "sintering.electricity",
    "pelletizing.electricity",
    "coking.electricity",
    "blast_furnace.electricity",
    "converter.electricity",
    "rolling.electricity",
)


def _works_fence(make: ItemFactory, f: WorksFence) -> tuple[ItemSpec, ...]:
    per_process = f.grid_electricity_per_process_kwh
    grid_purchase = (
        *((code, per_process) for code in _PROCESS_ELECTRICITY),
        ("power_plant.electricity_out", -1.0),
        ("blast_furnace.trt_electricity_out", -1.0),
        (GREEN_ELECTRICITY, -1.0),
        ("ent.electricity_out", 1.0),
    )
    return (
        make.site_total("washed_coal", (("coking.washed_coal_feed", 1.0),), noise=0.03),
        make.site_total("raw_coal", (("blast_furnace.raw_coal", 1.0),), noise=0.03),
        make.energy("enterprise", "coke", f.purchased_coke_t_per_h, name="外购焦炭", noise=0.15),
        make.energy("enterprise", "natural_gas", f.natural_gas_m3_per_h),
        make.site_total(
            "electricity",
            grid_purchase,
            noise=0.03,
            name="电网购入电量",
            floor=f.grid_electricity_floor_kwh_per_h,
        ),
        make.energy(
            "enterprise",
            "electricity",
            f.green_electricity_kwh_per_h,
            code=GREEN_ELECTRICITY,
            name="外购绿色电力(风电)",
            renewable=True,
            noise=0.35,
        ),
        make.energy("enterprise", "diesel", f.diesel_t_per_h, noise=0.1),
        make.energy("enterprise", "fresh_water", f.fresh_water_t_per_h),
        make.energy(
            "enterprise",
            "electricity",
            f.electricity_out_kwh_per_h,
            usage="export",
            name="转供园区电量",
        ),
        make.energy(
            "enterprise",
            "steam",
            f.city_steam_out_t_per_h,
            usage="export",
            name="城市供暖蒸汽外供",
            heating=f.city_steam_heating_share,
            follows=False,
        ),
        make.energy(
            "enterprise",
            "coke_oven_gas",
            f.coke_oven_gas_out_m3_per_h,
            usage="export",
            name="焦炉煤气外供化工",
        ),
    )
