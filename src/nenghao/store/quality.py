"""Stored results of the data-quality monitor: events, item-day tallies, monthly scores,
runs. Writes replace what an evaluation owns, so re-running a window is idempotent; reads
are scoped through `Scope.enterprise_clause`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from nenghao.store.common import Page, page_of
from nenghao.store.schema import (
    data_items,
    enterprises,
    monitor_runs,
    quality_events,
    quality_item_days,
    quality_scores,
)
from nenghao.store.scope import Scope

EventKey = tuple[str, str, int]
UPDATABLE = ("end", "severity", "points", "value", "expected", "message")


def save_events(
    conn: Connection,
    rows: Sequence[dict[str, Any]],
    owned: Sequence[tuple[Iterable[str] | None, Iterable[str] | None, int, int]],
    enterprise_ids: Sequence[int],
) -> list[dict[str, Any]]:
    """Store an evaluation's event rows; return the rows that are new.

    Parameters
    ----------
    rows : sequence of dict
        Event rows (see ``nenghao.monitor.events.Event.row``).
    owned : sequence of (rules or None, periods or None, lo, hi)
        What the evaluation judged: stored events of `enterprise_ids` matching one of these
        (rule in rules, period in periods, lo <= start < hi) and not found again are removed.
    enterprise_ids : sequence of int
        The enterprises evaluated.
    """
    clauses = []
    for rules, periods, lo, hi in owned:
        parts = [quality_events.c.start >= lo, quality_events.c.start < hi]
        if rules is not None:
            parts.append(quality_events.c.rule.in_(list(rules)))
        if periods is not None:
            parts.append(quality_events.c.period.in_(list(periods)))
        clauses.append(and_(*parts))
    new_keys = {(r["rule"], r["subject"], r["start"]): r for r in rows}
    existing: dict[EventKey, int] = {}
    if clauses and enterprise_ids:
        found = conn.execute(
            select(
                quality_events.c.id,
                quality_events.c.rule,
                quality_events.c.subject,
                quality_events.c.start,
            ).where(quality_events.c.enterprise_id.in_(list(enterprise_ids)), or_(*clauses))
        )
        existing = {(r, s, t): i for i, r, s, t in found}
    stale = [i for key, i in existing.items() if key not in new_keys]
    for chunk in _chunks(stale):
        conn.execute(delete(quality_events).where(quality_events.c.id.in_(chunk)))
    known = _known(conn, list(new_keys)) | set(existing)
    fresh = [row for key, row in new_keys.items() if key not in known]
    again = [row for key, row in new_keys.items() if key in known]
    if fresh:
        conn.execute(insert(quality_events), fresh)
    if again:
        conn.execute(
            update(quality_events)
            .where(
                quality_events.c.rule == bindparam("key_rule"),
                quality_events.c.subject == bindparam("key_subject"),
                quality_events.c.start == bindparam("key_start"),
            )
            .values({name: bindparam(f"new_{name}") for name in UPDATABLE}),
            [
                {
                    "key_rule": row["rule"],
                    "key_subject": row["subject"],
                    "key_start": row["start"],
                    **{f"new_{name}": row[name] for name in UPDATABLE},
                }
                for row in again
            ],
        )
    return fresh


def _known(conn: Connection, keys: list[EventKey]) -> set[EventKey]:
    """Which of `keys` are stored (outside the owned ranges too)."""
    out: set[EventKey] = set()
    if not keys:
        return out
    wanted = set(keys)
    subjects = sorted({s for _r, s, _t in keys})
    starts = [t for _r, _s, t in keys]
    for chunk in _chunks(subjects):
        rows = conn.execute(
            select(quality_events.c.rule, quality_events.c.subject, quality_events.c.start).where(
                quality_events.c.subject.in_(chunk),
                quality_events.c.start >= min(starts),
                quality_events.c.start <= max(starts),
            )
        )
        out |= {(r, s, t) for r, s, t in rows if (r, s, t) in wanted}
    return out


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for k in range(0, len(values), size):
        yield values[k : k + size]


def save_item_days(
    conn: Connection,
    rows: Sequence[dict[str, Any]],
    owned: Sequence[tuple[Sequence[int], int, int]],
) -> int:
    """Replace the tallies of `owned` ((item ids, lo, hi): days lo <= day < hi) by `rows`."""
    for item_ids, lo, hi in owned:
        for chunk in _chunks(list(item_ids)):
            conn.execute(
                delete(quality_item_days).where(
                    quality_item_days.c.item_id.in_(chunk),
                    quality_item_days.c.day >= lo,
                    quality_item_days.c.day < hi,
                )
            )
    if rows:
        conn.execute(insert(quality_item_days), list(rows))
    return len(rows)


def save_scores(conn: Connection, month: int, rows: Sequence[dict[str, Any]]) -> None:
    """Replace the scores of `month` for the enterprises in `rows`."""
    ids = [row["enterprise_id"] for row in rows]
    for chunk in _chunks(ids):
        conn.execute(
            delete(quality_scores).where(
                quality_scores.c.month == month, quality_scores.c.enterprise_id.in_(chunk)
            )
        )
    if rows:
        conn.execute(insert(quality_scores), [{**row, "month": month} for row in rows])


def record_run(conn: Connection, **values: Any) -> int:
    """Append a run record; returns its id."""
    key = conn.execute(insert(monitor_runs).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def scores(
    conn: Connection, scope: Scope, month: int, *, offset: int = 0, limit: int | None = None
) -> Page:
    """Scores of `month` in scope, best first, with enterprise names and the rank among all
    of them (ties share a rank: 1, 1, 3)."""
    query = (
        select(
            quality_scores,
            enterprises.c.name.label("enterprise_name"),
            enterprises.c.credit_code,
            enterprises.c.division_code,
            func.rank().over(order_by=quality_scores.c.score.desc()).label("rank"),
        )
        .join(enterprises, enterprises.c.id == quality_scores.c.enterprise_id)
        .where(quality_scores.c.month == month, scope.enterprise_clause(enterprises.c.id))
        .order_by(quality_scores.c.score.desc(), enterprises.c.id)
    )
    return page_of(conn, query, offset=offset, limit=limit)


def score_of(
    conn: Connection, scope: Scope, enterprise_id: int, month: int
) -> dict[str, Any] | None:
    """One enterprise's score of `month`, or None."""
    row = conn.execute(
        select(quality_scores).where(
            quality_scores.c.enterprise_id == enterprise_id,
            quality_scores.c.month == month,
            scope.enterprise_clause(quality_scores.c.enterprise_id),
        )
    ).first()
    return dict(row._mapping) if row else None


