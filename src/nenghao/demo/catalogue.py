"""The fictional enterprises of the demo city and the data items each one meters.

Everything here is invented: names, credit codes, capacities. Magnitudes are chosen so that
the unit-product consumption of each process lands near the quota levels of
GB 21256-2025 / GB 21342-2025 (and the local magnesia placeholders), with a few plants above
the limit on purpose.

Boundary convention
-------------------
Items with ``boundary="enterprise"`` describe what crosses the enterprise fence (purchases,
energy leaving the site, the whole-site meters); the enterprise's comprehensive consumption
uses these items only. Items with a process boundary (``sintering``, ``blast_furnace``, ...)
are sub-meters inside the fence, used for process unit-product consumption; within a process
boundary, ``usage="export"`` is energy recovered and sent out of that process (blast-furnace
gas, converter gas, recovered steam), which GB 21256 deducts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from nenghao.store.credit_code import CHARSET, make_credit_code

DIVISIONS: dict[str, str] = {
    "210302": "铁东区",
    "210303": "铁西区",
    "210304": "立山区",
    "210311": "千山区",
    "210321": "台安县",
    "210323": "岫岩满族自治县",
    "210381": "海城市",
}

CLUSTERS: dict[str, str] = {
    "steel": "钢铁及深加工",
    "magnesia": "菱镁",
    "equipment": "高端装备制造",
    "chemicals": "精细化工",
    "energy": "热力供应",
}

ENERGY_UNITS: dict[str, str] = {
    "raw_coal": "t",
    "washed_coal": "t",
    "coke": "t",
    "natural_gas": "m3",
    "coke_oven_gas": "m3",
    "blast_furnace_gas": "m3",
    "converter_gas": "m3",
    "diesel": "t",
    "fuel_oil": "t",
    "lpg": "t",
    "electricity": "kWh",
    "heat": "GJ",
    "steam": "t",
    "compressed_air": "m3",
    "oxygen": "m3",
    "fresh_water": "t",
}
"""The energy kinds the demo uses and the physical unit each is metered in."""

MEDIA = frozenset({"compressed_air", "oxygen", "fresh_water"})
"""Energy-carrying media (耗能工质): items of these kinds measure ``medium``."""

SIZING_KGCE: dict[str, float] = {
    "raw_coal": 714.3,
    "washed_coal": 900.0,
    "coke": 971.4,
    "natural_gas": 1.2143,
    "coke_oven_gas": 0.5932,
    "blast_furnace_gas": 0.1286,
    "converter_gas": 0.2714,
    "diesel": 1457.1,
    "fuel_oil": 1428.6,
    "lpg": 1714.3,
    "electricity": 0.1229,
    "heat": 34.12,
    "steam": 128.6,
    "compressed_air": 0.04,
    "oxygen": 0.4,
    "fresh_water": 0.2571,
}
"""kgce per metered unit, used ONLY to size the fictional plants (key-unit level, output
value). The platform's own accounting uses the catalogue in ``nenghao.standards``."""

MEASURED_HEATING_VALUES: dict[str, float] = {
    "coke_oven_gas": 17385.4,
    "blast_furnace_gas": 3769.0,
    "converter_gas": 7954.0,
}
"""kJ/m3; the integrated works meters the heating value of its by-product gases
(GB/T 32151.5 defaults as quoted in reference/carbon.md)."""

KIND_ZH: dict[str, str] = {
    "raw_coal": "原煤",
    "washed_coal": "洗精煤",
    "coke": "焦炭",
    "natural_gas": "天然气",
    "coke_oven_gas": "焦炉煤气",
    "blast_furnace_gas": "高炉煤气",
    "converter_gas": "转炉煤气",
    "diesel": "柴油",
    "fuel_oil": "燃料油",
    "lpg": "液化石油气",
    "electricity": "电力",
    "heat": "热力",
    "steam": "蒸汽",
    "compressed_air": "压缩空气",
    "oxygen": "氧气",
    "fresh_water": "新水",
}

BOUNDARY_ZH: dict[str, str] = {
    "enterprise": "全厂",
    "sintering": "烧结",
    "pelletizing": "球团",
    "coking": "炼焦",
    "blast_furnace": "高炉",
    "converter": "转炉",
    "eaf": "电炉",
    "rolling": "轧钢",
    "power_plant": "自备电厂",
    "fused_furnace": "电熔炉",
    "kiln": "窑炉",
    "light_kiln": "轻烧窑",
    "dead_kiln": "重烧窑",
    "mining": "采场",
    "processing": "加工线",
    "foundry": "铸造车间",
    "reactor": "反应装置",
    "boiler": "锅炉房",
}

USAGE_ZH: dict[str, str] = {
    "consumption": "消耗",
    "raw_material": "原料用量",
    "export": "外供",
    "production": "产量",
}

PRODUCT_ZH: dict[str, str] = {
    "sinter": "烧结矿",
    "pellet": "球团矿",
    "hot_metal": "铁水",
    "converter_steel": "转炉钢",
    "eaf_steel_lt50": "电炉钢(<50t)",
    "eaf_steel_50_70": "电炉钢(50-70t)",
    "eaf_steel_ge70": "电炉钢(≥70t)",
    "coke_top_charged": "顶装焦炭",
    "coke_stamp_charged": "捣固焦炭",
    "fused_magnesia": "电熔镁砂",
    "light_burned_magnesia": "轻烧氧化镁",
    "dead_burned_magnesia": "重烧镁砂",
    "rolled_steel": "钢材",
    "cold_rolled_sheet": "冷轧板",
    "steel_wire": "钢丝",
    "steel_pipe": "钢管",
    "galvanized_sheet": "镀锌板",
    "steel_sections": "型钢",
    "magnesite_ore": "菱镁矿石",
    "castings": "铸件",
    "organic_chemicals": "有机化学品",
    "chemical_reagents": "化学试剂",
    "chemical_auxiliaries": "化学助剂",
    "magnesium_chemicals": "镁化工产品",
}


