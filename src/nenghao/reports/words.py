"""The Chinese words of the documents: registration levels, findings, statuses, and the
units officials write quantities in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from nenghao.accounting.units import convert
from nenghao.standards import get_catalog
from nenghao.standards.precision import Quantity, written
from nenghao.store import enterprises
from nenghao.store.scope import Scope

CITY = "鞍山市"
KEY_UNIT_LEVEL_ZH = {
    "key": "重点用能单位",
    "designated": "省指定重点用能单位",
    "none": "非重点用能单位",
}
QUOTA_LEVEL_ZH = {"L1": "1级", "L2": "2级", "L3": "3级", "above_limit": "超过限定值"}
ACTUAL_LEVEL_ZH = {
    "key": "达到重点用能单位标准",
    "designated_range": "达到省指定范围",
    "below": "低于两档标准",
}
"""The level that the year's actual consumption reaches (nenghao.analytics.key_units)."""
FINDING_ZH = {
    "consistent": "登记与实际相符",
    "below_key_threshold": "已登记为重点用能单位，但实际能耗低于1万tce",
    "below_thresholds": "已登记，但实际能耗低于0.5万tce",
    "above_registered_level": "实际能耗已达1万tce，高于登记类别",
    "unregistered_key_unit": "未登记，但实际能耗已达1万tce",
    "may_be_designated": "未登记，实际能耗在0.5万～1万tce，可由省指定",
}
"""Each key-unit finding (registered level against actual consumption) in words; the
dashboard's zh-CN words are the same."""
BASIS_ZH = {"equivalent": "当量值", "equal": "等价值"}
FACTOR_ZH = {
    "heating value": "低位发热量",
    "carbon content": "单位热值含碳量",
    "oxidation": "碳氧化率",
    "purchased heat factor": "外购热力排放因子",
    "mass fraction": "质量分数",
}
"""Emission-factor names (nenghao.accounting.carbon) in words; grid and process factors are
named by their prefix."""
INDICATOR_QUANTITY = {
    "total_energy_tce": Quantity.TCE,
    "energy_intensity": Quantity.INTENSITY,
    "total_co2_t": Quantity.CO2,
    "carbon_intensity": Quantity.INTENSITY,
}
"""How many decimals each target indicator is shown with."""
OFFICIAL_UNITS = {"kWh": "万kWh", "MWh": "万kWh", "m3": "万m3", "kg": "t"}
"""The unit a statistical form writes a quantity in, for the units items are metered in."""


def chinese_day(day: date) -> str:
    """ "2025年3月14日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def coefficient_text(value: float) -> str:
    """A coefficient with its catalogue digits, or four decimals when it was computed (from
    a measured heating value, say) and has more."""
    text = written(value)
    return f"{value:.4f}" if len(text.partition(".")[2]) > 5 else text


def status_zh(status: str) -> str:
    """ "已核实" for a confirmed catalogue value, "待核实" for any other."""
    return "已核实" if status == "confirmed" else "待核实"


def factor_zh(name: str) -> str:
    """An emission factor's name in Chinese."""
    if name.startswith("grid factor"):
        return "电网排放因子"
    if name.startswith("process factor"):
        return "工业生产过程排放因子"
    return FACTOR_ZH.get(name, name)


def official(quantity: float, unit: str) -> tuple[float, str]:
    """``quantity`` [unit] in the unit officials write it in (kWh -> 万kWh, m3 -> 万m3)."""
    wanted = OFFICIAL_UNITS.get(unit)
    if wanted is None:
        return quantity, unit
    return convert(quantity, unit, wanted), wanted


def energy_name(code: str) -> str:
    """An energy kind's Chinese name (the code itself when the catalogue lacks it)."""
    kind = get_catalog().energy_kinds.get(code)
    return kind.name_zh if kind else code


def division_name(code: str | None) -> str:
    """A division's Chinese name by its GB/T 2260 code."""
    division = get_catalog().divisions.get(code or "")
    return division.name_zh if division else (code or "—")


def scope_title(connection: Connection, scope: Scope, city: str = CITY) -> str:
    """Whose document it is: the city, a district's name or an enterprise's name."""
    if scope.kind == "division":
        return division_name(scope.division_code)
    if scope.kind == "enterprise" and scope.enterprise_id is not None:
        row = enterprises.get(connection, scope, scope.enterprise_id)
        return str(row["name"]) if row else city
    return city
