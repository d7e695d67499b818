"""Consumption statistics: totals, rankings, energy mix, intensity, and the city overview
series (comparisons: :mod:`nenghao.analytics.comparison`).

Every answer is a JSON-ready dict that says which period, grouping, basis and coefficients it
used. ``equivalent_tce`` is the gross comprehensive energy consumption at the enterprise
fence (GB/T 2589-2020: inputs + energy-carrying media - energy delivered to others) at
equivalent value (当量值); ``equal_tce`` the same at equal value (等价值).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import Connection

from nenghao.accounting import InvalidQuantityError, energy_intensity
from nenghao.analytics.errors import AnalyticsInputError
from nenghao.analytics.item_factors import COLUMN, MEASURES, coefficients_used
from nenghao.analytics.items import Filters
from nenghao.analytics.ledger import (
    GROUPINGS,
    Ledger,
    build_ledger,
    build_series,
    names_of,
)
from nenghao.analytics.periods import Grain, Period
from nenghao.store.scope import Scope

FIGURES = {
    "equivalent_tce": "equivalent_tce",
    "equal_tce": "equal_tce",
    "tco2": "tco2",
    "raw_material_tce": "raw_material_tce",
    "exported_tce": "exported_tce",
    "renewable_electricity_kwh": "renewable_kwh",
    "renewable_electricity_tce": "renewable_tce",
    "output_value_10k_yuan": "output_value",
    "added_value_10k_yuan": "added_value",
}
"""Answer field -> ledger measure."""
RANKABLE = ("equivalent_tce", "equal_tce", "tco2")
NOTES = {
    "equivalent_tce": "gross comprehensive energy consumption at the enterprise fence, "
    "equivalent value (当量值), GB/T 2589-2020: inputs + media - energy delivered to others",
    "equal_tce": "the same at equal value (等价值): electricity at the statistics year's "
    "equal-value coefficient; kinds without a configured equal-value coefficient (heat) are "
    "listed in equal_value_unconverted and left out of equal_tce",
    "tco2": "combustion of fossil fuels, purchased electricity (grid factor of the year), "
    "purchased heat and steam, process CO2 of calcined products; exported electricity and "
    "heat are not credited, renewable electricity emits none; quantities without a factor "
    "for the year are listed in co2_unconverted and left out of tco2",
    "raw_material_tce": "energy used as raw material (发改环资〔2022〕803号), included in "
    "equivalent_tce and shown separately as a dual-control deduction",
}


def check_grouping(by: str) -> None:
    if by not in GROUPINGS:
        raise AnalyticsInputError(
            f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}",
            details={"by": by},
        )


def figures(vector: np.ndarray, unconverted: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The answer fields of one measure vector."""
    out: dict[str, Any] = {name: float(vector[COLUMN[m]]) for name, m in FIGURES.items()}
    entries = unconverted or []
    equal = [e for e in entries if e["measure"] == "equal_tce"]
    carbon = [e for e in entries if e["measure"] == "tco2"]
    out["equal_value_complete"] = not equal
    out["equal_value_unconverted"] = equal
    out["co2_complete"] = not carbon
    out["co2_unconverted"] = carbon
    return out


def _rows(connection: Connection, ledger: Ledger, by: str) -> list[dict[str, Any]]:
    grouped = ledger.grouped(by)
    missing = ledger.unconverted(by)
    names = names_of(connection, by, grouped)
    rows = [
        {"key": key, "name": names.get(key, str(key)), **figures(vector, missing.get(key))}
        for key, vector in grouped.items()
    ]
    rows.sort(key=lambda row: -row["equivalent_tce"])
    return rows


def _total(ledger: Ledger) -> dict[str, Any]:
    vector = ledger.values.sum(axis=0) if len(ledger.items) else np.zeros(len(MEASURES))
    return figures(vector, ledger.unconverted("city").get("city"))