@dataclass(frozen=True)
class ItemSpec:
    """One data item of a fictional enterprise and how its hourly values are generated.

    ``rate`` is the mean amount per hour at full activity (per month for value items).
    ``derive`` lists other items (by code) whose generated series are added, each times its
    factor, before the item's own noise is applied. ``heating`` (0..1) is the share of the
    item that follows the heating demand (Nov-Mar) instead of production; ``follows`` False
    means the item ignores the enterprise's production activity (heat for buildings).
    """

    code: str
    name: str
    measures: str
    usage: str
    unit: str
    boundary: str = "enterprise"
    energy_kind: str | None = None
    product_code: str | None = None
    rate: float = 0.0
    period: str = "hour"
    renewable: bool = False
    value_kind: str = "interval"
    heating_value: float | None = None
    heating_value_unit: str | None = None
    noise: float = 0.03
    heating: float = 0.0
    follows: bool = True
    derive: tuple[tuple[str, float], ...] = ()
    floor: float = 0.0


@dataclass(frozen=True)
class ShutdownRule:
    """A recurring planned stop: ``annual`` (month, day, days) or ``spring_festival``.

    ``boundaries`` empty means the whole enterprise. ``factor`` is the activity left during
    the stop (0.03 = standby load only).
    """

    kind: str
    description: str
    factor: float
    boundaries: tuple[str, ...] = ()
    month: int = 0
    day: int = 0
    days: int = 0
    before: int = 0
    after: int = 0


@dataclass(frozen=True)
class EnterpriseSpec:
    """A fictional enterprise of the demo city."""

    key: str
    name: str
    name_en: str
    division: str
    industry: str
    cluster: str
    profile: str
    address: str
    items: tuple[ItemSpec, ...]
    shutdowns: tuple[ShutdownRule, ...] = ()
    growth: float = 0.03
    value_intensity: float = 1.0
    """tce per 10 000 yuan of output value (sizes the monthly value filings)."""
    added_share: float = 0.25
    credit_code: str = field(default="")

    def item(self, code: str) -> ItemSpec:
        """The item with `code` (KeyError when absent)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


def organisation_code(key: str) -> str:
    """A stable 9-character organisation code (GB 32100 charset) for an enterprise key."""
    digest = hashlib.sha256(f"nenghao-demo/{key}".encode()).digest()
    return "".join(CHARSET[byte % len(CHARSET)] for byte in digest[:9])


# --------------------------------------------------------------------------- item helpers


def energy(
    boundary: str,
    kind: str,
    rate: float,
    *,
    usage: str = "consumption",
    code: str | None = None,
    name: str | None = None,
    **extra: object,
) -> ItemSpec:
    """An energy (or energy-carrying medium) item metered in the kind's physical unit."""
    prefix = "ent" if boundary == "enterprise" else boundary
    suffix = {"consumption": "", "raw_material": "_feed", "export": "_out", "production": "_made"}
    item_code = code or f"{prefix}.{kind}{suffix[usage]}"
    item_name = name or f"{BOUNDARY_ZH[boundary]}{KIND_ZH[kind]}{USAGE_ZH[usage]}"
    if kind in MEASURED_HEATING_VALUES and "heating_value" not in extra:
        extra["heating_value"] = MEASURED_HEATING_VALUES[kind]
        extra["heating_value_unit"] = "kJ/m3"
    return ItemSpec(
        code=item_code,
        name=item_name,
        measures="medium" if kind in MEDIA else "energy",
        usage=usage,
        unit=ENERGY_UNITS[kind],
        boundary=boundary,
        energy_kind=kind,
        rate=rate,
        **extra,  # type: ignore[arg-type]
    )


def green_electricity(rate: float, name: str) -> ItemSpec:
    """Renewable electricity bought or self-generated at the fence (counts for the deduction)."""
    return energy(
        "enterprise",
        "electricity",
        rate,
        code="ent.green_electricity",
        name=name,
        renewable=True,
        noise=0.4,
    )


def product(boundary: str, product_code: str, rate: float, noise: float = 0.025) -> ItemSpec:
    """An hourly product-output item in tonnes."""
    prefix = "ent" if boundary == "enterprise" else boundary
    return ItemSpec(
        code=f"{prefix}.{product_code}",
        name=f"{PRODUCT_ZH[product_code]}产量",
        measures="product",
        usage="production",
        unit="t",
        boundary=boundary,
        product_code=product_code,
        rate=rate,
        noise=noise,
    )


def value_items() -> tuple[ItemSpec, ItemSpec]:
    """The monthly output-value and added-value filings (rates are set at build time)."""
    return (
        ItemSpec(
            code="ent.output_value",
            name="工业总产值",
            measures="output_value",
            usage="value",
            unit="万元",
            period="month",
            noise=0.03,
        ),
        ItemSpec(
            code="ent.added_value",
            name="工业增加值",
            measures="added_value",
            usage="value",
            unit="万元",
            period="month",
            noise=0.05,
        ),
    )


def _sum(*codes: str, factor: float = 1.0) -> tuple[tuple[str, float], ...]:
    return tuple((code, factor) for code in codes)


SPRING_FESTIVAL_MAGNESIA = ShutdownRule(
    kind="spring_festival",
    description="春节停产 (Spring Festival stop of the kilns and furnaces)",
    factor=0.03,
    before=7,
    after=15,
)
SPRING_FESTIVAL_HOLIDAY = ShutdownRule(
    kind="spring_festival",
    description="春节放假 (Spring Festival holiday)",
    factor=0.18,
    before=2,
    after=6,
)
NATIONAL_DAY = ShutdownRule(
    kind="holiday",
    description="国庆放假 (National Day holiday)",
    factor=0.4,
    month=10,
    day=1,
    days=7,
)


# --------------------------------------------------------------------------- archetypes


