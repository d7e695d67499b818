"""The reference catalogue as listings, for the API (full items) and the CLI (flat rows).

Every flat row has ``key``, ``name``, ``value``, ``unit``, ``source`` and ``status``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nenghao.standards.jsonable import jsonable

SECTIONS = ("energy-kinds", "quotas", "emission-factors", "divisions", "industries")


def _energy_items(catalog: Any) -> list[dict[str, Any]]:
    return [jsonable(kind) for kind in catalog.energy_kinds.values()]


def _quota_items(catalog: Any) -> list[dict[str, Any]]:
    return [jsonable(e) for editions in catalog.quota_standards.values() for e in editions]


def _factor_items(catalog: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for entry in catalog.grid_factors:
        data = jsonable(entry)
        factor = data.pop("factor", {})
        items.append({"kind": "grid", **data, **factor})
    items += [{"kind": "heat", **jsonable(factor)} for factor in catalog.heat_factors]
    for kind in catalog.energy_kinds.values():
        if getattr(kind, "carbon", None) is not None:
            items.append({"kind": "fuel_carbon", "energy": kind.code, **jsonable(kind.carbon)})
    items += [
        {"kind": "process", **jsonable(factor)} for factor in catalog.process_factors.values()
    ]
    return items


def _place_items(mapping_name: str) -> Callable[[Any], list[dict[str, Any]]]:
    return lambda catalog: [jsonable(v) for v in getattr(catalog, mapping_name).values()]


ITEMS: dict[str, Callable[[Any], list[dict[str, Any]]]] = {
    "energy-kinds": _energy_items,
    "quotas": _quota_items,
    "emission-factors": _factor_items,
    "divisions": _place_items("divisions"),
    "industries": _place_items("industries"),
}


def items(section: str, catalog: Any) -> list[dict[str, Any]]:
    """Full JSON items of a catalogue section."""
    return ITEMS[section](catalog)


def _row(key: str, name: str, value: Any, unit: str, sourced: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "value": value,
        "unit": unit,
        "source": sourced.get("source", ""),
        "status": sourced.get("status", ""),
    }


def _flat(section: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    if section == "energy-kinds":
        coefficient = item["coefficient"]
        name = f"{item['name_zh']} {item['name_en']}"
        return [_row(item["code"], name, coefficient["value"], coefficient["unit"], coefficient)]
    if section == "quotas":
        levels = " / ".join(f"{k} {v:g}" for k, v in item["levels"].items())
        name = f"{item['product_name_zh']} ({item['standard']})"
        return [_row(item["product"], name, levels, item["unit"], item)]
    if section == "emission-factors":
        return _flat_factor(item)
    kind = item.get("level") or item.get("cluster") or ""
    return [_row(item["code"], f"{item['name_zh']} {item['name_en']}", kind, "", item)]


def _flat_factor(item: dict[str, Any]) -> list[dict[str, Any]]:
    kind = item["kind"]
    if kind == "grid":
        years = f"{item.get('year_from')}-{item.get('year_to')}"
        key = f"grid {item.get('region')}/{item.get('series')}"
        return [_row(key, years, item["value"], item["unit"], item)]
    if kind == "fuel_carbon":
        return [
            _row(
                f"carbon {item['energy']}",
                part,
                item[part]["value"],
                item[part]["unit"],
                item[part],
            )
            for part in ("heating_value", "carbon_content", "oxidation")
        ]
    key = "heat" if kind == "heat" else f"process {item.get('code')}"
    return [
        _row(key, item.get("name_zh", item.get("note") or ""), item["value"], item["unit"], item)
    ]


def rows(section: str, catalog: Any) -> list[dict[str, Any]]:
    """Flat rows (key, name, value, unit, source, status) of a catalogue section."""
    return [row for item in items(section, catalog) for row in _flat(section, item)]
