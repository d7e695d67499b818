"""The M&V maths on a worked example computed by hand: the baseline regression with its
CV(RMSE) and NMBE, and the avoided energy with its 90 % uncertainty (ASHRAE Guideline 14)."""

from __future__ import annotations

import pytest

from nenghao.retrofits.avoided_energy import avoided_energy, effective_points
from nenghao.retrofits.baseline_model import fit_baseline, lag1_autocorrelation
from nenghao.standards.mv_criteria import get_mv_criteria

# Six baseline months: production x [kt] and energy y [tce].
X = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
Y = [3.0, 5.0, 6.0, 9.0, 11.0, 12.0]


def test_baseline_regression_by_hand() -> None:
    # n = 6, Σx = 21, Σy = 46, Σx² = 91, Σxy = 3 + 10 + 18 + 36 + 55 + 72 = 194, Σy² = 416
    # Sxx = 91 − 21²/6 = 17.5;  Sxy = 194 − 21·46/6 = 33;  Syy = 416 − 46²/6 = 63.3333
    # b1 = Sxy / Sxx = 1.885714;  b0 = ȳ − b1·x̄ = 7.666667 − 1.885714·3.5 = 1.066667
    # SSE = Syy − b1·Sxy = 63.333333 − 62.228571 = 1.104762;  p = 2, n − p = 4
    # CV(RMSE) = sqrt(1.104762 / 4) / 7.666667 = 0.525538 / 7.666667 = 0.068548
    # NMBE = Σ(y − ŷ) / ((n − p)·ȳ) = 0 (least squares with an intercept: residuals sum to 0)
    fit = fit_baseline(Y, {"production": X}, "month", get_mv_criteria())
    assert fit.coefficients["production"] == pytest.approx(1.885714, abs=1e-6)
    assert fit.coefficients["intercept"] == pytest.approx(1.066667, abs=1e-6)
    assert (fit.n, fit.p) == (6, 2)
    assert fit.cvrmse == pytest.approx(0.068548, abs=1e-6)
    assert fit.nmbe == pytest.approx(0.0, abs=1e-12)
    # 6.85 % ≤ 15 % and |0| ≤ 5 %: accepted on monthly data
    assert fit.accepted
    assert fit.reasons == ()


def test_avoided_energy_and_its_uncertainty_by_hand() -> None:
    fit = fit_baseline(Y, {"production": X}, "month", get_mv_criteria())
    # Reporting: two months of production 4 and 5 kt, metered 8 and 9 tce.
    # Adjusted baseline = (1.066667 + 1.885714·4) + (1.066667 + 1.885714·5)
    #                   = 8.609524 + 10.495238 = 19.104762 tce; actual 17 tce
    # Avoided = 19.104762 − 17 = 2.104762 tce; F = 2.104762 / 19.104762 = 0.110169
    # Student t, 90 % two-sided, 4 degrees of freedom (table): 2.132
    # monthly: n′ = n = 6;  sqrt((n/n′)(1 + 2/n)(1/m)) = sqrt(1 · 1.333333 / 2) = 0.816497
    # ΔE = 1.26 · 2.132 · 0.068548 · 0.816497 · 19.104762 = 2.8724 tce
    # (ΔE / E_save = 1.26·t·CV·sqrt(…)/F = 0.150343 / 0.110169 = 1.3647)
    result = avoided_energy(fit, [8.0, 9.0], {"production": [4.0, 5.0]}, 0.0, get_mv_criteria())
    assert result.routine_baseline == pytest.approx(19.104762, abs=1e-5)
    assert result.avoided == pytest.approx(2.104762, abs=1e-5)
    assert result.fraction == pytest.approx(0.110169, abs=1e-5)
    assert result.t == pytest.approx(2.132, abs=1e-3)
    assert result.uncertainty == pytest.approx(2.8724, abs=2e-3)
    assert result.relative_uncertainty == pytest.approx(1.3647, abs=2e-3)
    # two months of saving stated per year: 2.104762 · 12 / 2 = 12.628571 tce/a
    assert result.annual_avoided == pytest.approx(12.628571, abs=1e-5)


def test_a_non_routine_adjustment_raises_the_baseline() -> None:
    fit = fit_baseline(Y, {"production": X}, "month", get_mv_criteria())
    # a capacity added in the reporting period: +1.5 tce to the baseline
    # avoided = 19.104762 + 1.5 − 17 = 3.604762 tce
    result = avoided_energy(fit, [8.0, 9.0], {"production": [4.0, 5.0]}, 1.5, get_mv_criteria())
    assert result.avoided == pytest.approx(3.604762, abs=1e-5)
    assert result.adjusted_baseline == pytest.approx(20.604762, abs=1e-5)


def test_autocorrelation_correction_for_hourly_data() -> None:
    # e = 1, −1, 1, −1: Σ e_t·e_(t−1) = −3, Σ e² = 4, ρ = −0.75
    assert lag1_autocorrelation(__import__("numpy").array([1.0, -1.0, 1.0, -1.0])) == -0.75
    # hourly, ρ = 0.5: n′ = 100 · 0.5 / 1.5 = 33.33; monthly data keeps n′ = n
    assert effective_points(100, 0.5, "hour") == pytest.approx(100 / 3)
    assert effective_points(100, 0.5, "month") == 100


def test_a_baseline_with_a_production_change_fails_the_criteria() -> None:
    # Twelve months of rising production; energy rises 4 tce a month but steps down 50 tce
    # after month 6 (a change of operation the variable does not describe).
    production = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0]
    energy = [100.0, 104.0, 108.0, 112.0, 116.0, 120.0, 70.0, 74.0, 78.0, 82.0, 86.0, 90.0]
    fit = fit_baseline(energy, {"production": production}, "month", get_mv_criteria())
    # x̄ = 15.5, ȳ = 95; x − x̄ = −5.5 … 5.5; y − ȳ = 5, 9, 13, 17, 21, 25, −25, −21, … −5
    # Sxx = 2·(0.25 + 2.25 + 6.25 + 12.25 + 20.25 + 30.25) = 143
    # Sxy = (−27.5 − 40.5 − 45.5 − 42.5 − 31.5 − 12.5) + (−12.5 − 31.5 − 42.5 − 45.5 − 40.5
    #       − 27.5) = −400;  b1 = −400/143 = −2.797203
    # Syy = 2·(25 + 81 + 169 + 289 + 441 + 625) = 3260;  SSE = 3260 − 400²/143 = 2141.118881
    # CV(RMSE) = sqrt(2141.118881 / 10) / 95 = 14.632563 / 95 = 0.154027 > 0.15
    assert fit.coefficients["production"] == pytest.approx(-2.797203, abs=1e-6)
    assert fit.cvrmse == pytest.approx(0.154027, abs=1e-6)
    assert not fit.accepted
    # the residuals of the two halves differ: the platform names the change of operation
    assert fit.reasons == ("cvrmse", "shift")
