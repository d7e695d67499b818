"""Deterministic generation of the demo's clean series (no database access here).

Each enterprise gets an activity curve (growth, daily and weekly profile, day-to-day drift,
planned stops per boundary); each item is its hourly rate times the activity of its
boundary, plus the items it is derived from, times its own measurement noise. Random numbers
come from ``numpy.random.default_rng((seed, enterprise index, stream))`` so one item's values
never depend on the order things are generated in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from nenghao.demo.catalogue import SIZING_KGCE
from nenghao.demo.specs import EnterpriseSpec, ItemSpec, ShutdownRule
from nenghao.demo.timegrid import DAY, TimeGrid, spring_festival
from nenghao.standards.calendar import cst_midnight, to_cst

HEATING_MONTHS = (11, 12, 1, 2, 3)
HEATING_MEAN = 0.33
"""Yearly mean of the heating demand curve (0 outside Nov-Mar), used for sizing only."""

_VALLEY = np.array(
    [1.25] * 7 + [1.0] + [0.7] * 4 + [1.0] * 6 + [0.7] * 4 + [1.0] + [1.25], dtype=float
)
_VALLEY_STRONG = np.array(
    [1.55] * 7 + [0.9] + [0.45] * 4 + [0.9] * 6 + [0.45] * 4 + [1.0] + [1.55], dtype=float
)
_DAY_SHIFT = np.array(
    [0.35] * 7 + [0.75] + [1.45] * 4 + [1.0] + [1.45] * 5 + [0.85] * 4 + [0.45] * 2, dtype=float
)
_TWO_SHIFT = np.array([0.2] * 6 + [1.2] * 16 + [0.2] * 2, dtype=float)
_WEEK_DAY_SHIFT = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 0.4])
_WEEK_TWO_SHIFT = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6])


def _normalised(values: np.ndarray) -> np.ndarray:
    return np.asarray(values / values.mean())


@dataclass(frozen=True)
class Window:
    """A planned stop that actually happens: [start, end) Unix seconds."""

    enterprise: str
    kind: str
    description: str
    factor: float
    boundaries: tuple[str, ...]
    start: int
    end: int


@dataclass
class Series:
    """One item's generated values on the whole grid (hourly) or per month (monthly)."""

    item: ItemSpec
    values: np.ndarray
    present: np.ndarray
    register: np.ndarray | None = None
    received_at: np.ndarray | None = None
    register_drop: tuple[int, float] | None = None


@dataclass
class EnterpriseData:
    """Everything generated for one enterprise."""

    spec: EnterpriseSpec
    index: int
    annual_tce: float
    level: str
    series: dict[str, Series] = field(default_factory=dict)
    windows: list[Window] = field(default_factory=list)


def heating_demand(grid: TimeGrid) -> np.ndarray:
    """0..~1.1: how hard buildings are heated (Anshan climate proxy; 0 outside Nov-Mar)."""
    doy = grid.day_of_year.astype(float)
    temperature = 9.0 - 17.0 * np.cos(2 * np.pi * (doy - 18.0) / 365.25)
    temperature += 4.0 * np.cos(2 * np.pi * (grid.hour_of_day - 15.0) / 24.0)
    demand = np.clip((18.0 - temperature) / 28.0, 0.0, 1.2)
    season = np.isin(grid.month, HEATING_MONTHS)
    return np.where(season, demand, 0.0)


def nominal_rate(spec: EnterpriseSpec, item: ItemSpec) -> float:
    """The item's mean hourly amount over a year at nominal activity (for sizing)."""
    base = item.rate * ((1 - item.heating) + item.heating * HEATING_MEAN)
    return base + sum(factor * nominal_rate(spec, spec.item(code)) for code, factor in item.derive)