def context(ledger: Ledger, by: str | None = None) -> dict[str, Any]:
    return {
        "period": ledger.period.label,
        "start": ledger.period.start.isoformat(),
        "end": ledger.period.last_day.isoformat(),
        **({"by": by} if by else {}),
    }


def _coefficients(ledger: Ledger) -> list[dict[str, Any]]:
    used: list[dict[str, Any]] = []
    for piece in ledger.period.years():
        year = piece.start.year
        used += coefficients_used(ledger.items, year, ledger.equal.get(year))
    return used


def consumption(
    connection: Connection,
    scope: Scope,
    period: Period,
    by: str = "enterprise",
    filters: Filters | None = None,
) -> dict[str, Any]:
    """Comprehensive consumption (equivalent and equal value) and CO2 per group of ``by``."""
    check_grouping(by)
    ledger = build_ledger(connection, scope, period, filters)
    return {
        **context(ledger, by),
        "units": {"energy": "tce", "co2": "tCO2", "value": "万元", "electricity": "kWh"},
        "rows": _rows(connection, ledger, by),
        "total": _total(ledger),
        "notes": NOTES,
        "coefficients": _coefficients(ledger),
    }


def ranking(
    connection: Connection,
    scope: Scope,
    period: Period,
    by: str = "enterprise",
    measure: str = "equivalent_tce",
    limit: int = 10,
    ascending: bool = False,
    filters: Filters | None = None,
) -> dict[str, Any]:
    """Groups ranked by ``measure`` (largest first unless ``ascending``), with shares."""
    if measure not in RANKABLE:
        raise AnalyticsInputError(
            f"cannot rank by {measure!r}; use one of {', '.join(RANKABLE)}",
            details={"measure": measure},
        )
    answer = consumption(connection, scope, period, by, filters)
    rows = sorted(answer["rows"], key=lambda row: row[measure], reverse=not ascending)
    total = answer["total"][measure]
    ranked = [
        {
            "rank": position,
            "key": row["key"],
            "name": row["name"],
            "value": row[measure],
            "share": row[measure] / total if total else None,
        }
        for position, row in enumerate(rows[:limit], start=1)
    ]
    return {
        **{k: answer[k] for k in ("period", "start", "end", "by")},
        "measure": measure,
        "order": "ascending" if ascending else "descending",
        "total": total,
        "rows": ranked,
        "notes": {measure: NOTES[measure]},
    }


def energy_mix(
    connection: Connection, scope: Scope, period: Period, filters: Filters | None = None
) -> dict[str, Any]:
    """Energy consumed by kind (physical quantity and tce) with shares of all energy consumed.

    Shares are of the energy that came into use (inputs, media and raw material at equivalent
    value); energy delivered to others is listed per kind beside it, not netted in the share.
    """
    ledger = build_ledger(connection, scope, period, filters, kinds=("fence",))
    kinds: dict[str, dict[str, Any]] = {}
    for position, item in enumerate(ledger.items):
        if item.energy_kind is None:
            continue
        entry = kinds.setdefault(
            item.energy_kind,
            {
                "energy_kind": item.energy_kind,
                "quantities": {},
                "used_tce": 0.0,
                "exported_tce": 0.0,
            },
        )
        values = ledger.values[position]
        used = float(values[COLUMN["input_tce"]] + values[COLUMN["raw_material_tce"]])
        entry["used_tce"] += used
        entry["exported_tce"] += float(values[COLUMN["exported_tce"]])
        if used:
            unit = item.unit
            entry["quantities"][unit] = entry["quantities"].get(unit, 0.0) + float(
                ledger.quantities[position]
            )
    total = sum(entry["used_tce"] for entry in kinds.values())
    names = names_of(connection, "energy_kind", kinds)
    rows = []
    for code, entry in sorted(kinds.items(), key=lambda kv: -kv[1]["used_tce"]):
        quantities = [{"quantity": q, "unit": u} for u, q in entry.pop("quantities").items()]
        rows.append(
            {
                **entry,
                "name": names[code],
                "quantities_used": quantities,
                "share": entry["used_tce"] / total if total else None,
            }
        )
    return {
        **context(ledger),
        "basis": "equivalent",
        "total_used_tce": total,
        "rows": rows,
        "coefficients": _coefficients(ledger),
    }