def integrated_steel() -> EnterpriseSpec:
    """The integrated steel works: ~6.5 Mt hot metal, ~7 Mt converter steel a year."""
    hm, sinter, pellet, coke, steel, rolled = 742.0, 890.0, 262.0, 285.0, 800.0, 760.0
    process_electricity = (
        "sintering.electricity",
        "pelletizing.electricity",
        "coking.electricity",
        "blast_furnace.electricity",
        "converter.electricity",
        "rolling.electricity",
    )
    items = (
        # sintering (~48.6 kgce/t; GB 21256-2025 L2 46, L3 52)
        product("sintering", "sinter", sinter),
        energy("sintering", "coke", 0.043 * sinter, name="烧结焦粉消耗"),
        energy("sintering", "electricity", 36 * sinter),
        energy("sintering", "coke_oven_gas", 4.0 * sinter, name="烧结点火焦炉煤气消耗"),
        # pelletizing (~19 kgce/t; L1 15, L2 22)
        product("pelletizing", "pellet", pellet),
        energy("pelletizing", "coke_oven_gas", 26 * pellet),
        energy("pelletizing", "electricity", 30 * pellet),
        # coking, top-charged (~118 kgce/t; GB 21342-2025 L3 135); coal is feedstock
        product("coking", "coke_top_charged", coke),
        energy("coking", "washed_coal", 1.32 * coke, usage="raw_material", name="炼焦洗精煤投入"),
        energy("coking", "coke_oven_gas", 105 * coke, name="焦炉加热焦炉煤气消耗"),
        energy("coking", "blast_furnace_gas", 240 * coke, name="焦炉加热高炉煤气消耗"),
        energy("coking", "electricity", 34 * coke),
        energy("coking", "steam", 0.16 * coke),
        energy("coking", "coke_oven_gas", 430 * coke, usage="production", name="焦炉煤气回收量"),
        # blast furnace (~378 kgce/t; L2 370, L3 415)
        product("blast_furnace", "hot_metal", hm),
        energy("blast_furnace", "coke", 0.345 * hm, name="高炉入炉焦炭消耗"),
        energy("blast_furnace", "raw_coal", 0.165 * hm, name="高炉喷吹煤消耗"),
        energy("blast_furnace", "blast_furnace_gas", 620 * hm, name="热风炉高炉煤气消耗"),
        energy("blast_furnace", "electricity", 48 * hm),
        energy("blast_furnace", "oxygen", 42 * hm, name="高炉富氧消耗"),
        energy(
            "blast_furnace",
            "blast_furnace_gas",
            1350 * hm,
            usage="export",
            name="高炉煤气回收外送",
        ),
        energy(
            "blast_furnace",
            "electricity",
            32 * hm,
            usage="export",
            code="blast_furnace.trt_electricity_out",
            name="TRT余压发电外送",
        ),
        # converter (~ -16 kgce/t; L2 -28, L3 -12)
        product("converter", "converter_steel", steel),
        energy("converter", "electricity", 26 * steel),
        energy("converter", "oxygen", 52 * steel),
        energy("converter", "coke_oven_gas", 3 * steel, name="转炉烘烤焦炉煤气消耗"),
        energy("converter", "converter_gas", 115 * steel, usage="export", name="转炉煤气回收外送"),
        energy("converter", "steam", 0.085 * steel, usage="export", name="转炉余热蒸汽回收外送"),
        # hot rolling (~50 kgce/t)
        product("rolling", "rolled_steel", rolled),
        energy("rolling", "coke_oven_gas", 32 * rolled, name="加热炉焦炉煤气消耗"),
        energy("rolling", "blast_furnace_gas", 110 * rolled, name="加热炉高炉煤气消耗"),
        energy("rolling", "electricity", 105 * rolled),
        energy("rolling", "steam", 0.03 * rolled),
        # captive power plant burning surplus gases
        energy("power_plant", "blast_furnace_gas", 340_000, name="电厂高炉煤气消耗"),
        energy("power_plant", "coke_oven_gas", 25_000, name="电厂焦炉煤气消耗"),
        energy("power_plant", "converter_gas", 85_000, name="电厂转炉煤气消耗"),
        energy("power_plant", "electricity", 200_000, usage="export", name="自备电厂发电量"),
        energy("power_plant", "steam", 120, usage="export", name="自备电厂供汽量"),
        # the enterprise fence
        energy("enterprise", "washed_coal", 0.0, derive=_sum("coking.washed_coal_feed")),
        energy("enterprise", "raw_coal", 0.0, derive=_sum("blast_furnace.raw_coal")),
        energy("enterprise", "coke", 9.0, name="外购焦炭", noise=0.15),
        energy("enterprise", "natural_gas", 4000),
        energy(
            "enterprise",
            "electricity",
            0.0,
            name="电网购入电量",
            derive=(
                *_sum(*process_electricity, factor=1.5),
                ("power_plant.electricity_out", -1.0),
                ("blast_furnace.trt_electricity_out", -1.0),
                ("ent.green_electricity", -1.0),
                ("ent.electricity_out", 1.0),
            ),
            floor=5000.0,
        ),
        energy(
            "enterprise",
            "electricity",
            6000,
            code="ent.green_electricity",
            name="外购绿色电力(风电)",
            renewable=True,
            noise=0.35,
        ),
        energy("enterprise", "diesel", 1.2, noise=0.1),
        energy("enterprise", "fresh_water", 3500),
        energy("enterprise", "electricity", 8000, usage="export", name="转供园区电量"),
        energy(
            "enterprise",
            "steam",
            150,
            usage="export",
            name="城市供暖蒸汽外供",
            heating=0.9,
            follows=False,
        ),
        energy("enterprise", "coke_oven_gas", 30_000, usage="export", name="焦炉煤气外供化工"),
        *value_items(),
    )
    return EnterpriseSpec(
        key="steel-int",
        name="鞍山鞍融钢铁集团有限公司",
        name_en="Anshan Anrong Iron and Steel Group Co., Ltd. (fictional)",
        division="210303",
        industry="3120",
        cluster="steel",
        profile="continuous",
        address="鞍山市铁西区环钢路88号",
        items=items,
        shutdowns=(
            ShutdownRule(
                kind="maintenance",
                description="2号高炉年修 (No.2 blast furnace overhaul; less iron and steel)",
                factor=0.62,
                boundaries=("sintering", "pelletizing", "blast_furnace", "converter"),
                month=4,
                day=9,
                days=12,
            ),
            ShutdownRule(
                kind="maintenance",
                description="热轧线检修 (hot strip mill maintenance)",
                factor=0.3,
                boundaries=("rolling",),
                month=9,
                day=14,
                days=5,
            ),
        ),
        growth=0.02,
        value_intensity=1.35,
        added_share=0.2,
    )