def annual_tce(spec: EnterpriseSpec) -> float:
    """Nominal comprehensive consumption at the enterprise fence [tce/yr] (sizing only)."""
    total = 0.0
    for item in spec.items:
        if item.boundary != "enterprise" or item.energy_kind is None:
            continue
        if item.usage == "production":
            continue
        sign = -1.0 if item.usage == "export" else 1.0
        total += sign * nominal_rate(spec, item) * SIZING_KGCE[item.energy_kind] * 8760 / 1000
    return total


def key_unit_level(tce: float) -> str:
    """key >= 10 000 tce/yr, designated 5 000-10 000, none below."""
    if tce >= 10_000:
        return "key"
    if tce >= 5_000:
        return "designated"
    return "none"


def shutdown_windows(
    spec: EnterpriseSpec, grid: TimeGrid, rng: np.random.Generator
) -> list[Window]:
    """The planned stops of `spec` that overlap the grid."""
    first = to_cst(grid.grid_start).year - 1
    last = to_cst(grid.end).year + 1
    out = []
    for rule in spec.shutdowns:
        jitter = int(rng.integers(-3, 4))
        for year in range(first, last + 1):
            start_day, end_day = _rule_days(rule, year, jitter)
            start, end = cst_midnight(start_day), cst_midnight(end_day)
            if end > grid.grid_start and start < grid.end:
                out.append(
                    Window(
                        enterprise=spec.key,
                        kind=rule.kind,
                        description=rule.description,
                        factor=rule.factor,
                        boundaries=rule.boundaries,
                        start=start,
                        end=end,
                    )
                )
    return out


def _rule_days(rule: ShutdownRule, year: int, jitter: int) -> tuple[date, date]:
    if rule.kind == "spring_festival":
        festival = spring_festival(year)
        return festival - timedelta(days=rule.before), festival + timedelta(days=rule.after)
    if rule.kind == "holiday":
        first = date(year, rule.month, rule.day)
    else:
        first = date(year, rule.month, rule.day) + timedelta(days=jitter)
    return first, first + timedelta(days=rule.days)


def activity(spec: EnterpriseSpec, grid: TimeGrid, rng: np.random.Generator) -> np.ndarray:
    """The enterprise's production activity (mean about 1) on the grid, before stops."""
    n_days = int(grid.day_index[-1]) + 1
    profile = spec.profile
    if profile == "valley":
        hourly = _normalised(_VALLEY)[grid.hour_of_day]
    elif profile == "valley_strong":
        hourly = _normalised(_VALLEY_STRONG)[grid.hour_of_day]
    elif profile == "day_shift":
        week = _WEEK_DAY_SHIFT[grid.weekday]
        hourly = _DAY_SHIFT[grid.hour_of_day] * week / (_DAY_SHIFT.mean() * _WEEK_DAY_SHIFT.mean())
    elif profile == "two_shift":
        week = _WEEK_TWO_SHIFT[grid.weekday]
        hourly = _TWO_SHIFT[grid.hour_of_day] * week / (_TWO_SHIFT.mean() * _WEEK_TWO_SHIFT.mean())
    else:
        hourly = 1.0 + 0.025 * np.sin(2 * np.pi * (grid.hour_of_day - 10) / 24.0)
    # day-to-day drift: AR(1) on days
    shocks = rng.normal(0.0, 0.025, n_days)
    drift = np.empty(n_days)
    level = 0.0
    for day in range(n_days):
        level = 0.75 * level + shocks[day]
        drift[day] = level
    years = (grid.hours - grid.end).astype(float) / (365.25 * DAY)
    growth = 1.0 + spec.growth * years
    seasonal = 1.0 + 0.02 * np.cos(2 * np.pi * (grid.day_of_year - 200) / 365.25)
    return np.asarray(hourly * (1.0 + drift[grid.day_index]) * growth * seasonal)


