"""One evaluation of every quality rule over a window of CST days."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from nenghao.monitor.calibration import check_calibration
from nenghao.monitor.config import DAY, STEP_S, QualityConfig
from nenghao.monitor.consistency import Tally, check_consistency
from nenghao.monitor.data import Block, Item, load_block, load_items, misaligned
from nenghao.monitor.events import PERIOD_ZH, Event, ItemDay
from nenghao.monitor.filing_review import check_filing_review
from nenghao.monitor.filings import check_filings
from nenghao.monitor.indicators import check_indicators
from nenghao.monitor.level import check_level_shifts
from nenghao.monitor.register_events import check_registers
from nenghao.monitor.series_checks import Window, check_block
from nenghao.standards.calendar import CST_OFFSET_S, to_cst


@dataclass
class Evaluation:
    """What one evaluation found."""

    window: Window
    items: list[Item]
    events: list[Event] = field(default_factory=list)
    item_days: list[ItemDay] = field(default_factory=list)
    consistency: Tally = field(default_factory=Tally)

    def counts(self) -> dict[str, int]:
        """Events per rule."""
        out: dict[str, int] = {}
        for event in self.events:
            out[event.rule] = out.get(event.rule, 0) + 1
        return dict(sorted(out.items()))


def check_window(window: Window) -> None:
    """A window must be whole CST days, not empty."""
    for instant in (window.start, window.end):
        if (instant + CST_OFFSET_S) % DAY:
            raise ValueError(f"{instant} is not a CST midnight")
    if window.end <= window.start:
        raise ValueError("the window is empty")


def evaluate(
    conn: Connection,
    window: Window,
    config: QualityConfig | None = None,
    enterprise_ids: Sequence[int] | None = None,
) -> Evaluation:
    """Run every quality rule over `window` for active enterprises (or `enterprise_ids`).

    Parameters
    ----------
    conn : Connection
        Database connection (read only here; see `nenghao.store.quality.save`).
    window : Window
        CST days ``[start, end)`` judged as known at ``as_of``.
    config : QualityConfig, optional
        Thresholds (defaults: the national requirements).
    enterprise_ids : sequence of int, optional
        Restrict to these enterprises.
    """
    check_window(window)
    config = config or QualityConfig()
    items = load_items(conn, enterprise_ids)
    result = Evaluation(window, items)
    blocks: list[Block] = []
    for period in STEP_S:
        own = [item for item in items if item.period == period]
        if not own:
            continue
        block = load_block(conn, own, period, window.start - DAY, window.end + DAY)
        blocks.append(block)
        events, tallies = check_block(block, window, config)
        result.events += events
        result.item_days += tallies
        result.events += _misaligned_events(conn, own, period, window)
    events, tallies = check_filings(conn, items, window, config)
    result.events += events
    result.item_days += tallies
    events, result.consistency = check_consistency(conn, items, blocks, window, config)
    result.events += events
    result.events += check_level_shifts(conn, items, window, config)
    result.events += check_registers(conn, items, window)
    result.events += check_indicators(items, result.item_days, window, config)
    result.events += check_calibration(items, window)
    result.events += check_filing_review(conn, {item.enterprise_id for item in items}, window)
    return result


def _misaligned_events(
    conn: Connection, items: list[Item], period: str, window: Window
) -> list[Event]:
    by_id = {item.id: item for item in items}
    out = []
    for item_id, start, _received in misaligned(
        conn, list(by_id), period, window.start, window.end
    ):
        item = by_id[item_id]
        out.append(
            Event(
                rule="time_tag",
                enterprise_id=item.enterprise_id,
                item_id=item_id,
                period=period,
                start=start,
                end=start + STEP_S[period],
                severity="warning",
                message=f"{item.code}：{PERIOD_ZH.get(period, period)}数据的时间标签"
                f" {to_cst(start).isoformat()} 不在统计期起点 / {period} reading tagged off"
                " a period start",
            )
        )
    return out