def eaf_plant(
    key: str,
    name: str,
    name_en: str,
    division: str,
    address: str,
    product_code: str,
    tonnes_per_hour: float,
    kwh_per_t: float,
    oxygen: float,
    gas: float,
    coke: float,
    *,
    green: float = 0.0,
    month: int = 7,
) -> EnterpriseSpec:
    """An electric-arc-furnace steel plant with a rolling mill."""
    t = tonnes_per_hour
    rolled = 0.95 * t
    items = [
        product("eaf", product_code, t, noise=0.05),
        energy("eaf", "electricity", kwh_per_t * t, noise=0.05),
        energy("eaf", "oxygen", oxygen * t, noise=0.05),
        energy("eaf", "natural_gas", gas * t, noise=0.06),
        energy("eaf", "coke", coke * t, name="电炉增碳焦炭消耗", noise=0.08),
        product("rolling", "rolled_steel", rolled),
        energy("rolling", "natural_gas", 36 * rolled, name="加热炉天然气消耗"),
        energy("rolling", "electricity", 95 * rolled),
        energy(
            "enterprise",
            "electricity",
            0.0,
            name="电网购入电量",
            derive=(
                ("eaf.electricity", 1.04),
                ("rolling.electricity", 1.1),
                ("ent.green_electricity", -1.0),
            )
            if green
            else (("eaf.electricity", 1.04), ("rolling.electricity", 1.1)),
            noise=0.01,
        ),
        energy(
            "enterprise",
            "natural_gas",
            0.0,
            derive=(("eaf.natural_gas", 1.0), ("rolling.natural_gas", 1.0)),
            noise=0.01,
        ),
        energy("enterprise", "coke", 0.0, derive=(("eaf.coke", 1.0),), noise=0.01),
        energy("enterprise", "fresh_water", 1.8 * t),
    ]
    if green:
        items.append(green_electricity(green, "外购绿色电力(光伏)"))
    items.extend(value_items())
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry="3120",
        cluster="steel",
        profile="valley",
        address=address,
        items=tuple(items),
        shutdowns=(
            ShutdownRule(
                kind="maintenance",
                description="电炉年度检修 (EAF annual maintenance)",
                factor=0.04,
                boundaries=("eaf", "rolling"),
                month=month,
                day=18,
                days=7,
            ),
            ShutdownRule(
                kind="spring_festival",
                description="春节减产 (Spring Festival reduced operation)",
                factor=0.3,
                before=3,
                after=5,
            ),
        ),
        growth=0.04,
        value_intensity=1.1,
        added_share=0.18,
    )


def steel_processor(
    key: str,
    name: str,
    name_en: str,
    division: str,
    address: str,
    product_code: str,
    tonnes_per_hour: float,
    kwh_per_t: float,
    gas_per_t: float,
) -> EnterpriseSpec:
    """A steel deep-processing plant (cold rolling, wire, pipe, coating, sections)."""
    t = tonnes_per_hour
    items = (
        product("processing", product_code, t, noise=0.06),
        energy("processing", "electricity", kwh_per_t * t, noise=0.05),
        energy("processing", "natural_gas", gas_per_t * t, name="退火/加热天然气消耗"),
        energy(
            "enterprise", "electricity", 0.0, derive=(("processing.electricity", 1.08),), noise=0.01
        ),
        energy(
            "enterprise", "natural_gas", 0.0, derive=(("processing.natural_gas", 1.0),), noise=0.01
        ),
        energy("enterprise", "heat", 9.0, heating=1.0, follows=False, name="外购采暖热力"),
        energy("enterprise", "fresh_water", 0.6 * t),
        *value_items(),
    )
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry="3130",
        cluster="steel",
        profile="continuous",
        address=address,
        items=items,
        shutdowns=(
            SPRING_FESTIVAL_HOLIDAY,
            ShutdownRule(
                kind="maintenance",
                description="产线检修 (line maintenance)",
                factor=0.1,
                month=8,
                day=5,
                days=4,
            ),
        ),
        growth=0.05,
        value_intensity=0.35,
        added_share=0.22,
    )


def coking_plant() -> EnterpriseSpec:
    """An independent stamp-charged coking plant (~143 kgce/t: above the 140 limit)."""
    coke = 103.0
    items = (
        product("coking", "coke_stamp_charged", coke),
        energy("coking", "washed_coal", 1.35 * coke, usage="raw_material", name="炼焦洗精煤投入"),
        energy("coking", "coke_oven_gas", 185 * coke, name="焦炉加热焦炉煤气消耗"),
        energy("coking", "electricity", 40 * coke),
        energy("coking", "steam", 0.22 * coke),
        energy("coking", "coke_oven_gas", 440 * coke, usage="production", name="焦炉煤气回收量"),
        energy("enterprise", "washed_coal", 0.0, derive=(("coking.washed_coal_feed", 1.0),)),
        energy("enterprise", "electricity", 0.0, derive=(("coking.electricity", 1.1),)),
        energy(
            "enterprise",
            "coke",
            0.0,
            usage="export",
            derive=(("coking.coke_stamp_charged", 1.0),),
            name="焦炭外销",
        ),
        energy("enterprise", "coke_oven_gas", 250 * coke, usage="export", name="焦炉煤气外供"),
        energy("enterprise", "fresh_water", 2.5 * coke),
        *value_items(),
    )
    return EnterpriseSpec(
        key="coke-01",
        name="鞍山千山宏运焦化有限公司",
        name_en="Anshan Qianshan Hongyun Coking Co., Ltd. (fictional)",
        division="210311",
        industry="2521",
        cluster="steel",
        profile="continuous",
        address="鞍山市千山区宁远镇焦化路6号",
        items=items,
        growth=0.0,
        value_intensity=2.2,
        added_share=0.12,
    )


