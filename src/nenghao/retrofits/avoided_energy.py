"""Avoided energy of a retrofit and its uncertainty: the adjusted baseline (the baseline model
on the reporting period's variables, plus non-routine adjustments) minus the reporting
period's actual energy.

Pure computation on arrays: no database.

References
----------
.. [1] GB/T 28750-2012 节能量测量和验证技术通则: 节能量 = 校准能耗 − 统计报告期能耗
   (the adjusted baseline less the reporting period's energy, ± non-routine adjustments).
.. [2] ASHRAE Guideline 14-2014, Annex B, B-14: fractional savings uncertainty
   ΔE_save/E_save = 1.26 · t · CV · sqrt((n/n′)·(1 + 2/n)·(1/m)) / F, with
   n′ = n·(1 − ρ)/(1 + ρ) for autocorrelated (hourly) residuals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from nenghao.retrofits.baseline_model import BaselineFit, Values
from nenghao.standards.mv_criteria import MvCriteria

POINTS_PER_YEAR = {"month": 12, "hour": 8760}
"""Points in a year, to state a saving per year (the claim is a yearly figure)."""


@dataclass(frozen=True)
class AvoidedEnergy:
    """The saving over the reporting period, in the energy unit of the model [tce]."""

    routine_baseline: float
    """Σ of the model over the reporting points [tce]."""
    adjustments: float
    """Σ of the non-routine adjustments [tce] (added to the baseline)."""
    actual: float
    avoided: float
    """adjusted baseline − actual [tce]."""
    fraction: float | None
    """F: avoided / routine baseline (None when the baseline is not positive)."""
    m: int
    n_effective: float
    t: float
    confidence: float
    uncertainty: float
    """Half-width of the interval at ``confidence`` [tce]."""
    relative_uncertainty: float | None
    """uncertainty / avoided (None unless a saving was found)."""
    annual_factor: float
    """Points per year / m: multiplies the period's figures to a year."""

    @property
    def adjusted_baseline(self) -> float:
        """The routine baseline plus the non-routine adjustments [tce]."""
        return self.routine_baseline + self.adjustments

    @property
    def annual_avoided(self) -> float:
        """The saving stated per year [tce/a]."""
        return self.avoided * self.annual_factor


def effective_points(n: int, rho: float, granularity: str) -> float:
    """n′: n for monthly data, n·(1 − ρ)/(1 + ρ) for hourly data (ρ clipped to [0, 0.99])."""
    if granularity != "hour":
        return float(n)
    clipped = min(max(rho, 0.0), 0.99)
    return n * (1 - clipped) / (1 + clipped)


def avoided_energy(
    fit: BaselineFit,
    reporting_energy: Values,
    reporting_variables: Mapping[str, Values],
    adjustments: float,
    criteria: MvCriteria,
) -> AvoidedEnergy:
    """The saving of the reporting period and its uncertainty [2]_.

    Parameters
    ----------
    fit : BaselineFit
        The baseline model.
    reporting_energy : sequence of float [tce]
        The reporting period's energy per point.
    reporting_variables : mapping of str to sequence of float
        The reporting period's independent variables, one value per point.
    adjustments : float [tce]
        Σ of the non-routine adjustments for the reporting period.
    criteria : MvCriteria
        The confidence level and the uncertainty factor.

    Returns
    -------
    AvoidedEnergy
    """
    actual = np.asarray(reporting_energy, dtype=float)
    m = len(actual)
    routine = float(fit.predict(reporting_variables).sum()) if m else 0.0
    total_actual = float(actual.sum())
    avoided = routine + adjustments - total_actual
    n_eff = effective_points(fit.n, fit.rho, fit.granularity)
    confidence = criteria.confidence.value
    t = float(stats.t.ppf(0.5 + confidence / 2, fit.n - fit.p))
    spread = math.sqrt((fit.n / n_eff) * (1 + 2 / fit.n) / m) if m else 0.0
    uncertainty = criteria.uncertainty_factor.value * t * fit.cvrmse * spread * max(routine, 0.0)
    return AvoidedEnergy(
        routine_baseline=routine,
        adjustments=adjustments,
        actual=total_actual,
        avoided=avoided,
        fraction=avoided / routine if routine > 0 else None,
        m=m,
        n_effective=n_eff,
        t=t,
        confidence=confidence,
        uncertainty=uncertainty,
        relative_uncertainty=uncertainty / avoided if avoided > 0 else None,
        annual_factor=POINTS_PER_YEAR[fit.granularity] / m if m else 0.0,
    )
