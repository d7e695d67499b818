"""Register spans the uplink could not derive, as quality events.

- ``reset_unbridged``: a register reset reported without its final reading. The energy from
  the reading before the reset to the reset reading is unknown; the event spans it.
- ``replacement_suspected``: a register drop refused because, as a rollover, it would exceed
  the item's maximum rate (an open quarantine entry); the event is the refused reading's
  period.

An event belongs to the window holding its start, as every quality event does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

from sqlalchemy import Connection, select

from nenghao.monitor.config import STEP_S
from nenghao.monitor.data import Item
from nenghao.monitor.events import Event
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import (
    ending_within,
    next_start,
    parse_rfc3339,
    period_start,
    periods_between,
    to_cst,
)
from nenghao.standards.reason_codes import ReasonCode
from nenghao.store.schema import quarantine, register_readings

_R = register_readings.c


def judged_range(period: str, window: Window) -> tuple[int, int] | None:
    """The starts ``[lo, hi)`` of `period`'s events that an evaluation of `window` owns."""
    if period in STEP_S:
        return window.start, window.end
    spans = ending_within(period, window.start, window.end)
    return (spans[0][0], spans[-1][0] + 1) if spans else None


def check_registers(conn: Connection, items: Iterable[Item], window: Window) -> list[Event]:
    """The ``reset_unbridged`` and ``replacement_suspected`` events starting in `window`."""
    ranges = {}
    for item in items:
        if item.value_kind == "register":
            judged = judged_range(item.period, window)
            if judged is not None:
                ranges[item.id] = (item, judged)
    if not ranges:
        return []
    return _unbridged(conn, ranges) + _suspected(conn, ranges)


def _when(instant: int) -> str:
    return to_cst(instant).strftime("%Y-%m-%d %H:%M")


def _unbridged(conn: Connection, ranges: Mapping[int, tuple[Item, tuple[int, int]]]) -> list[Event]:
    out = []
    columns = select(_R.period_start, _R.event)
    for item_id, (item, (first, last)) in ranges.items():
        own = columns.where(_R.item_id == item_id)
        chain = list(conn.execute(own.where(_R.period_start.between(first, last - 1))).all())
        after = conn.execute(
            own.where(_R.period_start >= last).order_by(_R.period_start).limit(1)
        ).first()
        chain += [] if after is None else [after]
        for (before, _event), (start, event) in pairwise(sorted(chain)):
            if not event or event.get("kind") != "reset" or event.get("old_final") is not None:
                continue
            out.append(
                Event(
                    rule="reset_unbridged",
                    enterprise_id=item.enterprise_id,
                    item_id=item_id,
                    period=item.period,
                    start=before,
                    end=start,
                    severity="warning",
                    message=f"{item.code}：表计清零未报清零前读数，{_when(before)} 至"
                    f" {_when(start)}（北京时间）的能耗未知，未计入统计；请核实后补报"
                    " (energy unknown: reset without its final reading)",
                    points=periods_between(item.period, before, start),
                )
            )
    return out


def _suspected(conn: Connection, ranges: Mapping[int, tuple[Item, tuple[int, int]]]) -> list[Event]:
    by_code = {(item.enterprise_id, item.code): item for item, _judged in ranges.values()}
    entries = conn.execute(
        select(quarantine.c.enterprise_id, quarantine.c.item_code, quarantine.c.record).where(
            quarantine.c.code == ReasonCode.REPLACEMENT_SUSPECTED.value,
            quarantine.c.status == "open",
            quarantine.c.enterprise_id.in_(sorted({key[0] for key in by_code})),
        )
    ).all()
    found: dict[tuple[int, int], Event] = {}
    for enterprise_id, code, record in entries:
        item = by_code.get((enterprise_id, code))
        if item is None:
            continue
        start = period_start(item.period, int(parse_rfc3339(record["start"]).timestamp()))
        first, last = ranges[item.id][1]
        if not first <= start < last:
            continue
        found[item.id, start] = Event(
            rule="replacement_suspected",
            enterprise_id=enterprise_id,
            item_id=item.id,
            period=item.period,
            start=start,
            end=next_start(item.period, start),
            severity="warning",
            message=f"{item.code}：{_when(start)}（北京时间）累计读数"
            f" {record.get('register')} 下降，按翻转计算的用量超过该项最大可能用量，"
            "疑似换表未报事件；读数已隔离，请补报换表事件后重新处理"
            " (suspected meter replacement without its event)",
            value=record.get("register"),
        )
    return list(found.values())
