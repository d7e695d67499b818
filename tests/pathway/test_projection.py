"""The yearly projection and its peak, on a worked example computed by hand."""

from __future__ import annotations

import pytest

from nenghao.pathway.errors import PathwayInputError
from nenghao.pathway.model import Assumption, Measure
from nenghao.pathway.projection import MeasureEffect, project, rate

BASE = {"steel": {"fuels": 100.0, "electricity": 50.0, "process": 20.0}}
"""Base year 2025 [tCO2]: total 170."""
ASSUMPTIONS = [
    Assumption(parameter="output_growth", from_year=2026, value_pct=10),
    Assumption(parameter="output_growth", sector="steel", from_year=2028, value_pct=0),
    Assumption(parameter="intensity_change", from_year=2026, value_pct=-5),
    Assumption(parameter="grid_factor_change", from_year=2026, value_pct=-2),
]


def test_business_as_usual_peaks_when_growth_stops():
    # Indices: output 1.1 (2026), 1.21 (2027), 1.21 (2028: 0 % from 2028, the sector's own);
    # intensity 0.95, 0.9025, 0.857375; grid 0.98, 0.9604, 0.941192.
    # 2026: fuels 100*1.1*0.95 = 104.5; electricity 50*1.045*0.98 = 51.205; process 20*1.1 = 22
    #       total 177.705
    # 2027: energy index 1.21*0.9025 = 1.092025; fuels 109.2025; electricity
    #       50*1.092025*0.9604 = 52.439040; process 24.2; total 185.841541
    # 2028: energy index 1.21*0.857375 = 1.03742375; fuels 103.742375; electricity
    #       50*1.03742375*0.941192 = 48.820747; process 24.2; total 176.763122
    # Peak: 2027 at 185.841541 (every later year is lower: output flat, intensity falling).
    result = project(2025, BASE, ASSUMPTIONS)
    totals = {y.year: y.total for y in result.years}
    assert totals[2025] == pytest.approx(170.0)
    assert totals[2026] == pytest.approx(177.705, abs=1e-6)
    assert totals[2027] == pytest.approx(185.841541, abs=1e-6)
    assert totals[2028] == pytest.approx(176.763122, abs=1e-6)
    assert result.years[-1].year == 2035
    assert (result.peak_year, result.peaked) == (2027, True)
    assert result.peak_tco2 == pytest.approx(185.841541, abs=1e-6)
    by_source = result.years[2].by_source
    assert by_source["electricity"] == pytest.approx(52.439040, abs=1e-6)
    assert by_source["process"] == pytest.approx(24.2)


def test_a_policy_measure_brings_the_peak_forward():
    # A verified retrofit saving 10 tCO2/year from 2027: 2027 becomes 175.841541, below
    # 2026's 177.705, which is now the peak.
    retrofit = Measure(
        kind="retrofit", name="1号窑", sector="steel", year=2027, saving_tco2=10, status="verified"
    )
    result = project(2025, BASE, ASSUMPTIONS, [MeasureEffect(retrofit, -10.0)])
    assert result.years[2].total == pytest.approx(175.841541, abs=1e-6)
    assert result.years[2].measures == -10.0
    assert (result.peak_year, result.peak_tco2) == (2026, pytest.approx(177.705))


def test_capacity_change_and_grid_indexed_saving():
    # Closing 50 % of capacity from 2026 with no growth: 2026 = 170 * 0.5 = 85.
    # Renewable electricity worth 10 tCO2 at base-year grid factor, grid -2 %: 2026 saves 9.8.
    closure = Measure(
        kind="capacity_change", name="关停", sector="steel", year=2026, change_pct=-50
    )
    green = Measure(kind="renewable_electricity", name="光伏", sector="steel", year=2026, mwh=20)
    grid_only = [Assumption(parameter="grid_factor_change", from_year=2026, value_pct=-2)]
    effects = [MeasureEffect(closure), MeasureEffect(green, -10.0, per_grid_index=True)]
    result = project(2025, {"steel": {"fuels": 170.0}}, grid_only, effects)
    assert result.years[1].total == pytest.approx(85.0 - 9.8)
    assert result.peak_year == 2025


def test_steady_growth_has_no_peak_by_2035():
    growth = [Assumption(parameter="output_growth", from_year=2026, value_pct=3)]
    result = project(2025, {"rest": {"heat": 10.0}}, growth)
    assert (result.peak_year, result.peaked) == (2035, False)
    # 10 * 1.03^10 = 13.439164
    assert result.peak_tco2 == pytest.approx(13.439164, abs=1e-6)


def test_sector_assumption_comes_before_city_wide():
    assert rate(ASSUMPTIONS, "output_growth", "steel", 2030) == 0
    assert rate(ASSUMPTIONS, "output_growth", "magnesia", 2030) == 10
    assert rate(ASSUMPTIONS, "output_growth", "steel", 2025) == 0  # none yet


def test_bad_inputs_say_what_is_wrong():
    early = Measure(
        kind="retrofit", name="x", sector="steel", year=2025, saving_tco2=1, status="claimed"
    )
    with pytest.raises(PathwayInputError, match="not after the base year"):
        project(2025, BASE, [], [MeasureEffect(early, -1)])
    with pytest.raises(PathwayInputError, match="base year 2035"):
        project(2035, BASE, [])
    with pytest.raises(PathwayInputError, match="unknown sector"):
        project(
            2025,
            BASE,
            [],
            [MeasureEffect(early.model_copy(update={"sector": "x", "year": 2026}), -1)],
        )
    with pytest.raises(ValueError, match="needs saving_tco2"):
        Measure(kind="retrofit", name="x", sector="steel", year=2026, status="claimed")
    with pytest.raises(ValueError, match="whole city"):
        Assumption(parameter="grid_factor_change", sector="steel", from_year=2026, value_pct=1)
