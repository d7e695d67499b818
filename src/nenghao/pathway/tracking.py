"""Actual CO2 against a scenario's pathway: each year, each month, and the year to date,
like for like.

A pathway is yearly. Its part for a span of a year is the year's value times the share the
same calendar days had in the base year's actual CO2 (the base year's seasonality: winter
heating, the blast-furnace overhaul, the Spring Festival stop). A year or month still in
progress is compared over its elapsed days only and marked partial, with the day it runs to.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection

from nenghao.analytics.ledger import build_series
from nenghao.analytics.periods import Grain, Period, through_label
from nenghao.standards.calendar import add_months, shift_years
from nenghao.store.scope import Scope

from .errors import PathwayInputError
from .model import END_YEAR
from .projection import Projection

__all__ = ["track"]


def _series(connection: Connection, scope: Scope, period: Period, grain: Grain) -> np.ndarray:
    """The city's CO2 per ``grain`` bucket of ``period`` [tCO2]."""
    series = build_series(connection, scope, period, grain, "city", measures=("tco2",))
    groups = series.groups
    return groups["city"][0] if "city" in groups else np.zeros(len(series.starts))


def _span(connection: Connection, scope: Scope, start: date, stop: date) -> float:
    """The city's CO2 over the CST days [start, stop) [tCO2], read by whole months and then
    the days of the last month (rollups of the coarsest grain that fits)."""
    if stop <= start:
        return 0.0
    month = date(stop.year, stop.month, 1)
    total = 0.0
    if month > start:
        total += float(_series(connection, scope, Period("range", start, month), "month").sum())
    if stop > max(month, start):
        days = Period("range", max(month, start), stop)
        total += float(_series(connection, scope, days, "day").sum())
    return total


def _yearly(connection: Connection, scope: Scope, first: int, last: int) -> dict[int, float]:
    """The city's CO2 of each whole year ``first`` .. ``last`` [tCO2]."""
    if last < first:
        return {}
    period = Period("range", date(first, 1, 1), date(last + 1, 1, 1))
    series = build_series(connection, scope, period, "year", "city", measures=("tco2",))
    values = series.groups.get("city", np.zeros((1, last - first + 1)))[0]
    return {first + k: float(v) for k, v in enumerate(values)}


def _deviation(actual: float, pathway: float) -> float | None:
    return None if pathway == 0 else (actual - pathway) / pathway


def _line(
    label: str, actual: float, pathway: float, partial: bool, through: date | None
) -> dict[str, Any]:
    return {
        "period": label,
        "actual_tco2": actual,
        "pathway_tco2": pathway,
        "deviation": _deviation(actual, pathway),
        "partial": partial,
        "through": through.isoformat() if partial and through else None,
        "through_label": through_label(through) if partial and through else None,
    }


def track(
    connection: Connection, scope: Scope, projection: Projection, year: int, today: date
) -> dict[str, Any]:
    """Actual CO2 of ``year`` (and each year since the base year) against ``projection``.

    Parameters
    ----------
    connection : Connection
        Database connection.
    scope : Scope
        The caller's data scope.
    projection : Projection
        The scenario's projection.
    year : int
        The year tracked (from the base year to 2035).
    today : date
        The CST day whose data is not complete yet: spans end the day before.
    """
    base_year = projection.base_year
    if not base_year <= year <= END_YEAR or date(year, 1, 1) >= today:
        raise PathwayInputError(
            f"year {year}: tracking covers the base year {base_year} to {END_YEAR}, up to "
            "the last complete day",
            details={"field": "year", "value": year},
            zh=f"跟踪年份 {year} 不正确：须在基准年 {base_year} 至 {END_YEAR} 年之间且已开始",
        )
    planned = {y.year: y.total for y in projection.years}
    base_months = _series(connection, scope, Period.year(base_year), "month")
    base_total = float(base_months.sum())
    if base_total <= 0:
        raise PathwayInputError(
            f"the base year {base_year} has no CO2 data; the pathway cannot be split by month",
            details={"field": "base_year", "value": base_year},
            zh=f"基准年 {base_year} 没有排放数据，无法按月分解路径",
        )
    cumulative = np.concatenate([[0.0], np.cumsum(base_months)])

    def base_to(day: date) -> float:
        """Base-year CO2 from 1 January to the same calendar day as ``day`` (excluded)."""
        if day.year > year:
            return base_total
        same = shift_years(day, base_year - year)
        whole = float(cumulative[same.month - 1])
        first = date(base_year, same.month, 1)
        return whole + _span(connection, scope, first, same) if same > first else whole

    def share(start: date, stop: date) -> float:
        """The base-year share of the same calendar days as [start, stop)."""
        return (base_to(stop) - base_to(start)) / base_total

    stop = min(date(year + 1, 1, 1), today)
    partial = stop < date(year + 1, 1, 1)
    through = stop - timedelta(days=1)
    last_month = date(stop.year, stop.month, 1) if partial else date(year + 1, 1, 1)
    whole = (
        _series(connection, scope, Period("range", date(year, 1, 1), last_month), "month")
        if last_month > date(year, 1, 1)
        else np.zeros(0)
    )
    tail = _span(connection, scope, last_month, stop) if partial else 0.0
    months = []
    cursor = date(year, 1, 1)
    while cursor < stop:
        month_end = min(add_months(cursor, 1), stop)
        index = cursor.month - 1
        actual = float(whole[index]) if index < len(whole) else tail
        months.append(
            _line(
                f"{cursor:%Y-%m}",
                actual,
                planned[year] * share(cursor, month_end),
                month_end < add_months(cursor, 1),
                through,
            )
        )
        cursor = add_months(cursor, 1)
    ytd_actual = float(whole.sum()) + tail
    year_to_date = _line(
        f"{year}", ytd_actual, planned[year] * share(date(year, 1, 1), stop), partial, through
    )
    past = _yearly(connection, scope, base_year, year - 1)
    years = [_line(str(y), past[y], planned[y], False, None) for y in sorted(past)]
    years.append(year_to_date)
    return {
        "scenario_peak_year": projection.peak_year,
        "year": year,
        "partial": partial,
        "through": through.isoformat(),
        "method": "pathway share of a span = the same calendar days' share of the base "
        f"year's actual CO2 ({base_year}); partial periods compare elapsed days only",
        "year_to_date": year_to_date,
        "months": months,
        "years": years,
    }