def fused_magnesia(
    key: str,
    name: str,
    name_en: str,
    division: str,
    address: str,
    tonnes_per_hour: float,
    kwh_per_t: float,
    *,
    green: float = 0.0,
    register: bool = False,
) -> EnterpriseSpec:
    """A fused-magnesia plant: electric-arc furnaces, run at night on the valley tariff."""
    t = tonnes_per_hour
    derive: tuple[tuple[str, float], ...] = (("fused_furnace.electricity", 1.06),)
    if green:
        derive = (*derive, ("ent.green_electricity", -1.0))
    items = [
        product("fused_furnace", "fused_magnesia", t, noise=0.08),
        energy("fused_furnace", "electricity", kwh_per_t * t, noise=0.06),
        energy(
            "enterprise",
            "electricity",
            0.0,
            derive=derive,
            noise=0.01,
            value_kind="register" if register else "interval",
        ),
        energy("enterprise", "diesel", 0.012 * t, name="装载机柴油消耗", noise=0.2),
        energy("enterprise", "raw_coal", 0.35, heating=1.0, follows=False, name="采暖锅炉原煤消耗"),
    ]
    if green:
        items.append(green_electricity(green, "外购绿色电力(风电)"))
    items.extend(value_items())
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry="3089",
        cluster="magnesia",
        profile="valley_strong",
        address=address,
        items=tuple(items),
        shutdowns=(SPRING_FESTIVAL_MAGNESIA,),
        growth=0.08,
        value_intensity=1.6,
        added_share=0.3,
    )


def magnesia_kiln(
    key: str,
    name: str,
    name_en: str,
    division: str,
    address: str,
    *,
    light: tuple[float, float, str] | None = None,
    dead: tuple[float, float, str] | None = None,
    register: bool = False,
) -> EnterpriseSpec:
    """A light-burned and/or dead-burned magnesia plant.

    ``light``/``dead`` = (t/h, fuel per t [t coal or m3 gas], fuel kind).
    """
    items: list[ItemSpec] = []
    fence: dict[str, list[tuple[str, float]]] = {}
    both = light is not None and dead is not None
    for spec, product_code, boundary_alone, boundary_both, kwh in (
        (light, "light_burned_magnesia", "kiln", "light_kiln", 42.0),
        (dead, "dead_burned_magnesia", "kiln", "dead_kiln", 55.0),
    ):
        if spec is None:
            continue
        t, fuel, kind = spec
        boundary = boundary_both if both else boundary_alone
        items.append(product(boundary, product_code, t, noise=0.05))
        items.append(energy(boundary, kind, fuel * t, noise=0.05))
        items.append(energy(boundary, "electricity", kwh * t, noise=0.05))
        fence.setdefault(kind, []).append((f"{boundary}.{kind}", 1.0))
        fence.setdefault("electricity", []).append((f"{boundary}.electricity", 1.08))
    for kind, derive in sorted(fence.items()):
        items.append(
            energy(
                "enterprise",
                kind,
                0.0,
                derive=tuple(derive),
                noise=0.01,
                value_kind="register" if register and kind == "electricity" else "interval",
            )
        )
    items.append(energy("enterprise", "diesel", 0.03, name="装载机柴油消耗", noise=0.2))
    items.extend(value_items())
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry="3089",
        cluster="magnesia",
        profile="continuous",
        address=address,
        items=tuple(items),
        shutdowns=(
            SPRING_FESTIVAL_MAGNESIA,
            ShutdownRule(
                kind="maintenance",
                description="窑炉检修 (kiln relining)",
                factor=0.05,
                month=6,
                day=10,
                days=9,
            ),
        ),
        growth=0.07,
        value_intensity=1.2,
        added_share=0.3,
    )


def magnesite_mine(
    key: str, name: str, name_en: str, division: str, address: str, tonnes_per_hour: float
) -> EnterpriseSpec:
    """An open-pit magnesite mine (GB/T 4754 class 1019)."""
    t = tonnes_per_hour
    items = (
        product("mining", "magnesite_ore", t, noise=0.08),
        energy("mining", "diesel", 0.0009 * t, name="矿用卡车柴油消耗", noise=0.08),
        energy("mining", "electricity", 6.5 * t, noise=0.06),
        energy("enterprise", "diesel", 0.0, derive=(("mining.diesel", 1.0),), noise=0.01),
        energy("enterprise", "electricity", 0.0, derive=(("mining.electricity", 1.1),), noise=0.01),
        *value_items(),
    )
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry="1019",
        cluster="magnesia",
        profile="two_shift",
        address=address,
        items=items,
        shutdowns=(SPRING_FESTIVAL_MAGNESIA,),
        growth=0.03,
        value_intensity=0.5,
        added_share=0.35,
    )


def equipment_maker(
    key: str,
    name: str,
    name_en: str,
    division: str,
    industry: str,
    address: str,
    kwh: float,
    gas: float,
    heat: float,
    *,
    castings: float = 0.0,
    register: bool = False,
    green: float = 0.0,
) -> EnterpriseSpec:
    """An equipment manufacturer: day shift, weekends, heated workshops in winter."""
    items: list[ItemSpec] = []
    if castings:
        items.append(product("foundry", "castings", castings, noise=0.1))
        items.append(energy("foundry", "electricity", 650 * castings, name="中频炉电力消耗"))
    elec_derive: list[tuple[str, float]] = [("foundry.electricity", 1.0)] if castings else []
    if green:
        elec_derive.append(("ent.green_electricity", -1.0))
    items.extend(
        (
            energy(
                "enterprise",
                "electricity",
                kwh,
                derive=tuple(elec_derive),
                value_kind="register" if register else "interval",
                noise=0.05,
            ),
            energy("enterprise", "natural_gas", gas, name="热处理/涂装天然气消耗", noise=0.08),
            energy("enterprise", "heat", heat, heating=1.0, follows=False, name="外购采暖热力"),
            energy("enterprise", "compressed_air", 12 * kwh / 100, noise=0.06),
            energy("enterprise", "fresh_water", kwh / 400, noise=0.1),
        )
    )
    if green:
        items.append(green_electricity(green, "屋顶光伏自发自用电量"))
    items.extend(value_items())
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry=industry,
        cluster="equipment",
        profile="day_shift",
        address=address,
        items=tuple(items),
        shutdowns=(SPRING_FESTIVAL_HOLIDAY, NATIONAL_DAY),
        growth=0.08,
        value_intensity=0.06,
        added_share=0.3,
    )


