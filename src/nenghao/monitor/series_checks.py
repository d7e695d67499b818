"""Point-level rules over a block of fixed-period series: completeness, timeliness, time
tags and meter anomalies, tallied per item and CST day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nenghao.monitor import rules
from nenghao.monitor.config import DAY, QualityConfig
from nenghao.monitor.data import Block, Item
from nenghao.monitor.events import Event, ItemDay
from nenghao.standards.calendar import to_cst


@dataclass(frozen=True)
class Window:
    """The CST days ``[start, end)`` judged, as known at `as_of` (Unix seconds)."""

    start: int
    end: int
    as_of: int

    @property
    def days(self) -> int:
        """Number of CST days."""
        return (self.end - self.start) // DAY


def _label(ts: int, period: str) -> str:
    local = to_cst(ts)
    if period == "day":
        return local.date().isoformat()
    return local.strftime("%Y-%m-%d %H:%M")


def check_block(
    block: Block, window: Window, config: QualityConfig
) -> tuple[list[Event], list[ItemDay]]:
    """Events and item-day tallies of one block (loaded with one day before and after the
    window so that spikes at the window's edges have both sides).

    Returns
    -------
    (list of Event, list of ItemDay)
    """
    step = block.step
    per_day = DAY // step
    first = (window.start - block.lo) // step
    last = first + window.days * per_day
    starts = block.starts
    ends = starts + step
    deadline = config.deadline_s[block.period]
    tolerance = config.tag_tolerance_s[block.period]
    created = np.array([item.created_at for item in block.items], dtype=np.int64)
    present = np.isfinite(block.values)
    due = (ends[None, :] + deadline <= window.as_of) & (ends[None, :] > created[:, None])
    on_time = present & (block.received <= ends[None, :] + deadline)
    early = present & (block.received < ends[None, :] - tolerance)

    allowed = np.array([item.allow_negative for item in block.items], dtype=bool)
    negative = rules.negatives(block.values, allowed)
    spike = rules.spikes(
        block.values,
        config.spike_window,
        config.spike_ratio,
        config.spike_mad_k,
        config.spike_mad_floor,
    )
    registers = np.where(
        np.array([item.value_kind == "register" for item in block.items])[:, None],
        block.registers,
        np.nan,
    )
    backwards = rules.register_drops(registers, config.register_tolerance) & ~block.declared
    flat = rules.flat_runs(block.values, config.flat_min_points.get(block.period, 10**9))
    stuck = np.zeros_like(present)
    for run in flat:
        stuck[run.row, run.start : run.start + run.length] = True

    inside = np.zeros(present.shape[1], dtype=bool)
    inside[first:last] = True
    events: list[Event] = []
    for mask, rule, severity, text in (
        (negative, "negative", "warning", "negative interval value {v:g} {u}"),
        (spike, "spike", "warning", "spike: {v:g} {u}, far above the running level"),
        (backwards, "register_backwards", "warning", "register reads {r:g} {u}, less than before"),
        (early, "time_tag", "warning", "value received before its period ended"),
    ):
        for row, col in np.argwhere(mask & inside[None, :]):
            item = block.items[row]
            events.append(
                Event(
                    rule=rule,
                    enterprise_id=item.enterprise_id,
                    item_id=item.id,
                    period=block.period,
                    start=int(starts[col]),
                    end=int(ends[col]),
                    severity=severity,
                    message=f"{item.code} {_label(int(starts[col]), block.period)}: "
                    + text.format(
                        v=float(block.values[row, col]),
                        r=float(block.registers[row, col]),
                        u=item.unit,
                    ),
                    value=float(block.values[row, col]),
                )
            )
    gaps = rules.runs(due & ~present, config.gap_min_points.get(block.period, 10**9))
    for row, start, length in gaps:
        if start + length <= first or start >= last:
            continue
        item = block.items[row]
        events.append(
            Event(
                rule="gap",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period=block.period,
                start=int(starts[start]),
                end=int(starts[start] + length * step),
                severity="info",
                message=f"{item.code} from {_label(int(starts[start]), block.period)}: "
                f"{length} consecutive {block.period} readings missing",
                points=length,
            )
        )
    for run in flat:
        if run.start + run.length <= first or run.start >= last:
            continue
        item = block.items[run.row]
        events.append(
            Event(
                rule="flat_line",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period=block.period,
                start=int(starts[run.start]),
                end=int(starts[run.start] + run.length * step),
                severity="warning",
                message=f"{item.code} from {_label(int(starts[run.start]), block.period)}: "
                f"{run.length} readings repeat {run.value:g} {item.unit} (stuck meter?)",
                points=run.length,
                value=run.value,
            )
        )

    invalid = (negative | spike | backwards | early | stuck) & present
    tallies = {
        "expected": due,
        "received": present & due,
        "on_time": on_time & due,
        "invalid": invalid & due,
    }
    per_item = {
        name: rules.day_sums(mask[:, first:last], per_day) for name, mask in tallies.items()
    }
    days = window.start + DAY * np.arange(window.days)
    item_days = []
    for row, item in enumerate(block.items):
        for k, day in enumerate(days.tolist()):
            expected = int(per_item["expected"][row, k])
            if expected == 0:
                continue
            tally = ItemDay(
                item.id,
                item.enterprise_id,
                day,
                expected,
                int(per_item["received"][row, k]),
                int(per_item["on_time"][row, k]),
                int(per_item["invalid"][row, k]),
            )
            item_days.append(tally)
            events.extend(_day_events(item, block.period, tally, config))
    return events, item_days


def _day_events(item: Item, period: str, tally: ItemDay, config: QualityConfig) -> list[Event]:
    """Completeness and timeliness of one item-day."""
    out = []
    label = to_cst(tally.day).date().isoformat()
    share = tally.received / tally.expected
    if share < config.completeness_min:
        out.append(
            Event(
                rule="completeness",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period="day",
                start=tally.day,
                end=tally.day + DAY,
                severity="critical" if tally.received == 0 else "warning",
                message=f"{item.code} {label}: {tally.received} of {tally.expected} {period} "
                f"readings ({share:.0%}, required {config.completeness_min:.0%})",
                points=tally.expected - tally.received,
                value=share,
                expected=config.completeness_min,
            )
        )
    late = tally.received - tally.on_time
    if late > 0:
        hours = config.deadline_s[period] / 3600
        out.append(
            Event(
                rule="timeliness",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period="day",
                start=tally.day,
                end=tally.day + DAY,
                severity="info",
                message=f"{item.code} {label}: {late} of {tally.received} readings received "
                f"more than {hours:g} h after their period ended",
                points=late,
                value=float(late),
            )
        )
    return out
