"""Progress of a dual-control target: year to date, deductions, year-end projection, warning.

Indicators (each compared when the target sets it):

* ``total_energy_tce``: assessed total = gross comprehensive consumption (on the target's
  basis) - raw-material energy (发改环资〔2022〕803号) - renewable electricity consumed above
  the 2020 base (发改运行〔2022〕1258号). The deductions are shown separately.
* ``energy_intensity``: gross consumption / added value [tce/万元] - renewable electricity
  still counts for intensity.
* ``total_co2_t``: CO2 [tCO2].
* ``carbon_intensity``: CO2 / added value [tCO2/万元].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from nenghao.accounting import EnergyFlow, comprehensive_consumption, energy_intensity
from nenghao.analytics.item_factors import COLUMN
from nenghao.analytics.items import Filters
from nenghao.analytics.ledger import build_ledger, build_series
from nenghao.analytics.periods import Period
from nenghao.analytics.projection import WORST, Projection, project_year_end, warning_level
from nenghao.standards import Catalog, get_catalog
from nenghao.standards.calendar import shift_years
from nenghao.store import equal_values
from nenghao.store.schema import enterprises
from nenghao.store.scope import Scope

KINDS = ("fence", "product", "value")
INDICATOR_ZH = {
    "total_energy_tce": "能源消费总量",
    "energy_intensity": "能耗强度",
    "total_co2_t": "二氧化碳排放总量",
    "carbon_intensity": "碳排放强度",
}
"""The Chinese name of each indicator, as alerts and documents write it."""
INDICATOR_UNITS = {
    "total_energy_tce": "tce",
    "energy_intensity": "tce/万元",
    "total_co2_t": "tCO2",
    "carbon_intensity": "tCO2/万元",
}
TARGET_LEVEL_ZH = {"city": "全市", "division": "区县", "enterprise": "企业"}
WARNING_ZH = {"green": "正常", "yellow": "黄色预警", "red": "红色预警"}
"""A progress level in words."""


@dataclass(frozen=True)
class Thresholds:
    """Projection/target ratios above which a target turns yellow and red."""

    yellow: float = 0.95
    red: float = 1.0


def subject_name(connection: Connection, target: dict[str, Any]) -> str:
    """The target's subject by name: the enterprise's, or the city's or district's."""
    if target["level"] == "enterprise":
        name = connection.execute(
            select(enterprises.c.name).where(enterprises.c.id == int(target["subject"]))
        ).scalar()
        return str(name) if name else str(target["subject"])
    division = get_catalog().divisions.get(target["subject"])
    return division.name_zh if division else str(target["subject"])


def subject_filters(target: dict[str, Any]) -> Filters:
    """The enterprises a target covers (the city: everything)."""
    if target["level"] == "division":
        return Filters(division=target["division_code"])
    if target["level"] == "enterprise":
        return Filters(enterprise_id=target["enterprise_id"])
    return Filters()


def _figures(vector: Any, basis: str) -> dict[str, float]:
    gross = "equivalent_tce" if basis == "equivalent" else "equal_tce"
    return {
        "gross_tce": float(vector[COLUMN[gross]]),
        "raw_material_tce": float(vector[COLUMN["raw_material_tce"]]),
        "renewable_kwh": float(vector[COLUMN["renewable_kwh"]]),
        "tco2": float(vector[COLUMN["tco2"]]),
        "added_value": float(vector[COLUMN["added_value"]]),
    }


def _totals(
    connection: Connection, period: Period, filters: Filters, basis: str
) -> dict[str, float]:
    ledger = build_ledger(connection, Scope.all(), period, filters, KINDS)
    return _figures(ledger.values.sum(axis=0), basis)


def renewable_above_base_tce(
    kwh: float, base_kwh: float, basis: str, year: int, catalog: Catalog | None = None
) -> float:
    """tce of renewable electricity consumed above the base (0 when at or below it)."""
    above = max(0.0, kwh - base_kwh)
    flow = EnergyFlow(energy="electricity", quantity=above, unit="kWh", role="renewable_above_base")
    result = comprehensive_consumption(
        [flow],
        basis=basis,  # type: ignore[arg-type]
        year=year,
        catalog=catalog,
    )
    return result.renewable_above_base_tce


BASE_SOURCE = {
    "target": "set on the target ({year} base)",
    "metered": "renewable electricity metered in {year}",
    "none": "no {year} renewable electricity recorded or set: base taken as 0 kWh",
}
"""English wording of where the renewable base came from (``renewable_base_origin``)."""


def _base_kwh(
    connection: Connection, target: dict[str, Any], filters: Filters
) -> tuple[float, str]:
    """(renewable electricity of the base year [kWh], where it came from: target, metered,
    none)."""
    base_year = get_catalog().policy.renewable_base_year
    if target.get("renewable_base_kwh") is not None:
        return float(target["renewable_base_kwh"]), "target"
    found = _totals(connection, Period.year(base_year), filters, "equivalent")["renewable_kwh"]
    if found:
        return found, "metered"
    return 0.0, "none"


def progress(
    connection: Connection,
    target: dict[str, Any],
    as_of: date,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """Progress of ``target`` on ``as_of`` (the last CST day counted), with a projection.

    Parameters
    ----------
    connection : Connection
        Database connection.
    target : dict
        A stored target row (the caller has already been checked to see it).
    as_of : date
        The last day counted; clipped to the target's year.
    thresholds : Thresholds, optional
        Warning ratios (default yellow above 0.95, red above 1.0 of the target).

    Returns
    -------
    dict
        Year to date, deductions, projections with their method, and per-indicator and
        overall warning levels.
    """
    limits = thresholds or Thresholds()
    year, basis = int(target["year"]), target["basis"]
    filters = subject_filters(target)
    year_period = Period.year(year)
    last_day = min(max(as_of, year_period.start), year_period.last_day)
    if as_of < year_period.start:
        last_day = year_period.start - timedelta(days=1)
    elapsed = (last_day - year_period.start).days + 1
    ytd = (
        _totals(
            connection,
            Period("range", year_period.start, last_day + timedelta(days=1)),
            filters,
            basis,
        )
        if elapsed > 0
        else dict.fromkeys(
            ("gross_tce", "raw_material_tce", "renewable_kwh", "tco2", "added_value"), 0.0
        )
    )
    previous = Period.year(year - 1)
    last_total = _totals(connection, previous, filters, basis)
    same = (
        _totals(
            connection,
            Period("range", previous.start, _same_day_last_year(last_day)),
            filters,
            basis,
        )
        if elapsed > 0
        else None
    )
    complete = _complete(connection, previous, filters)
    projections: dict[str, Projection] = {
        name: project_year_end(
            ytd[name],
            elapsed,
            year_period.days,
            same[name] if same else None,
            last_total[name],
            complete,
        )
        for name in ytd
    }
    base_kwh, base_origin = _base_kwh(connection, target, filters)
    base_year = get_catalog().policy.renewable_base_year
    share_elapsed = elapsed / year_period.days
    catalog = equal_values.catalog(connection)
    renewable_ytd = renewable_above_base_tce(
        ytd["renewable_kwh"], base_kwh * share_elapsed, basis, year, catalog
    )
    renewable_year = renewable_above_base_tce(
        projections["renewable_kwh"].value, base_kwh, basis, year, catalog
    )
    actual = _indicators(ytd, renewable_ytd)
    projected = _indicators({k: p.value for k, p in projections.items()}, renewable_year)
    indicators = {}
    overall = "green"
    for name in ("total_energy_tce", "energy_intensity", "total_co2_t", "carbon_intensity"):
        goal = target.get(name)
        entry: dict[str, Any] = {
            "target": goal,
            "to_date": actual[name],
            "projected": projected[name],
        }
        value = projected[name]
        if goal is not None and value is not None:
            level = warning_level(value, goal, limits.yellow, limits.red)
            entry["ratio"] = value / goal if goal else None
            entry["level"] = level
            overall = max(overall, level, key=lambda lv: WORST[lv])
        else:
            entry["ratio"], entry["level"] = None, None
        indicators[name] = entry
    return {
        "target": target,
        "as_of": last_day.isoformat(),
        "days_elapsed": elapsed,
        "days_in_year": year_period.days,
        "basis": basis,
        "year_to_date": {
            **ytd,
            "renewable_above_base_tce": renewable_ytd,
            "assessed_tce": actual["total_energy_tce"],
        },
        "deductions": {
            "raw_material_tce": {
                "to_date": ytd["raw_material_tce"],
                "projected": projections["raw_material_tce"].value,
            },
            "renewable_above_base_tce": {"to_date": renewable_ytd, "projected": renewable_year},
            "renewable_base_kwh": base_kwh,
            "renewable_base_source": BASE_SOURCE[base_origin].format(year=base_year),
            "renewable_base_origin": base_origin,
            "renewable_base_year": base_year,
            "renewable_to_date_rule": "the annual base prorated by days elapsed "
            f"({elapsed}/{year_period.days})",
        },
        "projection": {name: p.as_dict() for name, p in projections.items()},
        "indicators": indicators,
        "level": overall,
        "thresholds": {"yellow": limits.yellow, "red": limits.red},
        "method": (
            "projection: last year's seasonal profile scaled by year to date when last year "
            "is complete, else linear run-rate (see projection.*.explanation); "
            "level: red when projected/target > red, yellow when > yellow, else green"
        ),
    }


def _same_day_last_year(day: date) -> date:
    """The day after ``day`` one year earlier (exclusive end of last year's same period)."""
    return shift_years(day, -1) + timedelta(days=1)


def _complete(connection: Connection, previous: Period, filters: Filters) -> bool:
    """Whether last year has fence consumption in all twelve months."""
    built = build_series(
        connection, Scope.all(), previous, "month", "city", filters, measures=("input_tce",)
    )
    city = built.groups.get("city")
    return city is not None and bool((city[0] > 0).all())


def _indicators(values: dict[str, float], renewable_tce: float) -> dict[str, float | None]:
    added = values["added_value"]
    return {
        "total_energy_tce": values["gross_tce"] - values["raw_material_tce"] - renewable_tce,
        "energy_intensity": (
            energy_intensity(values["gross_tce"], added, denominator="added_value").value
            if added > 0
            else None
        ),
        "total_co2_t": values["tco2"],
        "carbon_intensity": values["tco2"] / added if added > 0 else None,
    }