def chemical_plant(
    key: str,
    name: str,
    name_en: str,
    division: str,
    industry: str,
    address: str,
    product_code: str,
    tonnes_per_hour: float,
    *,
    kwh_per_t: float,
    steam_per_t: float,
    fuel: tuple[str, float] | None = None,
    feed: tuple[str, float] | None = None,
    register_gas: bool = False,
    month: int = 5,
) -> EnterpriseSpec:
    """A fine-chemical plant; `feed` is energy used as raw material (原料用能)."""
    t = tonnes_per_hour
    items: list[ItemSpec] = [
        product("enterprise", product_code, t, noise=0.04),
        energy("enterprise", "electricity", kwh_per_t * t, noise=0.03),
        energy("enterprise", "steam", steam_per_t * t, heating=0.15, noise=0.04),
    ]
    if fuel:
        kind, per_t = fuel
        items.append(
            energy(
                "enterprise",
                kind,
                per_t * t,
                noise=0.04,
                value_kind="register" if register_gas and kind == "natural_gas" else "interval",
            )
        )
    if feed:
        kind, per_t = feed
        items.append(energy("enterprise", kind, per_t * t, usage="raw_material", noise=0.03))
    items.append(energy("enterprise", "fresh_water", 4.0 * t, noise=0.05))
    items.extend(value_items())
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry=industry,
        cluster="chemicals",
        profile="continuous",
        address=address,
        items=tuple(items),
        shutdowns=(
            ShutdownRule(
                kind="maintenance",
                description="装置年度大修 (annual plant turnaround)",
                factor=0.08,
                month=month,
                day=12,
                days=8,
            ),
        ),
        growth=0.06,
        value_intensity=0.45,
        added_share=0.25,
    )


def heat_plant(
    key: str, name: str, name_en: str, division: str, address: str, coal_peak: float
) -> EnterpriseSpec:
    """A coal-fired district-heating plant (runs in the heating season, hot water otherwise)."""
    items = (
        energy("enterprise", "raw_coal", coal_peak, heating=0.95, follows=False, noise=0.04),
        energy("enterprise", "electricity", 9.0 * coal_peak * 10, heating=0.85, follows=False),
        energy("enterprise", "fresh_water", 2.0 * coal_peak, heating=0.9, follows=False),
        energy(
            "enterprise",
            "heat",
            0.0,
            usage="export",
            derive=(("ent.raw_coal", 16.0),),
            name="供热量",
            noise=0.02,
        ),
        *value_items(),
    )
    return EnterpriseSpec(
        key=key,
        name=name,
        name_en=name_en,
        division=division,
        industry="4430",
        cluster="energy",
        profile="heating",
        address=address,
        items=items,
        growth=0.01,
        value_intensity=3.0,
        added_share=0.2,
    )


# --------------------------------------------------------------------------- the city

_HC = "210381"
_XY = "210323"


