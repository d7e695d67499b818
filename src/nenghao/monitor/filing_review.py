"""Filings to review: a monthly or annual filing whose figures differ from the online data by
more than 5 % (status ``review``, docs/filing.md) is a ``consistency`` event of its
enterprise, like the other comparisons of the same quantity."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from nenghao.monitor.events import PERIOD_ZH, Event
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import ending_within
from nenghao.store.filings import line_name
from nenghao.store.schema import filing_lines, filings


def check_filing_review(
    conn: Connection, enterprise_ids: Collection[int], window: Window
) -> list[Event]:
    """One event per filing to review whose month (year) ends inside the window."""
    events: list[Event] = []
    for period in ("month", "year"):
        spans = dict(ending_within(period, window.start, window.end))
        if not spans or not enterprise_ids:
            continue
        query = select(filings).where(
            filings.c.period == period,
            filings.c.period_start.in_(list(spans)),
            filings.c.status == "review",
            filings.c.enterprise_id.in_(list(enterprise_ids)),
        )
        for filing in conn.execute(query.order_by(filings.c.id)).all():
            lines = conn.execute(
                select(filing_lines)
                .where(
                    filing_lines.c.filing_id == filing.id,
                    filing_lines.c.revision == filing.revision,
                    filing_lines.c.flagged.is_(True),
                )
                .order_by(filing_lines.c.position)
            ).all()
            if not lines:
                continue
            said = "；".join(
                f"{line_name(line.kind, line.subject)} 填报 {line.value:g} {line.unit}，"
                f"在线 {line.online:g} {line.unit}（{line.difference:+.1%}）"
                for line in lines
            )
            events.append(
                Event(
                    rule="consistency",
                    enterprise_id=filing.enterprise_id,
                    item_id=None,
                    period=period,
                    start=filing.period_start,
                    end=spans[filing.period_start],
                    severity="warning",
                    message=f"{filing.label} {PERIOD_ZH[period]}报填报值与在线数据相差超过 5%："
                    f"{said} / filed figures differ from the online data by more than 5 %",
                    points=len(lines),
                    value=lines[0].value,
                    expected=lines[0].online,
                )
            )
    return events
