"""Magnesia templates: fused-magnesia plants, light/dead-burning kilns and magnesite mines."""

from __future__ import annotations

from pydantic import model_validator

from nenghao.demo.items import ItemFactory, green_deduction, register_if, value_items
from nenghao.demo.plants.params import Factor, PlantParams, Rate
from nenghao.demo.specs import ItemSpec


class FusedMagnesia(PlantParams):
    """Electric-arc furnaces run at night on the valley tariff."""

    magnesia_t_per_h: Rate
    electricity_kwh_per_t: Rate
    green_electricity_kwh_per_h: Rate
    fence_electricity_register: bool
    fence_electricity_per_furnace: Factor
    loader_diesel_t_per_t: Rate
    heating_coal_t_per_h: Rate


class Kiln(PlantParams):
    """One product line of a kiln plant; ``fuel_per_t`` is in the fuel's metered unit
    (t of coal or coke, m3 of gas) per t of product."""

    magnesia_t_per_h: Rate
    fuel: str
    fuel_per_t: Rate


class MagnesiaKiln(PlantParams):
    """Light-burned and/or dead-burned magnesia; with both, each has its own boundary."""

    light: Kiln | None = None
    dead: Kiln | None = None
    fence_electricity_register: bool
    light_kiln_electricity_kwh_per_t: Rate
    dead_kiln_electricity_kwh_per_t: Rate
    fence_electricity_per_kiln: Factor
    loader_diesel_t_per_h: Rate

    @model_validator(mode="after")
    def _one_line_at_least(self) -> MagnesiaKiln:
        if self.light is None and self.dead is None:
            raise ValueError("a kiln plant needs a light and/or a dead line")
        return self


class MagnesiteMine(PlantParams):
    """An open-pit magnesite mine (GB/T 4754 class 1019)."""

    ore_t_per_h: Rate
    truck_diesel_t_per_t: Rate
    electricity_kwh_per_t: Rate
    fence_electricity_per_mine: Factor


def fused_magnesia(make: ItemFactory, p: FusedMagnesia) -> tuple[ItemSpec, ...]:
    """A fused-magnesia plant; heating coal for the buildings ignores production."""
    t = p.magnesia_t_per_h
    grid_purchase = (
        ("fused_furnace.electricity", p.fence_electricity_per_furnace),
        *green_deduction(p.green_electricity_kwh_per_h),
    )
    return (
        make.product("fused_furnace", "fused_magnesia", t, noise=0.08),
        make.energy("fused_furnace", "electricity", p.electricity_kwh_per_t * t, noise=0.06),
        make.site_total(
            "electricity", grid_purchase, value_kind=register_if(p.fence_electricity_register)
        ),
        make.energy(
            "enterprise", "diesel", p.loader_diesel_t_per_t * t, name="装载机柴油消耗", noise=0.2
        ),
        make.heating_only("raw_coal", p.heating_coal_t_per_h, "采暖锅炉原煤消耗"),
        *make.green_electricity(p.green_electricity_kwh_per_h, "外购绿色电力(风电)"),
        *value_items(),
    )


def magnesia_kiln(make: ItemFactory, p: MagnesiaKiln) -> tuple[ItemSpec, ...]:
    """A kiln plant: per line product, fuel and power; fence meters add up the lines."""
    both = p.light is not None and p.dead is not None
    items: list[ItemSpec] = []
    fence: dict[str, list[tuple[str, float]]] = {}
    for line, product_code, boundary_of_both, kwh_per_t in (
        (p.light, "light_burned_magnesia", "light_kiln", p.light_kiln_electricity_kwh_per_t),
        (p.dead, "dead_burned_magnesia", "dead_kiln", p.dead_kiln_electricity_kwh_per_t),
    ):
        if line is None:
            continue
        t = line.magnesia_t_per_h
        boundary = boundary_of_both if both else "kiln"
        items.append(make.product(boundary, product_code, t, noise=0.05))
        items.append(make.energy(boundary, line.fuel, line.fuel_per_t * t, noise=0.05))
        items.append(make.energy(boundary, "electricity", kwh_per_t * t, noise=0.05))
        fence.setdefault(line.fuel, []).append((f"{boundary}.{line.fuel}", 1.0))
        fence.setdefault("electricity", []).append(
            (f"{boundary}.electricity", p.fence_electricity_per_kiln)
        )
    for kind, derive in sorted(fence.items()):
        register = p.fence_electricity_register and kind == "electricity"
        items.append(make.site_total(kind, tuple(derive), value_kind=register_if(register)))
    items.append(
        make.energy(
            "enterprise", "diesel", p.loader_diesel_t_per_h, name="装载机柴油消耗", noise=0.2
        )
    )
    return (*items, *value_items())


def magnesite_mine(make: ItemFactory, p: MagnesiteMine) -> tuple[ItemSpec, ...]:
    """A mine: trucks on diesel, crushing and pumping on electricity."""
    t = p.ore_t_per_h
    return (
        make.product("mining", "magnesite_ore", t, noise=0.08),
        make.energy(
            "mining", "diesel", p.truck_diesel_t_per_t * t, name="矿用卡车柴油消耗", noise=0.08
        ),
        make.energy("mining", "electricity", p.electricity_kwh_per_t * t, noise=0.06),
        make.site_total("diesel", (("mining.diesel", 1.0),)),
        make.site_total("electricity", (("mining.electricity", p.fence_electricity_per_mine),)),
        *value_items(),
    )
