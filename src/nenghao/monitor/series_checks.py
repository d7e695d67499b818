"""Point-level rules over a block of fixed-period series: completeness, timeliness, time
tags and meter anomalies, tallied per item and CST day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nenghao.monitor import rules
from nenghao.monitor.config import DAY, QualityConfig
from nenghao.monitor.data import Block, Item
from nenghao.monitor.events import PERIOD_ZH, Event, ItemDay
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
        (negative, "negative", "warning", "区间值为负 {v:g} {u} / negative interval value"),
        (
            spike,
            "spike",
            "warning",
            "读数 {v:g} {u} 远高于前后水平 / spike above the running level",
        ),
        (
            backwards,
            "register_backwards",
            "warning",
            "累计读数 {r:g} {u} 小于此前读数 / register reads less than before",
        ),
        (
            early,
            "time_tag",
            "warning",
            "数据在其统计期结束前收到 / value received before its period ended",
        ),
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
                    message=f"{item.code} {_label(int(starts[col]), block.period)}："
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
                message=f"{item.code} 自 {_label(int(starts[start]), block.period)} 起"
                f"连续 {length} 个{PERIOD_ZH.get(block.period, block.period)}数据缺测"
                f" / {length} consecutive {block.period} readings missing",
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
                message=f"{item.code} 自 {_label(int(starts[run.start]), block.period)} 起"
                f"连续 {run.length} 个读数均为 {run.value:g} {item.unit}，疑似表计卡滞"
                f" / {run.length} readings repeat the value (stuck meter?)",
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
                message=f"{item.code} {label}：应收{PERIOD_ZH.get(period, period)}数据"
                f" {tally.expected} 个，实收 {tally.received} 个（{share:.0%}，要求不低于"
                f" {config.completeness_min:.0%}） / {tally.received} of {tally.expected}"
                f" {period} readings",
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
                message=f"{item.code} {label}：{tally.received} 个读数中有 {late} 个在统计期结束"
                f" {hours:g} h 后才收到 / {late} of {tally.received} readings received more"
                f" than {hours:g} h after their period ended",
                points=late,
                value=float(late),
            )
        )
    return out
