"""Level shifts of items relative to their peers, from the day rollups."""

from __future__ import annotations

from collections import Counter

import numpy as np
from sqlalchemy import Connection

from nenghao.monitor import rules
from nenghao.monitor.config import DAY, STEP_S, QualityConfig
from nenghao.monitor.data import Item, day_rollups
from nenghao.monitor.events import Event
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import cst_date

MEASURED = ("energy", "medium", "product")
MIN_BOUNDARY_PEERS = 2
"""Renewable items are left out: their level follows the weather or a contract, not the
production their peers follow."""


def peer_groups(items: list[Item]) -> np.ndarray:
    """Group of each item: its boundary when that boundary holds at least two other items of
    the enterprise, else the whole enterprise."""
    sizes = Counter((item.enterprise_id, item.boundary) for item in items)
    labels: dict[tuple[int, str], int] = {}
    out = []
    for item in items:
        key = (item.enterprise_id, item.boundary)
        if sizes[key] <= MIN_BOUNDARY_PEERS:
            key = (item.enterprise_id, "*")
        out.append(labels.setdefault(key, len(labels)))
    return np.array(out, dtype=np.int64)


def candidate_range(window: Window, config: QualityConfig) -> tuple[int, int]:
    """Instants ``[lo, hi)`` of the candidate days a window judges: each day is judged once
    `level_after_days` of data after it exist, so a window judges the days that many days
    before it."""
    shift = config.level_after_days * DAY
    return window.start - shift, window.end - shift


def _across_season(item: Item, start: int, config: QualityConfig) -> bool:
    """Whether the days compared for a candidate `start` of a seasonal item (its industry
    follows the heating season) straddle the season's start or end: a step there is the
    season, not a fault."""
    if item.industry_code not in config.season.industries:
        return False
    lo = start - config.level_before_days * DAY
    return bool(config.season.boundaries(lo + DAY, start + config.level_after_days * DAY))


def check_level_shifts(
    conn: Connection, items: list[Item], window: Window, config: QualityConfig
) -> list[Event]:
    """``level_shift`` events of the candidate days of `window`."""
    own = [i for i in items if i.measures in MEASURED and i.period in STEP_S and not i.renewable]
    if not own:
        return []
    first, stop = candidate_range(window, config)
    lo = first - config.level_before_days * DAY
    days = (window.end - lo) // DAY
    values, counts = day_rollups(conn, [i.id for i in own], lo, days)
    per_day = np.array([DAY // STEP_S[i.period] for i in own])
    # only days complete enough to compare
    values = np.where(counts >= config.completeness_min * per_day[:, None], values, np.nan)
    candidates = range((first - lo) // DAY, (stop - lo) // DAY)
    found = rules.level_shifts(
        values,
        peer_groups(own),
        candidates,
        config.level_before_days,
        config.level_after_days,
        config.level_min_change,
        config.level_max_spread,
    )
    events = []
    for row, column, ratio in found:
        item = own[row]
        start = lo + column * DAY
        if _across_season(item, start, config):
            continue
        events.append(
            Event(
                rule="level_shift",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period="day",
                start=start,
                end=start + config.level_after_days * DAY,
                severity="warning",
                message=f"{item.code} 自 {cst_date(start).isoformat()} 起相对本企业其他表计的"
                f"水平变为原来的 {ratio:.2f} 倍，疑似表计参数变更或换表 / level x{ratio:.2f}"
                " relative to the enterprise's other meters",
                points=config.level_after_days,
                value=ratio,
                expected=1.0,
            )
        )
    return events
