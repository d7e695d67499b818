"""Like-for-like comparisons: year-on-year (同比) and period-on-period (环比).

Every comparison reads the same elapsed span: a period still in progress is cut at the end
of the last complete CST day, and its bases are the same days one year earlier and the same
days from the start of the period before (`nenghao.analytics.periods.compared_spans`).
A rate is withheld, with its reason, where the base is zero or its data coverage falls
short of the current span's (`nenghao.analytics.coverage`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from nenghao.analytics.coverage import MAX_MISSING_SHARE, covered_days, missing_share
from nenghao.analytics.item_factors import COLUMN, MEASURES
from nenghao.analytics.items import Filters, selection
from nenghao.analytics.ledger import DEFAULT_KINDS, Ledger, build_ledger, group_key, names_of
from nenghao.analytics.periods import Period, check_span, compared_spans, through_label, today_cst
from nenghao.analytics.statistics import NOTES, RANKABLE, check_grouping
from nenghao.store.scope import Scope

BASES = ("year_on_year", "period_on_period")
REASONS = {
    "no_base": "the base figure is 0",
    "base_incomplete": "the base's data coverage falls short of the current span's "
    f"(more than {MAX_MISSING_SHARE:.0%} of its consumption estimated on days without data)",
}


def _span(period: Period) -> dict[str, Any]:
    return {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.last_day.isoformat(),
        "days": period.days,
    }


class _Read:
    """One span's ledger, each item's covered days, and the items' groups."""

    def __init__(
        self, connection: Connection, scope: Scope, span: Period, filters: Filters | None, by: str
    ) -> None:
        self.span = span
        self.ledger: Ledger = build_ledger(connection, scope, span, filters)
        ids = select(selection(scope, DEFAULT_KINDS, filters).subquery().c.id)
        days = covered_days(connection, self.ledger.items, ids, span)
        key = group_key(by)
        self.groups: dict[Any, dict[int, tuple[np.ndarray, float]]] = {}
        for position, item in enumerate(self.ledger.items):
            group = key(item)
            if group is not None:
                entry = (self.ledger.values[position], float(days[position]))
                self.groups.setdefault(group, {})[item.id] = entry

    def total(self, group: Any) -> np.ndarray:
        """The group's measure vector (zeros when it has no items)."""
        entries = self.groups.get(group, {})
        return sum((v for v, _ in entries.values()), np.zeros(len(MEASURES)))


def _change(now: _Read, base: _Read, group: Any, column: int) -> dict[str, Any]:
    current = float(now.total(group)[column])
    previous = float(base.total(group)[column])
    mine, theirs = now.groups.get(group, {}), base.groups.get(group, {})
    ids = list(dict.fromkeys([*mine, *theirs]))
    nothing = (np.zeros(len(MEASURES)), 0.0)
    pairs = [(theirs.get(i, nothing), mine.get(i, nothing)) for i in ids]
    missing = missing_share(
        np.asarray([b[0][column] for b, _ in pairs]),
        np.asarray([c[0][column] for _, c in pairs]),
        np.asarray([b[1] for b, _ in pairs]),
        np.asarray([c[1] for _, c in pairs]),
        (base.span.days, now.span.days),
    )
    reason = "base_incomplete" if missing > MAX_MISSING_SHARE else None
    if reason is None and not previous:
        reason = "no_base"
    return {
        "previous": previous,
        "change": current - previous,
        "rate": None if reason else (current - previous) / previous,
        "reason": reason,
        "base_coverage": 1.0 - missing,
    }


def compare(
    connection: Connection,
    scope: Scope,
    period: Period,
    by: str = "city",
    filters: Filters | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Year-on-year (同比) and period-on-period (环比) over the same elapsed span.

    ``rate = (current - previous) / previous``; null, with ``reason``, when the base is 0
    (``no_base``) or its data coverage is short (``base_incomplete``). ``today`` is the CST
    day whose data is still coming in (default: today); days from it on are not compared.
    """
    check_grouping(by)
    check_span(period, "year")  # the period asked, before it is cut
    answer: dict[str, Any] = {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.last_day.isoformat(),
        "by": by,
        "notes": {
            "rate": "(current - previous) / previous over the same elapsed span; null with "
            "a reason when the base is 0 or incomplete",
            "base_coverage": "1 - the estimated share of the base's consumption on days the "
            "base lacks data but the current span has it",
            **REASONS,
            **{k: NOTES[k] for k in RANKABLE},
        },
    }
    spans = compared_spans(period, today or today_cst())
    if spans is None:
        return {**answer, "compared": None, "partial": False, "rows": []}
    now = _Read(connection, scope, spans.current, filters, by)
    bases = {
        "year_on_year": _Read(connection, scope, spans.year_before, filters, by),
        "period_on_period": _Read(connection, scope, spans.period_before, filters, by),
    }
    keys = list(dict.fromkeys([*now.groups, *(g for b in bases.values() for g in b.groups)]))
    names = names_of(connection, by, keys)
    rows = []
    for key in keys:
        row: dict[str, Any] = {"key": key, "name": names.get(key, str(key))}
        for field in RANKABLE:
            column = COLUMN[field]
            row[field] = {
                "current": float(now.total(key)[column]),
                **{name: _change(now, base, key, column) for name, base in bases.items()},
            }
        rows.append(row)
    rows.sort(key=lambda row: -row["equivalent_tce"]["current"])
    return {
        **answer,
        "compared": _span(spans.current),
        "partial": spans.partial,
        "year_on_year_period": spans.year_before.label,
        "period_on_period_period": spans.period_before.label,
        "year_on_year_span": _span(spans.year_before),
        "period_on_period_span": _span(spans.period_before),
        "rows": rows,
    }


BASE_INCOMPLETE_ZH = "基期数据不完整"
"""How the documents and the dashboard show a rate withheld for an incomplete base."""


def compared_period(answer: dict[str, Any]) -> Period | None:
    """The span a `compare` answer read (None before the period's first complete day)."""
    span = answer["compared"]
    return None if span is None else Period.parse(span["period"])


def base_period(answer: dict[str, Any]) -> Period | None:
    """The year-on-year base a `compare` answer read (None when it read nothing), built from
    its dates: a base may lie before the years a request may name (1999 for the year 2000)."""
    span = answer["year_on_year_span"] if answer["compared"] else None
    if span is None:
        return None
    first, last = date.fromisoformat(span["start"]), date.fromisoformat(span["end"])
    return Period("range", first, last + timedelta(days=1))


def partial_label(answer: dict[str, Any]) -> str:
    """ "截至 12月4日" for a period compared while in progress; "" for a whole period."""
    if not answer["partial"]:
        return ""
    return through_label(date.fromisoformat(answer["compared"]["end"]))
