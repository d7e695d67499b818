"""Minimum indicators every key energy-using unit uploads (national online monitoring system):

1. total comprehensive energy consumption - some metered energy consumption at the fence;
2. daily and monthly consumption of each primary and secondary energy - each energy kind
   consumed at the fence;
3. output (and so unit-product consumption) of products covered by an energy-quota standard;
4. gross industrial output value and industrial added value (monthly).

An indicator is missing for a day (month) when none of its items delivered a reading, or
when no item is registered for it. One event per enterprise and day (month) lists them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import cache

from nenghao.accounting import NoQuotaInForceError, QuotaValuesNotLoadedError, quota_level
from nenghao.monitor.config import DAY, QualityConfig
from nenghao.monitor.data import Item
from nenghao.monitor.events import Event, ItemDay
from nenghao.monitor.series_checks import Window
from nenghao.standards import get_catalog
from nenghao.standards.calendar import cst_date, ending_within

MONTHLY_VALUES = ("output_value", "added_value")


@cache
def is_quota_product(product_code: str | None, on: date) -> bool:
    """Whether an energy-quota standard covers `product_code` (in force on `on` or not)."""
    if not product_code:
        return False
    try:
        quota_level(product_code, 0.0, on)
    except (NoQuotaInForceError, QuotaValuesNotLoadedError):
        return True
    except LookupError:
        return False
    return True


def daily_categories(item: Item, on: date) -> list[str]:
    """The daily minimum indicators `item` supplies."""
    if (
        item.boundary == "enterprise"
        and item.measures == "energy"
        and item.usage
        in (
            "consumption",
            "raw_material",
        )
    ):
        return ["total_consumption", f"energy:{item.energy_kind}"]
    if item.measures == "product" and is_quota_product(item.product_code, on):
        return [f"product:{item.product_code}"]
    return []


def check_indicators(
    items: list[Item],
    tallies: list[ItemDay],
    window: Window,
    config: QualityConfig,
    categories: Callable[[Item, date], list[str]] = daily_categories,
) -> list[Event]:
    """Missing-indicator events per enterprise-day and enterprise-month of the window."""
    del config
    by_enterprise: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_enterprise[item.enterprise_id].append(item)
    received: dict[tuple[int, int], int] = defaultdict(int)
    expected: dict[tuple[int, int], int] = defaultdict(int)
    for tally in tallies:
        received[(tally.item_id, tally.day)] += tally.received
        expected[(tally.item_id, tally.day)] += tally.expected
    events = []
    on = cst_date(window.end - 1)
    for enterprise_id, own in sorted(by_enterprise.items()):
        daily: dict[str, list[Item]] = defaultdict(list)
        for item in own:
            for category in categories(item, on):
                daily[category].append(item)
        for k in range(window.days):
            day = window.start + k * DAY
            judged = [
                name
                for name, members in daily.items()
                if any(expected[(i.id, day)] for i in members)
            ]
            missing = [
                name for name in judged if not any(received[(i.id, day)] for i in daily[name])
            ]
            if judged and "total_consumption" not in daily:
                missing.insert(0, "total_consumption:unregistered")
            if missing:
                events.append(_event(enterprise_id, "day", day, day + DAY, missing))
        for start, end in ending_within("month", window.start, window.end):
            values = {name: [i for i in own if i.measures == name] for name in MONTHLY_VALUES}
            missing = []
            for name, members in values.items():
                if not members:
                    missing.append(f"{name}:unregistered")
                    continue
                slots = [(i.id, start) for i in members if (i.id, start) in expected]
                if slots and not any(received[s] for s in slots):
                    missing.append(name)
            if missing:
                events.append(_event(enterprise_id, "month", start, end, missing))
    return events


INDICATOR_ZH = {
    "total_consumption": "综合能源消费量",
    "output_value": "工业总产值",
    "added_value": "工业增加值",
}


def indicator_name(category: str) -> str:
    """The Chinese name of a minimum indicator: ``energy:<kind>`` by the energy kind's name,
    ``product:<code>`` by the product's name (the catalogue's), ``…:unregistered`` noting that
    no item is registered for it."""
    kind, _, rest = category.partition(":")
    catalog = get_catalog()
    if kind == "energy":
        energy = catalog.energy_kinds.get(rest)
        return f"{energy.name_zh if energy else rest}消费量"
    if kind == "product":
        editions = catalog.quota_standards.get(rest)
        return f"{editions[0].product_name_zh if editions else rest}产量"
    name = INDICATOR_ZH.get(kind, kind)
    return f"{name}（未登记数据项）" if rest == "unregistered" else name


def _event(enterprise_id: int, period: str, start: int, end: int, missing: list[str]) -> Event:
    label = cst_date(start).isoformat() if period == "day" else cst_date(start).strftime("%Y-%m")
    return Event(
        rule="missing_indicator",
        enterprise_id=enterprise_id,
        item_id=None,
        period=period,
        start=start,
        end=end,
        severity="warning",
        message=f"{label} 缺少必报指标：{'、'.join(indicator_name(m) for m in missing)}",
        points=len(missing),
        value=float(len(missing)),
    )
