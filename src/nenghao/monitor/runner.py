"""Evaluate a window and store what it found (events, item-day tallies, monthly scores)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from nenghao.monitor.config import DEFAULT_WEIGHTS, STEP_S, QualityConfig
from nenghao.monitor.evaluate import Evaluation, evaluate
from nenghao.monitor.events import QUALITY_RULES
from nenghao.monitor.level import candidate_range
from nenghao.monitor.score import monthly_scores
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import (
    CALENDAR_PERIODS,
    add_months,
    cst_midnight,
    ending_within,
    spans_within,
)
from nenghao.store import quality
from nenghao.store.common import now

FIXED = tuple(STEP_S)


@dataclass
class RunResult:
    """An evaluation, the events that are new since earlier runs and the scores written."""

    kind: str
    evaluation: Evaluation
    new_events: list[dict[str, Any]]
    scores: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        """Counts for the run record and the command line."""
        window = self.evaluation.window
        return {
            "kind": self.kind,
            "start": window.start,
            "end": window.end,
            "items": len(self.evaluation.items),
            "item_days": len(self.evaluation.item_days),
            "events": self.evaluation.counts(),
            "new_events": len(self.new_events),
            "scores": len(self.scores),
            "seconds": round(self.seconds, 3),
        }


def day_window(day: date, as_of: int | None = None) -> Window:
    """The CST day `day`, judged at `as_of` (default now)."""
    start = cst_midnight(day)
    return Window(start, cst_midnight(day + timedelta(days=1)), now() if as_of is None else as_of)


def month_window(year: int, month: int, as_of: int | None = None) -> Window:
    """The CST month, judged at `as_of` (default now)."""
    first = date(year, month, 1)
    start, end = cst_midnight(first), cst_midnight(add_months(first, 1))
    return Window(start, end, now() if as_of is None else as_of)


def owned_events(window: Window, config: QualityConfig) -> list[tuple[Any, Any, int, int]]:
    """The event ranges an evaluation of `window` replaces (see `quality.save_events`)."""
    owned: list[tuple[Any, Any, int, int]] = [
        (_point_rules(), FIXED, window.start, window.end),
        (["level_shift"], None, *candidate_range(window, config)),
    ]
    for period in CALENDAR_PERIODS:
        periods = ending_within(period, window.start, window.end)
        if periods:
            owned.append((None, [period], periods[0][0], periods[-1][0] + 1))
    return owned


def _point_rules() -> list[str]:
    return [rule for rule in QUALITY_RULES if rule != "level_shift"]


def owned_days(evaluation: Evaluation) -> list[tuple[list[int], int, int]]:
    """The item-day ranges an evaluation replaces."""
    window = evaluation.window
    fixed = [item.id for item in evaluation.items if item.period in STEP_S]
    owned = [(fixed, window.start, window.end)]
    for period in CALENDAR_PERIODS:
        periods = ending_within(period, window.start, window.end)
        ids = [item.id for item in evaluation.items if item.period == period]
        if periods and ids:
            owned.append((ids, periods[0][0], periods[-1][0] + 1))
    return owned


def run_window(
    engine: Engine,
    window: Window,
    *,
    kind: str = "range",
    config: QualityConfig | None = None,
    weights: dict[str, float] | None = None,
    actor: str = "monitor",
) -> RunResult:
    """Evaluate `window`, store the results in one transaction and score every whole month
    inside it."""
    started = time.perf_counter()
    config = config or QualityConfig()
    with engine.connect() as conn:
        evaluation = evaluate(conn, window, config)
    enterprise_ids = sorted({item.enterprise_id for item in evaluation.items})
    stamp = now()
    result = RunResult(kind, evaluation, [])
    with engine.begin() as conn:
        result.new_events = quality.save_events(
            conn,
            [event.row(stamp) for event in evaluation.events],
            owned_events(window, config),
            enterprise_ids,
        )
        quality.save_item_days(
            conn, [t.row(stamp) for t in evaluation.item_days], owned_days(evaluation)
        )
        for start, end in spans_within("month", window.start, window.end):
            part = _restricted(evaluation, start, end)
            rows = monthly_scores(part, weights or DEFAULT_WEIGHTS, enterprise_ids)
            for row in rows:
                row["computed_at"] = stamp
            quality.save_scores(conn, start, rows)
            result.scores += rows
        result.seconds = time.perf_counter() - started
        quality.record_run(
            conn,
            kind=kind,
            start=window.start,
            end=window.end,
            as_of=window.as_of,
            started_at=stamp,
            seconds=result.seconds,
            actor=actor,
            summary=result.summary(),
        )
    return result


def _restricted(evaluation: Evaluation, start: int, end: int) -> Evaluation:
    """The part of `evaluation` about the month ``[start, end)``."""
    if evaluation.window.start == start and evaluation.window.end == end:
        return evaluation
    part = Evaluation(Window(start, end, evaluation.window.as_of), evaluation.items)
    part.events = [e for e in evaluation.events if start <= e.start < end]
    part.item_days = [t for t in evaluation.item_days if start <= t.day < end]
    part.consistency = evaluation.consistency  # per-enterprise totals of the whole window
    return part
