"""Injected data faults for the data-quality engine to find, and meter registers.

Every fault is applied to the generated series in place and returned as a manifest record.
Positions are fractions of the written range (so short test sets hold every hourly fault),
jittered by the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nenghao.demo.generate import EnterpriseData, Series
from nenghao.demo.timegrid import DAY, HOUR, TimeGrid


@dataclass(frozen=True)
class FaultPlan:
    """One fault to inject: kind, enterprise key, item code (None: every item), where."""

    kind: str
    enterprise: str
    item: str | None
    at: float = 0.5
    hours: int = 1
    factor: float = 1.0
    lag_days: int = 0


FAULT_PLAN: tuple[FaultPlan, ...] = (
    FaultPlan("gap", "mg-fused-02", "ent.electricity", at=0.22, hours=6),
    FaultPlan("gap", "steel-int", "blast_furnace.oxygen", at=0.47, hours=3),
    FaultPlan("missing_day", "eq-03", None, at=0.5),
    FaultPlan("spike", "steel-int", "sintering.electricity", at=0.15, factor=8.0),
    FaultPlan("spike", "chem-02", "ent.natural_gas", at=0.55, factor=10.0),
    FaultPlan("spike", "mg-light-01", "kiln.raw_coal", at=0.8, factor=7.0),
    FaultPlan("flat_line", "eaf-02", "eaf.electricity", at=0.3, hours=36),
    FaultPlan("flat_line", "chem-04", "ent.steam", at=0.62, hours=48),
    FaultPlan("negative", "proc-01", "ent.natural_gas", at=0.65),
    FaultPlan("register_backwards", "eq-01", "ent.electricity", at=0.4),
    FaultPlan("level_shift", "chem-01", "ent.electricity", factor=1.35),
    FaultPlan("late_filing", "mg-dead-01", "ent.output_value", lag_days=8),
    FaultPlan("missing_filing", "eq-05", None),
)


@dataclass(frozen=True)
class FaultRecord:
    """An injected fault as it lands in the data (instants are Unix seconds)."""

    kind: str
    enterprise: str
    item: str
    start: int
    end: int
    description: str


def _typical(series: Series, lo: int, hi: int) -> float:
    window = series.values[lo:hi]
    positive = window[window > 0]
    return float(np.median(positive)) if positive.size else 1.0


def inject(data: dict[str, EnterpriseData], grid: TimeGrid, seed: int) -> list[FaultRecord]:
    """Apply `FAULT_PLAN` to the generated data; return what was injected."""
    rng = np.random.default_rng((seed, 99_999))
    off = grid.offset
    n = grid.n_written
    days = n // 24
    out: list[FaultRecord] = []
    for plan in FAULT_PLAN:
        ent = data[plan.enterprise]
        jitter = int(rng.integers(0, max(1, n // 25)))
        if plan.kind in {"gap", "spike", "flat_line", "negative", "register_backwards"}:
            assert plan.item is not None
            series = ent.series[plan.item]
            length = plan.hours if plan.kind != "flat_line" else min(plan.hours, max(6, n // 6))
            first = min(int(plan.at * n) + jitter, n - length - 1)
            first = max(first, 1)
            lo, hi = off + first, off + first + length
            start, end = int(grid.hours[lo]), int(grid.hours[lo]) + length * HOUR
            typical = _typical(series, off, off + n)
            if plan.kind == "gap":
                series.present[lo:hi] = False
                text = f"{length} hourly readings missing (gateway dropped them)"
            elif plan.kind == "spike":
                series.values[lo] = round(typical * plan.factor, 2)
                text = f"spike: one hour at {plan.factor:g}x the item's typical hourly value"
            elif plan.kind == "flat_line":
                series.values[lo:hi] = series.values[lo - 1]
                text = f"stuck meter: {length} hours repeat the same value"
            elif plan.kind == "negative":
                series.values[lo] = -round(max(abs(series.values[lo]), typical * 0.5), 2)
                text = "negative interval value (sign error in the access-end system)"
            else:
                drop = round(float(series.values[lo]) + 4.0 * typical, 2)
                series.register_drop = (lo, drop)
                text = (
                    f"register goes backwards by {drop - float(series.values[lo]):.0f} "
                    f"{series.item.unit} (meter replaced without re-basing)"
                )
                end = start + HOUR
            out.append(FaultRecord(plan.kind, ent.spec.key, plan.item, start, end, text))
        elif plan.kind == "missing_day":
            day = min(max(int(plan.at * days), 0), days - 1)
            lo, hi = off + day * 24, off + day * 24 + 24
            for code, series in ent.series.items():
                if series.item.period != "hour":
                    continue
                series.present[lo:hi] = False
                out.append(
                    FaultRecord(
                        "missing_day",
                        ent.spec.key,
                        code,
                        int(grid.hours[lo]),
                        int(grid.hours[lo]) + DAY,
                        "a whole CST day missing (access-end gateway outage)",
                    )
                )
        elif plan.kind == "level_shift":
            assert plan.item is not None
            series = ent.series[plan.item]
            day = max(days // 2, days - 60)
            lo = off + day * 24
            series.values[lo : off + n] = np.round(series.values[lo : off + n] * plan.factor, 2)
            out.append(
                FaultRecord(
                    "level_shift",
                    ent.spec.key,
                    plan.item,
                    int(grid.hours[lo]),
                    grid.end,
                    f"level shift: values x{plan.factor:g} from here on "
                    "(current-transformer ratio changed, not re-configured)",
                )
            )
        elif plan.kind in {"late_filing", "missing_filing"}:
            out.extend(_monthly_fault(plan, ent, grid))
    _registers(data, seed)
    return out


def _monthly_fault(plan: FaultPlan, ent: EnterpriseData, grid: TimeGrid) -> list[FaultRecord]:
    months = grid.months
    records = []
    if plan.kind == "late_filing":
        assert plan.item is not None
        lag = plan.lag_days * DAY
        eligible = [i for i, m in enumerate(months) if grid.month_end(m) + lag <= grid.end]
        if not eligible:
            return []
        position = eligible[-1]
        series = ent.series[plan.item]
        assert series.received_at is not None
        series.received_at[position] += lag
        month = months[position]
        return [
            FaultRecord(
                "late_filing",
                ent.spec.key,
                plan.item,
                month,
                grid.month_end(month),
                f"monthly filing received {plan.lag_days} days after the month closed",
            )
        ]
    if not months:
        return []
    position = len(months) - 1
    month = months[position]
    for code, series in ent.series.items():
        if series.item.period != "month":
            continue
        series.present[position] = False
        records.append(
            FaultRecord(
                "missing_filing",
                ent.spec.key,
                code,
                month,
                grid.month_end(month),
                "monthly filing never submitted",
            )
        )
    return records


def _registers(data: dict[str, EnterpriseData], seed: int) -> None:
    """Fill the cumulative register of every register item (after value faults)."""
    for ent in data.values():
        for position, (_code, series) in enumerate(sorted(ent.series.items())):
            if series.item.value_kind != "register":
                continue
            rng = np.random.default_rng((seed, ent.index, 50_000 + position))
            start = float(np.round(rng.uniform(1e5, 5e6), 0))
            increments = np.where(series.present, series.values, 0.0)
            register = start + np.cumsum(increments)
            if series.register_drop is not None:
                hour, drop = series.register_drop
                register[hour:] -= drop
            series.register = np.round(register, 2)