def _enterprises() -> list[EnterpriseSpec]:
    fused = [
        (
            "mg-fused-01",
            "海城市东岳电熔镁有限公司",
            "Dongyue Fused Magnesia",
            3.2,
            3500.0,
            "东四镇",
        ),
        (
            "mg-fused-02",
            "海城市华宇电熔镁砂有限公司",
            "Huayu Fused Magnesia",
            2.6,
            3850.0,
            "八里镇",
        ),
        ("mg-fused-03", "海城市金盛镁业有限公司", "Jinsheng Magnesium", 4.5, 3300.0, "牌楼镇"),
        (
            "mg-fused-04",
            "海城市鑫源电熔镁有限公司",
            "Xinyuan Fused Magnesia",
            2.2,
            4250.0,
            "马风镇",
        ),
        ("mg-fused-05", "海城市宏利耐火材料有限公司", "Hongli Refractories", 3.0, 3650.0, "英落镇"),
        (
            "mg-fused-06",
            "海城市北方镁质材料有限公司",
            "Beifang Magnesia Materials",
            5.5,
            4100.0,
            "析木镇",
        ),
    ]
    result: list[EnterpriseSpec] = [
        integrated_steel(),
        eaf_plant(
            "eaf-01",
            "鞍山立山华岳特钢有限公司",
            "Anshan Lishan Huayue Special Steel Co., Ltd. (fictional)",
            "210304",
            "鞍山市立山区沙河镇特钢路12号",
            "eaf_steel_50_70",
            114.0,
            360.0,
            30.0,
            5.0,
            0.006,
            month=7,
        ),
        eaf_plant(
            "eaf-02",
            "台安县聚鑫电炉炼钢有限公司",
            "Tai'an Juxin EAF Steel Co., Ltd. (fictional)",
            "210321",
            "台安县工业园区聚鑫路1号",
            "eaf_steel_lt50",
            52.0,
            420.0,
            38.0,
            10.0,
            0.012,
            month=8,
        ),
        eaf_plant(
            "eaf-03",
            "鞍山千山恒泰特殊钢有限公司",
            "Anshan Qianshan Hengtai Special Steel Co., Ltd. (fictional)",
            "210311",
            "鞍山市千山区汤岗子镇恒泰路3号",
            "eaf_steel_ge70",
            137.0,
            330.0,
            28.0,
            4.0,
            0.006,
            green=4000.0,
            month=6,
        ),
        steel_processor(
            "proc-01",
            "鞍山铁东精密冷轧板有限公司",
            "Anshan Tiedong Precision Cold Rolling Co., Ltd. (fictional)",
            "210302",
            "鞍山市铁东区园林路56号",
            "cold_rolled_sheet",
            45.0,
            120.0,
            28.0,
        ),
        steel_processor(
            "proc-02",
            "鞍山铁西宏达钢丝制品有限公司",
            "Anshan Tiexi Hongda Steel Wire Co., Ltd. (fictional)",
            "210303",
            "鞍山市铁西区建设大道201号",
            "steel_wire",
            22.0,
            150.0,
            18.0,
        ),
        steel_processor(
            "proc-03",
            "鞍山千山福源钢管有限公司",
            "Anshan Qianshan Fuyuan Steel Pipe Co., Ltd. (fictional)",
            "210311",
            "鞍山市千山区大屯镇钢管路9号",
            "steel_pipe",
            35.0,
            95.0,
            40.0,
        ),
        steel_processor(
            "proc-04",
            "台安县顺通镀锌钢板有限公司",
            "Tai'an Shuntong Galvanizing Co., Ltd. (fictional)",
            "210321",
            "台安县新开河镇顺通路2号",
            "galvanized_sheet",
            30.0,
            85.0,
            35.0,
        ),
        steel_processor(
            "proc-05",
            "海城市金鼎钢结构型材有限公司",
            "Haicheng Jinding Steel Sections Co., Ltd. (fictional)",
            _HC,
            "海城市腾鳌镇金鼎路18号",
            "steel_sections",
            40.0,
            70.0,
            30.0,
        ),
        coking_plant(),
    ]
    for index, (key, name, en, tph, kwh, town) in enumerate(fused):
        result.append(
            fused_magnesia(
                key,
                name,
                f"Haicheng {en} Co., Ltd. (fictional)",
                _HC,
                f"海城市{town}镁矿路{index + 3}号",
                tph,
                kwh,
                green=3000.0 if key == "mg-fused-03" else 0.0,
            )
        )
    result.append(
        fused_magnesia(
            "mg-fused-07",
            "岫岩满族自治县玉龙电熔镁有限公司",
            "Xiuyan Yulong Fused Magnesia Co., Ltd. (fictional)",
            _XY,
            "岫岩满族自治县雅河乡玉龙路5号",
            2.4,
            3700.0,
        )
    )
    kilns = [
        (
            "mg-light-01",
            "海城市牌楼轻烧镁有限公司",
            "Pailou Light-Burned Magnesia",
            (11.0, 0.245, "raw_coal"),
            None,
        ),
        (
            "mg-light-02",
            "海城市八里镁矿制品有限公司",
            "Bali Magnesite Products",
            (9.0, 0.272, "raw_coal"),
            None,
        ),
        (
            "mg-light-03",
            "海城市英落氧化镁有限公司",
            "Yingluo Magnesium Oxide",
            (8.0, 140.0, "natural_gas"),
            None,
        ),
        (
            "mg-light-04",
            "海城市析木轻烧粉有限公司",
            "Ximu Light-Burned Powder",
            (12.0, 0.23, "raw_coal"),
            None,
        ),
        (
            "mg-dead-01",
            "海城市马风重烧镁砂有限公司",
            "Mafeng Dead-Burned Magnesia",
            None,
            (7.0, 0.30, "raw_coal"),
        ),
        (
            "mg-dead-02",
            "海城市孤山耐火材料有限公司",
            "Gushan Refractories",
            None,
            (6.0, 0.375, "raw_coal"),
        ),
        (
            "mg-dead-03",
            "海城市岔沟高纯镁砂有限公司",
            "Chagou High-Purity Magnesia",
            None,
            (5.0, 178.0, "natural_gas"),
        ),
        (
            "mg-comb-01",
            "海城市镁都耐材集团有限公司",
            "Meidu Refractories Group",
            (10.0, 0.25, "raw_coal"),
            (8.0, 0.31, "raw_coal"),
        ),
        (
            "mg-comb-02",
            "海城市东方镁业有限公司",
            "Dongfang Magnesium",
            (7.0, 0.24, "raw_coal"),
            (5.0, 0.29, "coke"),
        ),
    ]
    for index, (key, name, en, light, dead) in enumerate(kilns):
        result.append(
            magnesia_kiln(
                key,
                name,
                f"Haicheng {en} Co., Ltd. (fictional)",
                _HC,
                f"海城市经济开发区镁业大街{index * 7 + 11}号",
                light=light,
                dead=dead,
                register=key == "mg-light-02",
            )
        )
    result.append(
        magnesia_kiln(
            "mg-light-05",
            "岫岩满族自治县兴隆镁制品有限公司",
            "Xiuyan Xinglong Magnesia Products Co., Ltd. (fictional)",
            _XY,
            "岫岩满族自治县哨子河乡兴隆路8号",
            light=(6.0, 0.26, "raw_coal"),
        )
    )
    result.append(
        magnesite_mine(
            "mine-01",
            "海城市青山菱镁矿业有限公司",
            "Haicheng Qingshan Magnesite Mining Co., Ltd. (fictional)",
            _HC,
            "海城市八里镇青山矿区",
            480.0,
        )
    )
    result.append(
        magnesite_mine(
            "mine-02",
            "岫岩满族自治县偏岭菱镁矿业有限公司",
            "Xiuyan Pianling Magnesite Mining Co., Ltd. (fictional)",
            _XY,
            "岫岩满族自治县偏岭镇矿区路1号",
            260.0,
        )
    )
    equipment: list[tuple[str, str, str, str, str, str, float, float, float, dict[str, object]]] = [
        (
            "eq-01",
            "鞍山铁东矿山机械制造有限公司",
            "Tiedong Mining Machinery",
            "210302",
            "3511",
            "鞍山市铁东区胜利南路120号",
            5200.0,
            420.0,
            6.0,
            {"register": True},
        ),
        (
            "eq-02",
            "鞍山铁西冶金装备有限公司",
            "Tiexi Metallurgical Equipment",
            "210303",
            "3516",
            "鞍山市铁西区铁西三道街66号",
            6500.0,
            700.0,
            10.0,
            {"castings": 6.0},
        ),
        (
            "eq-03",
            "鞍山立新变压器制造有限公司",
            "Lixin Transformer",
            "210304",
            "3821",
            "鞍山市立山区胜利北路300号",
            4200.0,
            260.0,
            5.0,
            {},
        ),
        (
            "eq-04",
            "鞍山千山数控机床有限公司",
            "Qianshan CNC Machine Tools",
            "210311",
            "3421",
            "鞍山市千山区千山路18号",
            3600.0,
            180.0,
            4.0,
            {"green": 600.0},
        ),
        (
            "eq-05",
            "鞍山铁东锅炉辅机有限公司",
            "Tiedong Boiler Auxiliaries",
            "210302",
            "3411",
            "鞍山市铁东区山南街22号",
            3000.0,
            350.0,
            4.0,
            {},
        ),
        (
            "eq-06",
            "台安县华兴泵业有限公司",
            "Tai'an Huaxing Pumps",
            "210321",
            "3441",
            "台安县台安镇华兴路9号",
            2600.0,
            150.0,
            3.0,
            {},
        ),
        (
            "eq-07",
            "鞍山立山发电设备有限公司",
            "Lishan Power Equipment",
            "210304",
            "3811",
            "鞍山市立山区鞍千路101号",
            4800.0,
            300.0,
            6.0,
            {},
        ),
        (
            "eq-08",
            "海城市宏图矿山设备有限公司",
            "Haicheng Hongtu Mining Equipment",
            _HC,
            "3511",
            "海城市西柳镇宏图路7号",
            3000.0,
            240.0,
            3.5,
            {"castings": 2.5},
        ),
    ]
    for key, name, en, division, industry, address, kwh, gas, heat, extra in equipment:
        result.append(
            equipment_maker(
                key,
                name,
                f"{en} Co., Ltd. (fictional)",
                division,
                industry,
                address,
                kwh,
                gas,
                heat,
                **extra,  # type: ignore[arg-type]
            )
        )
    result.extend(
        (
            chemical_plant(
                "chem-01",
                "鞍山铁西精细化工有限公司",
                "Anshan Tiexi Fine Chemicals Co., Ltd. (fictional)",
                "210303",
                "2614",
                "鞍山市铁西区化工路15号",
                "organic_chemicals",
                6.0,
                kwh_per_t=420.0,
                steam_per_t=2.2,
                feed=("coke_oven_gas", 600.0),
                month=5,
            ),
            chemical_plant(
                "chem-02",
                "鞍山千山天然气化工有限公司",
                "Anshan Qianshan Natural Gas Chemicals Co., Ltd. (fictional)",
                "210311",
                "2614",
                "鞍山市千山区达道湾化工园区3号",
                "organic_chemicals",
                5.0,
                kwh_per_t=380.0,
                steam_per_t=1.8,
                fuel=("natural_gas", 120.0),
                feed=("natural_gas", 420.0),
                month=6,
            ),
            chemical_plant(
                "chem-03",
                "鞍山立山化学试剂有限公司",
                "Anshan Lishan Chemical Reagents Co., Ltd. (fictional)",
                "210304",
                "2661",
                "鞍山市立山区新华路42号",
                "chemical_reagents",
                1.5,
                kwh_per_t=650.0,
                steam_per_t=3.0,
                fuel=("natural_gas", 90.0),
                register_gas=True,
                month=7,
            ),
            chemical_plant(
                "chem-04",
                "台安县恒润化工有限公司",
                "Tai'an Hengrun Chemicals Co., Ltd. (fictional)",
                "210321",
                "2661",
                "台安县桓洞镇化工园区5号",
                "chemical_auxiliaries",
                4.0,
                kwh_per_t=300.0,
                steam_per_t=2.5,
                fuel=("raw_coal", 0.12),
                feed=("raw_coal", 0.55),
                month=8,
            ),
            chemical_plant(
                "chem-05",
                "海城市镁化新材料有限公司",
                "Haicheng Meihua New Materials Co., Ltd. (fictional)",
                _HC,
                "2661",
                "海城市腾鳌化工园区镁化路1号",
                "magnesium_chemicals",
                3.0,
                kwh_per_t=350.0,
                steam_per_t=2.0,
                fuel=("natural_gas", 110.0),
                month=9,
            ),
            chemical_plant(
                "chem-06",
                "岫岩满族自治县绿源化工助剂有限公司",
                "Xiuyan Lvyuan Chemical Auxiliaries Co., Ltd. (fictional)",
                _XY,
                "2662",
                "岫岩满族自治县岫岩镇绿源路12号",
                "chemical_auxiliaries",
                1.2,
                kwh_per_t=500.0,
                steam_per_t=2.8,
                fuel=("lpg", 0.02),
                month=5,
            ),
            heat_plant(
                "heat-01",
                "鞍山铁东热力有限公司",
                "Anshan Tiedong Heating Co., Ltd. (fictional)",
                "210302",
                "鞍山市铁东区热电路1号",
                70.0,
            ),
            heat_plant(
                "heat-02",
                "海城市城区供热有限公司",
                "Haicheng Urban Heating Co., Ltd. (fictional)",
                _HC,
                "海城市海州街道供热路2号",
                35.0,
            ),
        )
    )
    return result


