"""Each pure rule on hand-made series."""

from __future__ import annotations

import numpy as np

from nenghao.monitor import rules

NAN = np.nan


def test_negative_only_where_not_allowed():
    values = np.array([[1.0, -2.0, NAN], [1.0, -2.0, 3.0]])
    found = rules.negatives(values, np.array([False, True]))
    assert found.tolist() == [[False, True, False], [False, False, False]]


def _spikes(row, window=4):
    return rules.spikes(np.array([row], dtype=float), window, 3.0, 6.0, 0.05)[0]


def test_spike_above_both_sides_is_found():
    row = [10, 11, 9, 10, 80, 10, 11, 9, 10]
    assert np.flatnonzero(_spikes(row)).tolist() == [4]


def test_steps_are_not_spikes():
    restart = [0.3, 0.3, 0.3, 0.3, 10, 10.5, 9.8, 10.1, 10]  # a plant restarting
    heating = [0, 0, 0, 0, 5, 5.2, 4.9, 5.1, 5]  # a heating season starting
    assert not _spikes(restart).any()
    assert not _spikes(heating).any()


def test_spike_judged_by_median_and_mad():
    noisy = [10, 40, 2, 30, 45, 5, 38, 12, 25]  # 45 is not 3x the local median
    assert not _spikes(noisy).any()
    at_edge = [10, 10.5, 9.5, 10, 60]  # only the side before exists
    assert np.flatnonzero(_spikes(at_edge)).tolist() == [4]
    with_gap = [10, NAN, 9, 10, 70, NAN, 11, 9, 10]
    assert np.flatnonzero(_spikes(with_gap)).tolist() == [4]


def test_flat_runs_exclude_zeros_the_floor_and_the_resolution():
    values = np.array(
        [
            [52.5, 70.25, 70.25, 70.25, 70.25, 70.25, 61.5, 55.0],  # 5 x 70.25: stuck
            [1, 0, 0, 0, 0, 0, 2, 3],  # zeros: an item that is off
            [9, 5, 5, 5, 5, 5, 8, 7],  # at its lowest value: a floor/clamp
            [1, 2, 2, 2, NAN, 2, 2, 3],  # a gap breaks the run
            [0.003, 0.002, 0.002, 0.002, 0.002, 0.002, 0.001, 0.004],  # the meter's last digit
        ]
    )
    found = rules.flat_runs(values, 4)
    assert [(r.row, r.start, r.length, r.value) for r in found] == [(0, 1, 5, 70.25)]
    assert rules.flat_runs(values, 6) == []


def test_runs_of_a_mask():
    mask = np.array([[True, True, False, True, True, True], [False] * 6])
    assert rules.runs(mask, 2) == [(0, 0, 2), (0, 3, 3)]
    assert rules.runs(mask, 3) == [(0, 3, 3)]


def test_register_drop_after_a_gap_and_declared_ones():
    registers = np.array([[100.0, 110.0, NAN, 105.0, 120.0], [5.0, 6.0, 7.0, 7.0, 8.0]])
    drops = rules.register_drops(registers, 1e-9)
    assert drops.tolist() == [[False, False, False, True, False], [False] * 5]


def _level(daily, groups, before=4, after=3):
    data = np.array(daily, dtype=float)
    return rules.level_shifts(data, np.array(groups), range(data.shape[1]), before, after, 0.2, 0.1)


def test_level_shift_of_one_meter_relative_to_its_peers():
    base = [10, 10.2, 9.9, 10.1, 10, 10.1, 9.8, 10, 10.2, 10]
    shifted = [v * (1.35 if k >= 5 else 1.0) for k, v in enumerate(base)]
    peers = [[20 * v / 10 for v in base], [3 * v / 10 for v in base]]
    found = _level([shifted, *peers], [0, 0, 0])
    assert [(row, day) for row, day, _ratio in found] == [(0, 5)]
    assert abs(found[0][2] - 1.35) < 0.02


def test_activity_changes_shared_by_peers_are_not_level_shifts():
    activity = [1, 1, 1, 1, 1, 0.4, 0.4, 0.4, 0.4, 0.4]  # the whole plant slows down
    rows = [[10 * a for a in activity], [50 * a for a in activity], [2 * a for a in activity]]
    assert _level(rows, [0, 0, 0]) == []


def test_a_peer_switched_on_for_the_season_does_not_move_the_others():
    """A magnesia works: electricity and diesel steady, coal for heating only from day 5.
    Before, the reference of electricity is the mean of diesel (1) and coal scaled to its
    median (0 outside the season, 1 in it): 0.5 then 1, a x0.5 step; with the coal left out
    while it is off, the reference is 1 throughout and nothing shifts."""
    steady = [10, 10.2, 9.9, 10.1, 10, 10.1, 9.8, 10, 10.2, 10]
    heating = [0, 0, 0, 0, 0, 3.5, 3.6, 3.4, 3.5, 3.5]
    rows = [steady, [v / 5 for v in steady], heating]
    assert [row for row, _day, _ratio in _level(rows, [0, 0, 0])] == []


def test_short_stop_inside_a_side_is_not_a_level():
    row = [10, 10, 10, 10, 10, 2, 10, 10, 10, 10]  # one low day, then back
    assert _level([row], [0]) == []


def test_deviation_is_symmetric():
    assert rules.deviation(np.array(100.0), np.array(95.0)) == rules.deviation(
        np.array(95.0), np.array(100.0)
    )
    assert float(rules.deviation(np.array(0.0), np.array(0.0))) == 0.0


def test_day_sums():
    mask = np.array([[True] * 24 + [False] * 24])
    assert rules.day_sums(mask, 24).tolist() == [[24, 0]]
