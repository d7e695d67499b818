"""Consistency: the same quantity reported twice must agree within 5 %.

Compared where both exist:

* a filed daily or monthly total of an item collected hourly (or every 15 min) against the
  sum of its collected readings (the day or month rollup), when that sum covers at least the
  required share of the period (an incomplete sum is the completeness rule's business);
* the daily filings of a month against the month's filing of the same item;
* the stored day rollups against the sum of the raw readings (a platform self-check: a
  mismatch is reported but not scored against the enterprise).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection

from nenghao.monitor import rules
from nenghao.monitor.config import DAY, STEP_S, QualityConfig
from nenghao.monitor.data import Block, Item, day_rollups, load_readings, month_rollups
from nenghao.monitor.events import Event
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import cst_date, ending_within, period_start


@dataclass
class Tally:
    """Comparisons made and failed per enterprise (scored ones only)."""

    compared: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _event(item: Item, period: str, start: int, end: int, a: float, b: float, what: str) -> Event:
    return Event(
        rule="consistency",
        enterprise_id=item.enterprise_id,
        item_id=item.id,
        period=period,
        start=start,
        end=end,
        severity="warning",
        message=f"{item.code} {cst_date(start).isoformat()}：{what}（{a:g} 与 {b:g} {item.unit}）"
        f" 相差 {float(rules.deviation(np.array(a), np.array(b))):.1%}",
        value=a,
        expected=b,
    )


def check_consistency(
    conn: Connection, items: list[Item], blocks: list[Block], window: Window, config: QualityConfig
) -> tuple[list[Event], Tally]:
    """Events of every comparison above `config.consistency_max`, and the tallies."""
    tally = Tally()
    events = _rollups_vs_raw(conn, blocks, window)
    fine = [item for item in items if item.period in STEP_S]
    by_id = {item.id: item for item in fine}
    if not fine:
        return events, tally
    months = ending_within("month", window.start, window.end)
    lo = min([window.start, *(s for s, _e in months)])
    filed = load_readings(conn, list(by_id), ["day", "month"], lo, window.end)
    daily = [(i, s, v) for i, p, s, v, _r in filed if p == "day" and by_id[i].period != "day"]
    monthly = {(i, s): v for i, p, s, v, _r in filed if p == "month"}
    limit = config.consistency_max

    def compare(
        item: Item, period: str, start: int, end: int, a: float, b: float, what: str
    ) -> None:
        tally.compared[item.enterprise_id] += 1
        if float(rules.deviation(np.array(a), np.array(b))) > limit:
            tally.failed[item.enterprise_id] += 1
            events.append(_event(item, period, start, end, a, b, what))

    day_ids = sorted({i for i, _s, _v in daily if window.start <= _s < window.end})
    values, counts = day_rollups(conn, day_ids, window.start, window.days)
    row_of = {item_id: k for k, item_id in enumerate(day_ids)}
    for item_id, start, value in daily:
        if not window.start <= start < window.end:
            continue
        item = by_id[item_id]
        column = (start - window.start) // DAY
        expected = DAY // STEP_S[item.period]
        if counts[row_of[item_id], column] >= config.completeness_min * expected:
            metered = float(values[row_of[item_id], column])
            compare(item, "day", start, start + DAY, value, metered, "日报值与计量值")
    month_starts = [s for s, _e in months]
    metered_months = month_rollups(conn, list(by_id), month_starts)
    days_by_month: dict[tuple[int, int], list[float]] = defaultdict(list)
    for item_id, start, value in daily:
        days_by_month[(item_id, period_start("month", start))].append(value)
    for (item_id, start), value in monthly.items():
        if start not in month_starts:
            continue
        item = by_id[item_id]
        end = next(e for s, e in months if s == start)
        expected = (end - start) // STEP_S[item.period]
        month_sum = metered_months.get((item_id, start))
        if (
            item.period != "month"
            and month_sum
            and month_sum[1] >= config.completeness_min * expected
        ):
            compare(item, "month", start, end, value, month_sum[0], "月报值与计量值")
        days = days_by_month.get((item_id, start), [])
        if len(days) == (end - start) // DAY:
            compare(item, "month", start, end, sum(days), value, "日报合计与月报值")
    return events, tally


def _rollups_vs_raw(conn: Connection, blocks: list[Block], window: Window) -> list[Event]:
    """Day rollups that differ from the sum of the raw readings of the day."""
    events = []
    for block in blocks:
        if not block.items:
            continue
        per_day = DAY // block.step
        first = (window.start - block.lo) // block.step
        part = block.values[:, first : first + window.days * per_day]
        shaped = part.reshape(len(block.items), window.days, per_day)
        raw_sum = np.nansum(shaped, axis=2)
        raw_count = np.isfinite(shaped).sum(axis=2)
        ids = [item.id for item in block.items]
        rolled, counts = day_rollups(conn, ids, window.start, window.days)
        rolled = np.where(counts > 0, rolled, 0.0)
        bad = (counts != raw_count) | (np.abs(rolled - raw_sum) > 1e-6 * np.maximum(1.0, raw_sum))
        for row, col in np.argwhere(bad):
            item = block.items[row]
            start = window.start + int(col) * DAY
            events.append(
                Event(
                    rule="consistency",
                    enterprise_id=item.enterprise_id,
                    item_id=item.id,
                    period="day",
                    start=start,
                    end=start + DAY,
                    severity="info",
                    message=f"{item.code} {cst_date(start).isoformat()}：日汇总"
                    f" {rolled[row, col]:g}（{counts[row, col]} 个读数）与原始读数之和"
                    f" {raw_sum[row, col]:g}（{raw_count[row, col]} 个）不符，请运行"
                    " `nenghao rollups rebuild` / day rollup differs from the raw readings",
                    value=float(rolled[row, col]),
                    expected=float(raw_sum[row, col]),
                )
            )
    return events
