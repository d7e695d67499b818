"""The baseline model of a retrofit: ordinary least squares of energy on its independent
variables (statsmodels), judged by the ASHRAE Guideline 14 calibration criteria.

Pure computation on arrays: no database. The criteria come from ``standards/data/mv.toml``.

References
----------
.. [1] ASHRAE Guideline 14-2014, Measurement of Energy, Demand, and Water Savings, 4.3 and
   5.2.11 (CV(RMSE), NMBE and their limits).
.. [2] GB/T 28750-2012 节能量测量和验证技术通则 (the baseline model and adjusted baseline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import stats

from nenghao.retrofits.errors import MvInputError
from nenghao.standards.mv_criteria import MvCriteria

Values = Sequence[float] | np.ndarray
"""A series of numbers: a list or a numpy array."""

INTERCEPT = "intercept"
SHIFT_P_VALUE = 0.01
"""Significance at which a step in the baseline's level is said to be a change of operation
(a production change) inside the baseline."""
MAX_SPLITS = 24
MIN_SIDE = 3
"""Candidate steps tried, each leaving at least this many points on either side."""


@dataclass(frozen=True)
class BaselineFit:
    """A fitted baseline model and how well it meets the calibration criteria."""

    granularity: str
    """``month`` or ``hour``: the data the model was fitted on."""
    variables: tuple[str, ...]
    coefficients: dict[str, float]
    """The intercept [tce] and one slope per variable [tce per variable unit]."""
    n: int
    p: int
    mean: float
    """Mean baseline energy per point [tce]."""
    cvrmse: float
    nmbe: float
    r_squared: float
    rho: float
    """Lag-1 autocorrelation of the residuals."""
    cvrmse_max: float
    nmbe_max: float
    fitted: tuple[float, ...]
    reasons: tuple[str, ...]
    """Why the model is refused (empty when accepted): ``cvrmse``, ``nmbe``, ``shift``."""

    @property
    def accepted(self) -> bool:
        """True when the model meets both criteria."""
        return not any(reason in ("cvrmse", "nmbe") for reason in self.reasons)

    def predict(self, variables: Mapping[str, Values]) -> np.ndarray:
        """The model's energy [tce] for points with these variable values."""
        total = np.full(_length(variables, self.variables), self.coefficients[INTERCEPT])
        for name in self.variables:
            total = total + self.coefficients[name] * np.asarray(variables[name], dtype=float)
        return total


def _length(variables: Mapping[str, Values], names: Sequence[str]) -> int:
    lengths = {len(variables[name]) for name in names}
    if len(lengths) > 1:
        raise MvInputError(
            "variable_lengths_differ",
            "the variables' series differ in length",
            zh="自变量序列长度不一致",
        )
    return lengths.pop() if lengths else 0


def lag1_autocorrelation(residuals: np.ndarray) -> float:
    """ρ = Σ e_t·e_(t−1) / Σ e_t² of the residuals (0 for fewer than two points)."""
    if len(residuals) < 2:
        return 0.0
    denominator = float(np.dot(residuals, residuals))
    if denominator == 0.0:
        return 0.0
    return float(np.dot(residuals[1:], residuals[:-1]) / denominator)


def _has_shift(design: np.ndarray, y: np.ndarray, sse: float) -> bool:
    """True when a step in level at some point of the baseline (a change of operation the
    variables do not describe) explains the residuals: the best of up to ``MAX_SPLITS``
    candidate steps is significant at ``SHIFT_P_VALUE`` divided by the number tried
    (an F-test of the added step, Bonferroni-corrected)."""
    n, p = design.shape
    spread = float(np.sum((y - y.mean()) ** 2))
    if n < 2 * MIN_SIDE + p or sse <= 1e-12 * spread:
        return False
    splits = np.unique(np.linspace(MIN_SIDE, n - MIN_SIDE, MAX_SPLITS).astype(int))
    best = 1.0
    for split in splits:
        step = (np.arange(n) >= split).astype(float)
        stepped = sm.OLS(y, np.column_stack([design, step])).fit()
        reduced = sse - float(stepped.ssr)
        dof = n - p - 1
        if float(stepped.ssr) <= 1e-12 * max(sse, 1e-300):
            return sse > 1e-12
        f_value = reduced / (float(stepped.ssr) / dof)
        best = min(best, float(stats.f.sf(f_value, 1, dof)))
    return best < SHIFT_P_VALUE / len(splits)


def fit_baseline(
    energy: Values,
    variables: Mapping[str, Values],
    granularity: str,
    criteria: MvCriteria,
) -> BaselineFit:
    """Fit energy = b0 + Σ b_k·x_k over the baseline points and judge it.

    Parameters
    ----------
    energy : sequence of float [tce]
        Baseline energy per point (month or hour).
    variables : mapping of str to sequence of float
        Independent variables by name, one value per point (production [t], degree-days …).
    granularity : {"month", "hour"}
        Which limits of ``criteria`` apply.
    criteria : MvCriteria
        The calibration limits.

    Returns
    -------
    BaselineFit
        Coefficients, CV(RMSE) = sqrt(Σ(y−ŷ)²/(n−p))/ȳ, NMBE = Σ(y−ŷ)/((n−p)·ȳ) [1]_.
    """
    names = tuple(variables)
    y = np.asarray(energy, dtype=float)
    n, p = len(y), len(names) + 1
    if n != _length(variables, names) and names:
        raise MvInputError(
            "variable_lengths_differ",
            "energy and variables differ in length",
            zh="能耗与自变量序列长度不一致",
        )
    if n <= p:
        raise MvInputError(
            "baseline_too_short",
            f"{n} baseline points cannot fit {p} parameters",
            zh=f"基准期仅有 {n} 个数据点，不足以拟合 {p} 个参数",
            field="baseline_period",
            points=n,
            needed=p + 1,
        )
    columns = np.column_stack([np.asarray(variables[name], dtype=float) for name in names])
    design = sm.add_constant(columns, has_constant="add") if names else np.ones((n, 1))
    result = sm.OLS(y, design).fit()
    fitted = np.asarray(result.fittedvalues, dtype=float)
    residuals = y - fitted
    mean = float(y.mean())
    if mean <= 0:
        raise MvInputError(
            "baseline_energy_not_positive",
            "the baseline's energy is not positive",
            zh="基准期能耗不为正，无法建立基准模型",
            field="energy_items",
        )
    cvrmse = float(np.sqrt(np.dot(residuals, residuals) / (n - p)) / mean)
    nmbe = float(residuals.sum() / ((n - p) * mean))
    cv_max, nmbe_max = criteria.limits(granularity)
    reasons = [
        *(["cvrmse"] if cvrmse > cv_max.value else []),
        *(["nmbe"] if abs(nmbe) > nmbe_max.value else []),
        *(["shift"] if _has_shift(design, y, float(result.ssr)) else []),
    ]
    params = np.asarray(result.params, dtype=float)
    coefficients = {INTERCEPT: float(params[0])}
    coefficients.update({name: float(params[k + 1]) for k, name in enumerate(names)})
    return BaselineFit(
        granularity=granularity,
        variables=names,
        coefficients=coefficients,
        n=n,
        p=p,
        mean=mean,
        cvrmse=cvrmse,
        nmbe=nmbe,
        r_squared=float(result.rsquared) if names else 0.0,
        rho=lag1_autocorrelation(residuals),
        cvrmse_max=cv_max.value,
        nmbe_max=nmbe_max.value,
        fitted=tuple(float(value) for value in fitted),
        reasons=tuple(reasons),
    )