def failing_days(
    conn: Connection, scope: Scope, enterprise_id: int, lo: int, hi: int, minimum: float
) -> list[dict[str, Any]]:
    """Item-days of the enterprise in ``[lo, hi)`` below `minimum` completeness or with late
    or invalid points, worst first."""
    share = quality_item_days.c.received * 1.0 / quality_item_days.c.expected
    rows = conn.execute(
        select(
            quality_item_days,
            data_items.c.code.label("item_code"),
            data_items.c.name.label("item_name"),
            data_items.c.period.label("item_period"),
        )
        .join(data_items, data_items.c.id == quality_item_days.c.item_id)
        .where(
            quality_item_days.c.enterprise_id == enterprise_id,
            scope.enterprise_clause(quality_item_days.c.enterprise_id),
            quality_item_days.c.day >= lo,
            quality_item_days.c.day < hi,
            or_(
                share < minimum,
                quality_item_days.c.on_time < quality_item_days.c.received,
                quality_item_days.c.invalid > 0,
            ),
        )
        .order_by(share, quality_item_days.c.day, quality_item_days.c.item_id)
    )
    return [dict(row._mapping) for row in rows]


def list_events(
    conn: Connection,
    scope: Scope,
    *,
    enterprise_id: int | None = None,
    item_id: int | None = None,
    rule: str | None = None,
    since: int | None = None,
    until: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Quality events in scope matching the filters, newest first."""
    conditions = [scope.enterprise_clause(quality_events.c.enterprise_id)]
    for column, value in (
        (quality_events.c.enterprise_id, enterprise_id),
        (quality_events.c.item_id, item_id),
        (quality_events.c.rule, rule),
    ):
        if value is not None:
            conditions.append(column == value)
    if since is not None:
        conditions.append(quality_events.c.end > since)
    if until is not None:
        conditions.append(quality_events.c.start < until)
    query = (
        select(quality_events, data_items.c.code.label("item_code"))
        .outerjoin(data_items, data_items.c.id == quality_events.c.item_id)
        .where(*conditions)
        .order_by(quality_events.c.start.desc(), quality_events.c.id.desc())
    )
    return page_of(conn, query, offset=offset, limit=limit)


def scores_between(
    conn: Connection, scope: Scope, lo: int, hi: int, enterprise_id: int | None = None
) -> list[dict[str, Any]]:
    """Monthly score rows of the months starting in ``[lo, hi)`` in scope (of one
    enterprise if given), with the enterprise's name and division, by enterprise and month."""
    conditions = [
        quality_scores.c.month >= lo,
        quality_scores.c.month < hi,
        scope.enterprise_clause(enterprises.c.id),
    ]
    if enterprise_id is not None:
        conditions.append(quality_scores.c.enterprise_id == enterprise_id)
    query = (
        select(
            quality_scores,
            enterprises.c.name.label("enterprise_name"),
            enterprises.c.division_code,
        )
        .join(enterprises, enterprises.c.id == quality_scores.c.enterprise_id)
        .where(*conditions)
        .order_by(quality_scores.c.enterprise_id, quality_scores.c.month)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def event_counts(
    conn: Connection, scope: Scope, lo: int, hi: int, enterprise_id: int | None = None
) -> dict[str, int]:
    """Quality events starting in ``[lo, hi)`` in scope (of one enterprise if given), per rule."""
    conditions = [
        quality_events.c.start >= lo,
        quality_events.c.start < hi,
        scope.enterprise_clause(quality_events.c.enterprise_id),
    ]
    if enterprise_id is not None:
        conditions.append(quality_events.c.enterprise_id == enterprise_id)
    query = (
        select(quality_events.c.rule, func.count())
        .where(*conditions)
        .group_by(quality_events.c.rule)
        .order_by(quality_events.c.rule)
    )
    return {rule: int(count) for rule, count in conn.execute(query)}