def _with_codes(specs: list[EnterpriseSpec]) -> tuple[EnterpriseSpec, ...]:
    out = []
    for spec in specs:
        code = make_credit_code(spec.division, organisation_code(spec.key))
        out.append(replace(spec, credit_code=code))
    return tuple(out)


ENTERPRISES: tuple[EnterpriseSpec, ...] = _with_codes(_enterprises())
"""The demo city: every fictional enterprise, in a fixed order (their ids follow it)."""

SHOWCASE_KEY = "steel-int"
DISTRICT_DIVISION = _HC


def enterprise(key: str) -> EnterpriseSpec:
    """The demo enterprise with `key`."""
    for spec in ENTERPRISES:
        if spec.key == key:
            return spec
    raise KeyError(key)


def demo_credit_codes() -> frozenset[str]:
    """The credit codes of every demo enterprise (independent of the seed)."""
    return frozenset(spec.credit_code for spec in ENTERPRISES)


def _check(specs: tuple[EnterpriseSpec, ...]) -> None:
    codes = [spec.credit_code for spec in specs]
    if len(set(codes)) != len(codes):  # pragma: no cover - guards the hash mapping
        raise RuntimeError("demo credit codes collide")
    for spec in specs:
        item_codes = [item.code for item in spec.items]
        if len(set(item_codes)) != len(item_codes):  # pragma: no cover
            raise RuntimeError(f"duplicate item code in {spec.key}")


_check(ENTERPRISES)