def _intensity(consumption_tce: float, value: float, denominator: str) -> dict[str, Any]:
    try:
        result = energy_intensity(consumption_tce, value, denominator=denominator)  # type: ignore[arg-type]
    except InvalidQuantityError as exc:
        return {"value": None, "unit": "tce/万元", "reason": str(exc)}
    return {"value": result.value, "unit": result.unit, "reason": None}


def intensity(
    connection: Connection,
    scope: Scope,
    period: Period,
    by: str = "enterprise",
    filters: Filters | None = None,
) -> dict[str, Any]:
    """Consumption per 10 000 yuan of output value and of added value, per group.

    The numerator is gross comprehensive consumption (equivalent value; renewable
    electricity still counts for intensity, 发改运行〔2022〕1258号); the denominators are
    the enterprises' reported output and added value (万元) in the same period.
    """
    check_grouping(by)
    ledger = build_ledger(connection, scope, period, filters)
    rows = []
    for row in _rows(connection, ledger, by):
        tce = row["equivalent_tce"]
        rows.append(
            {
                "key": row["key"],
                "name": row["name"],
                "equivalent_tce": tce,
                "tco2": row["tco2"],
                "output_value_10k_yuan": row["output_value_10k_yuan"],
                "added_value_10k_yuan": row["added_value_10k_yuan"],
                "per_output_value": _intensity(tce, row["output_value_10k_yuan"], "output_value"),
                "per_added_value": _intensity(tce, row["added_value_10k_yuan"], "added_value"),
                "co2_per_added_value": _intensity(
                    row["tco2"], row["added_value_10k_yuan"], "added_value"
                )
                | {"unit": "tCO2/万元"},
            }
        )
    return {
        **context(ledger, by),
        "rows": rows,
        "notes": {
            "per_output_value": "tce per 10 000 yuan of output value (GB/T 2589-2020)",
            "per_added_value": "tce per 10 000 yuan of added value (单位增加值能耗)",
            "value": "null when the enterprise reported no value for the period (reason given)",
        },
    }


def _series_groups(
    connection: Connection, by: str, groups: dict[Any, np.ndarray]
) -> list[dict[str, Any]]:
    names = names_of(connection, by, groups)
    return [
        {
            "key": key,
            "name": names.get(key, str(key)),
            "equivalent_tce": matrix[0].tolist(),
            "equal_tce": matrix[1].tolist(),
            "tco2": matrix[2].tolist(),
        }
        for key, matrix in groups.items()
    ]


SERIES_NOTES = {
    "equal_tce": "quantities without an equal-value coefficient (heat) are left out; "
    "see /stats/consumption for what was not converted",
}


def series(
    connection: Connection,
    scope: Scope,
    period: Period,
    grain: Grain,
    by: str = "city",
    filters: Filters | None = None,
) -> dict[str, Any]:
    """Equivalent, equal-value tce and tCO2 per ``grain`` bucket per group of ``by``."""
    check_grouping(by)
    built = build_series(connection, scope, period, grain, by, filters)
    return {
        "period": period.label,
        "grain": grain,
        "by": by,
        "buckets": [day.isoformat() for day in built.starts],
        "groups": _series_groups(connection, by, built.groups),
        "notes": SERIES_NOTES,
    }


def overview(
    connection: Connection, scope: Scope, year: int, filters: Filters | None = None
) -> dict[str, Any]:
    """The city overview: the year's monthly totals by division and by industry."""
    built = build_series(
        connection, scope, Period.year(year), "month", ("division", "industry"), filters
    )
    return {
        "year": year,
        "grain": "month",
        "buckets": [day.isoformat() for day in built.starts],
        "by": {
            name: _series_groups(connection, name, groups)
            for name, groups in built.groupings.items()
        },
        "notes": SERIES_NOTES,
    }
