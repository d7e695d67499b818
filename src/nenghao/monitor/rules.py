"""Pure, vectorised checks over series of readings (numpy; no database, no clock).

Series are matrices with one row per item and one column per period of a regular grid;
a missing reading is NaN. Every function returns where the check fails; callers turn that
into quality events.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MAD_SCALE = 1.4826
"""MAD x 1.4826 estimates the standard deviation of normally distributed noise."""


@dataclass(frozen=True)
class Run:
    """A run of columns ``[start, start + length)`` in row `row`."""

    row: int
    start: int
    length: int
    value: float


def negatives(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Where a value is negative although its item (row) does not allow it.

    Parameters
    ----------
    values : ndarray (items, periods)
        Interval values, NaN where missing.
    allowed : ndarray of bool (items,)
        Items that may legitimately be negative (net flows).
    """
    with np.errstate(invalid="ignore"):
        return np.asarray((values < 0) & ~allowed[:, None])


def _side_stats(windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median and MAD along the last axis, ignoring NaN (all-NaN gives NaN)."""
    median = np.nanmedian(windows, axis=-1)
    mad = np.nanmedian(np.abs(windows - median[..., None]), axis=-1)
    return median, mad


def spikes(
    values: np.ndarray, window: int, ratio: float, mad_k: float, mad_floor: float
) -> np.ndarray:
    """Single readings far above the running level on BOTH sides (robust statistics).

    A reading ``x`` at column ``t`` is a spike when, for the `window` readings before it and
    the `window` readings after it separately, ``x > ratio * median`` and
    ``x - median > mad_k * max(1.4826 * MAD, mad_floor * median)``. Requiring both sides
    keeps steps (a plant stopping or restarting, a heating season starting) from being
    spikes. A side with no positive median (the item is off) does not judge. At the edges of
    the series the side that exists judges alone.

    Returns
    -------
    ndarray of bool (items, periods)
    """
    n, m = values.shape
    out = np.zeros((n, m), dtype=bool)
    if m < 3:
        return out
    # cheap necessary condition: clearly above at least one neighbour
    before = np.concatenate([np.full((n, 1), np.nan), values[:, :-1]], axis=1)
    after = np.concatenate([values[:, 1:], np.full((n, 1), np.nan)], axis=1)
    neighbour = np.fmin(before, after)
    with np.errstate(invalid="ignore"):
        candidate = (values > 0) & (values > ratio * neighbour)
    rows, cols = np.nonzero(candidate)
    if rows.size == 0:
        return out
    padded = np.concatenate(
        [np.full((n, window), np.nan), values, np.full((n, window), np.nan)], axis=1
    )
    views = sliding_window_view(padded, window, axis=1)  # views[:, j] = padded[:, j:j+window]
    prior = views[rows, cols]  # values[t - window : t]
    later = views[rows, cols + window + 1]  # values[t + 1 : t + window + 1]
    x = values[rows, cols]
    verdicts = []
    with np.errstate(invalid="ignore", divide="ignore"), _quiet_nan():
        for side in (prior, later):
            median, mad = _side_stats(side)
            scale = np.maximum(MAD_SCALE * mad, mad_floor * median)
            judged = median > 0
            high = (x > ratio * median) & (x - median > mad_k * scale)
            verdicts.append((judged, high))
    (judged_a, high_a), (judged_b, high_b) = verdicts
    spike = (judged_a | judged_b) & (high_a | ~judged_a) & (high_b | ~judged_b)
    out[rows[spike], cols[spike]] = True
    return out


@contextmanager
def _quiet_nan() -> Iterator[None]:
    """Silence numpy's 'All-NaN slice' and 'Mean of empty slice' warnings inside a block."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield


def runs(mask: np.ndarray, min_length: int) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each run of True at least `min_length` long."""
    n, m = mask.shape
    padded = np.zeros((n, m + 2), dtype=np.int8)
    padded[:, 1 : m + 1] = mask
    edges = np.diff(padded, axis=1)
    starts = np.argwhere(edges == 1)
    ends = np.argwhere(edges == -1)
    return [
        (int(row), int(s), int(e - s))
        for (row, s), (_row, e) in zip(starts, ends, strict=True)
        if e - s >= min_length
    ]


RESOLUTION_FACTOR = 10.0
"""A repeated value must be at least this many resolution steps large to be judged."""


def flat_runs(values: np.ndarray, min_points: int) -> list[Run]:
    """Runs of at least `min_points` identical readings (a stuck meter).

    Excluded as legitimate: zeros (an item that is off, a heating item in summer), runs at
    the row's lowest value in the series (a contracted minimum or a clamp at a floor) and
    values within `RESOLUTION_FACTOR` steps of the row's resolution (the smallest change
    seen between readings: a tiny flow rounded to the meter's last digit repeats naturally).
    Missing readings break a run.
    """
    if values.shape[1] < min_points or min_points < 2:
        return []
    with np.errstate(invalid="ignore"), _quiet_nan():
        floor = np.nanmin(values, axis=1)
        steps = np.abs(np.diff(values, axis=1))
        resolution = np.nanmin(np.where(steps > 0, steps, np.nan), axis=1)
        resolution = np.where(np.isfinite(resolution), resolution, 0.0)
        same = values[:, 1:] == values[:, :-1]
        judged = (
            (values[:, 1:] != 0)
            & (values[:, 1:] != floor[:, None])
            & (np.abs(values[:, 1:]) >= RESOLUTION_FACTOR * resolution[:, None])
        )
    pairs = runs(same & judged, min_points - 1)
    return [Run(row, first, length + 1, float(values[row, first])) for row, first, length in pairs]


def register_drops(registers: np.ndarray, tolerance: float) -> np.ndarray:
    """Where a cumulative register reads less than the previous reading present.

    Parameters
    ----------
    registers : ndarray (items, periods)
        Register readings at each period start, NaN where missing (or where the drop is
        declared: meter replacement, rollover, reset).
    tolerance : float [1]
        Relative drop ignored as rounding.
    """
    n, m = registers.shape
    present = np.isfinite(registers)
    index = np.where(present, np.arange(m)[None, :], -1)
    last = np.maximum.accumulate(index, axis=1)
    previous = np.concatenate([np.full((n, 1), -1), last[:, :-1]], axis=1)
    rows = np.arange(n)[:, None]
    prior = np.where(previous >= 0, registers[rows, np.maximum(previous, 0)], np.nan)
    with np.errstate(invalid="ignore"):
        return np.asarray(present & (registers < prior - tolerance * np.abs(prior)))


def level_shifts(
    daily: np.ndarray,
    groups: np.ndarray,
    candidates: range,
    before: int,
    after: int,
    min_change: float,
    max_spread: float,
) -> list[tuple[int, int, float]]:
    """Lasting changes of an item's level relative to its peers (a re-configured meter).

    Each item's daily totals are divided by a peer reference: the median, over the other
    items of the same group (enterprise or boundary), of their daily totals scaled to their
    own median. A change of activity moves every item of the group and cancels out; a
    current-transformer ratio changed on one meter does not. A candidate day ``c`` is a
    shift when the median relative level of the `after` days from ``c`` differs from that of
    the `before` days before ``c`` by at least `min_change`, and both sides are steady
    (at least 85 % of the days of each side known and within `max_spread` of the side's
    median, so a transition or a short stop inside a side is not a level). Runs of
    neighbouring candidate days keep the strongest.

    Parameters
    ----------
    daily : ndarray (items, days)
        Daily totals, NaN where unknown.
    groups : ndarray of int (items,)
        Peer group of each item.
    candidates : range
        Day columns to test; each needs `before` days before and `after` days from it.

    Returns
    -------
    list of (row, day column, ratio after / before)
    """
    n, d = daily.shape
    if n == 0 or d == 0:
        return []
    relative = _relative_to_peers(daily, groups)
    cols = [c for c in candidates if c - before >= 0 and c + after <= d]
    if not cols:
        return []
    c = np.array(cols)
    prior = np.stack([relative[:, k - before : k] for k in cols], axis=1)  # (n, C, before)
    later = np.stack([relative[:, k : k + after] for k in cols], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"), _quiet_nan():
        m_prior = np.nanmedian(prior, axis=-1)
        m_later = np.nanmedian(later, axis=-1)
        ratio = m_later / m_prior
        steady = _steady(prior, m_prior, max_spread) & _steady(later, m_later, max_spread)
        shifted = (
            (m_prior > 0) & (m_later > 0) & steady & (np.abs(np.log(ratio)) >= np.log1p(min_change))
        )
    out = []
    for row in range(n):
        flagged = np.flatnonzero(shifted[row])
        if flagged.size == 0:
            continue
        for run in np.split(flagged, np.flatnonzero(np.diff(flagged) > 1) + 1):
            best = run[np.argmax(np.abs(np.log(ratio[row, run])))]
            out.append((row, int(c[best]), float(ratio[row, best])))
    return out


STEADY_SHARE = 0.85
"""Share of a side's days that must be known and lie within the spread of its median."""


def _steady(windows: np.ndarray, median: np.ndarray, spread: float) -> np.ndarray:
    """Whether at least `STEADY_SHARE` of each window's days are known and lie within
    ``spread`` of the window's median (a level, not a transition or a short stop)."""
    close = np.abs(windows / median[..., None] - 1.0) <= spread
    return np.asarray(close.sum(axis=-1) >= STEADY_SHARE * windows.shape[-1])


def _relative_to_peers(daily: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row divided by the median of its group's other rows that are on (each scaled to
    its median; zeros left out); a row without peers is scaled to its own median only."""
    with np.errstate(invalid="ignore", divide="ignore"), _quiet_nan():
        positive = np.where(daily > 0, daily, np.nan)
        scale = np.nanmedian(positive, axis=1)
        scaled = daily / scale[:, None]
        out = np.full_like(daily, np.nan, dtype=float)
        for group in np.unique(groups):
            members = np.flatnonzero(groups == group)
            if members.size == 1:
                out[members] = scaled[members]
                continue
            # a peer that is off (0: a heating item out of season, a stopped unit) says
            # nothing about the activity level and is left out of the reference
            block = np.where(scaled[members] > 0, scaled[members], np.nan)
            for position, row in enumerate(members):
                others = np.delete(block, position, axis=0)
                reference = np.nanmedian(others, axis=0)
                out[row] = scaled[row] / np.where(reference > 0, reference, np.nan)
    return out


def day_sums(mask: np.ndarray, per_day: int) -> np.ndarray:
    """Count of True per row and block of `per_day` columns (columns must tile whole days)."""
    n, m = mask.shape
    return np.asarray(mask.reshape(n, m // per_day, per_day).sum(axis=2))


def deviation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Relative deviation ``|a - b| / max(|a|, |b|)`` (0 when both are 0)."""
    top = np.maximum(np.abs(a), np.abs(b))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(top > 0, np.abs(a - b) / np.where(top > 0, top, 1.0), 0.0)
