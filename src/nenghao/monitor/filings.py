"""Monthly and yearly filings (output value, added value, monthly indicators): present,
on time, tagged at the period start."""

from __future__ import annotations

from sqlalchemy import Connection

from nenghao.monitor.config import DAY, QualityConfig
from nenghao.monitor.data import Item, load_readings
from nenghao.monitor.events import PERIOD_ZH, Event, ItemDay
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import CALENDAR_PERIODS, cst_date, ending_within


def _label(period: str, start: int) -> str:
    day = cst_date(start)
    return f"{day.year}-{day.month:02d}" if period == "month" else f"{day.year}"


def check_filings(
    conn: Connection, items: list[Item], window: Window, config: QualityConfig
) -> tuple[list[Event], list[ItemDay]]:
    """Filings of the months (years) ending inside the window, once their deadline passed.

    A filing tagged within the tolerance of the period start (monthly: +-1 day of the 1st
    00:00) counts for that period; farther off it is a ``time_tag`` event and does not count.
    A period without a filing is ``missing_filing`` once ``end + deadline <= as_of``.
    """
    events: list[Event] = []
    tallies: list[ItemDay] = []
    for period in CALENDAR_PERIODS:
        own = [item for item in items if item.period == period]
        periods = ending_within(period, window.start, window.end)
        if not own or not periods:
            continue
        tolerance = config.tag_tolerance_s[period]
        deadline = config.deadline_s[period]
        lo, hi = periods[0][0] - tolerance - 1, periods[-1][0] + tolerance + 1
        found: dict[tuple[int, int], tuple[float, int]] = {}
        for item_id, _p, start, value, received in load_readings(
            conn, [i.id for i in own], [period], lo, hi
        ):
            slot = _nearest(periods, start)
            if abs(slot[0] - start) <= tolerance:
                found[(item_id, slot[0])] = (value, received)
            else:
                events.append(_misplaced(own, item_id, period, start, received))
        for item in own:
            for start, end in periods:
                filed = found.get((item.id, start))
                if end <= item.created_at or (filed is None and end + deadline > window.as_of):
                    continue  # not registered yet, or not due yet
                events.extend(_judge(item, period, start, end, filed, config))
                on_time = filed is not None and filed[1] <= end + deadline
                tallies.append(
                    ItemDay(
                        item.id,
                        item.enterprise_id,
                        start,
                        expected=1,
                        received=int(filed is not None),
                        on_time=int(on_time),
                        invalid=0,
                    )
                )
    return events, tallies


def _nearest(periods: list[tuple[int, int]], start: int) -> tuple[int, int]:
    """The period whose start is nearest to `start`."""
    return min(periods, key=lambda period: abs(period[0] - start))


def _misplaced(items: list[Item], item_id: int, period: str, start: int, received: int) -> Event:
    item = next(i for i in items if i.id == item_id)
    return Event(
        rule="time_tag",
        enterprise_id=item.enterprise_id,
        item_id=item.id,
        period=period,
        start=start,
        end=start + DAY,
        severity="warning",
        message=f"{item.code}：{PERIOD_ZH.get(period, period)}报数据的时间标签"
        f" {cst_date(start).isoformat()} 不在统计期起点的允许偏差内 / {period} filing tagged"
        " off the period start",
        value=float(received),
    )


def _judge(
    item: Item,
    period: str,
    start: int,
    end: int,
    filed: tuple[float, int] | None,
    config: QualityConfig,
) -> list[Event]:
    deadline = config.deadline_s[period]
    label = _label(period, start)
    if filed is None:
        return [
            Event(
                rule="missing_filing",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period=period,
                start=start,
                end=end,
                severity="warning",
                message=f"{item.code} {label}：未收到报送数据（应在统计期结束后"
                f" {deadline // DAY} 日内报送） / no filing received (due {deadline // DAY}"
                f" days after the {period} ended)",
            )
        ]
    received = filed[1]
    if received <= end + deadline:
        return []
    late_days = (received - end) / DAY
    return [
        Event(
            rule="timeliness",
            enterprise_id=item.enterprise_id,
            item_id=item.id,
            period=period,
            start=start,
            end=end,
            severity="info",
            message=f"{item.code} {label}：统计期结束后 {late_days:.1f} 日才报送（期限"
            f" {deadline // DAY} 日） / filed {late_days:.1f} days after the {period} ended",
            value=late_days,
            expected=deadline / DAY,
        )
    ]