def boundary_activity(
    base: np.ndarray, windows: list[Window], boundary: str, grid: TimeGrid
) -> np.ndarray:
    """`base` with the stops that affect `boundary` applied."""
    result = base
    for window in windows:
        if window.boundaries and boundary not in window.boundaries:
            continue
        lo = max(0, (window.start - grid.grid_start) // 3600)
        hi = min(len(base), (window.end - grid.grid_start) // 3600)
        if hi <= lo:
            continue
        if result is base:
            result = base.copy()
        result[lo:hi] *= window.factor
    return result


def generate_enterprise(
    spec: EnterpriseSpec, index: int, grid: TimeGrid, seed: int, demand: np.ndarray
) -> EnterpriseData:
    """All clean series of one enterprise."""
    tce = annual_tce(spec)
    data = EnterpriseData(spec=spec, index=index, annual_tce=tce, level=key_unit_level(tce))
    rng = np.random.default_rng((seed, index, 0))
    data.windows = shutdown_windows(spec, grid, rng)
    base = activity(spec, grid, rng)
    cache: dict[str, np.ndarray] = {}

    def act(boundary: str) -> np.ndarray:
        if boundary not in cache:
            cache[boundary] = boundary_activity(base, data.windows, boundary, grid)
        return cache[boundary]

    hourly = [item for item in spec.items if item.period == "hour"]
    done: dict[str, np.ndarray] = {}
    pending = list(hourly)
    while pending:
        progressed = False
        for item in list(pending):
            if any(code not in done for code, _ in item.derive):
                continue
            position = spec.items.index(item) + 1
            item_rng = np.random.default_rng((seed, index, position))
            done[item.code] = _hourly_values(item, act, demand, done, item_rng)
            pending.remove(item)
            progressed = True
        if not progressed:  # pragma: no cover - catalogue error
            raise RuntimeError(f"circular derive in {spec.key}: {[i.code for i in pending]}")
    for item in hourly:
        values = done[item.code]
        data.series[item.code] = Series(
            item=item, values=values, present=np.ones(len(values), dtype=bool)
        )
    _monthly(data, grid, act("enterprise"), seed)
    return data


def _hourly_values(
    item: ItemSpec,
    act: Callable[[str], np.ndarray],
    demand: np.ndarray,
    done: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> np.ndarray:
    n = len(demand)
    values = np.zeros(n)
    if item.rate:
        level = act(item.boundary) if item.follows else 1.0
        if item.heating:
            level = level * ((1.0 - item.heating) + item.heating * demand)
        values = item.rate * level * np.ones(n)
    for code, factor in item.derive:
        values = values + factor * done[code]
    noise = rng.normal(0.0, item.noise, n)
    values = values * (1.0 + noise)
    values = np.maximum(values, item.floor)
    decimals = 3 if item.unit == "t" else 2
    return np.round(values, decimals)


def _monthly(data: EnterpriseData, grid: TimeGrid, act: np.ndarray, seed: int) -> None:
    spec = data.spec
    rng = np.random.default_rng((seed, data.index, 10_000))
    monthly_output = max(data.annual_tce, 50.0) / spec.value_intensity / 12.0
    months = grid.months
    output = np.zeros(len(months))
    for position, month_start in enumerate(months):
        lo = (month_start - grid.grid_start) // 3600
        hi = (grid.month_end(month_start) - grid.grid_start) // 3600
        days = (hi - lo) / 24.0
        output[position] = monthly_output * float(act[lo:hi].mean()) * days / 30.4375
    output = np.round(output * (1.0 + rng.normal(0.0, 0.03, len(months))), 2)
    added = np.round(output * spec.added_share * (1.0 + rng.normal(0.0, 0.05, len(months))), 2)
    for item in spec.items:
        if item.period != "month":
            continue
        values = output if item.measures == "output_value" else added
        received = np.array([grid.month_end(m) for m in months], dtype=np.int64)
        data.series[item.code] = Series(
            item=item,
            values=values.copy(),
            present=np.ones(len(months), dtype=bool),
            received_at=received,
        )
