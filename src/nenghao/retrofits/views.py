"""A retrofit and its M&V as plain dicts: what the API, the command line and the documents
show (one place, so they agree)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from nenghao.retrofits.series import cst_labels
from nenghao.retrofits.verification import Verification, verify_row
from nenghao.store import retrofits as store
from nenghao.store.common import StoreError
from nenghao.store.scope import Scope

PERIOD_KEYS = (
    "baseline_from",
    "baseline_to",
    "installation_from",
    "installation_to",
    "reporting_from",
    "reporting_to",
)


def describe(row: dict[str, Any]) -> dict[str, Any]:
    """The project's own fields, its periods written YYYY-MM."""
    out = {key: value for key, value in row.items() if key not in PERIOD_KEYS}
    out.update({key: f"{row[key]:%Y-%m}" for key in PERIOD_KEYS})
    return out


def _labels(starts: tuple[int, ...], granularity: str) -> list[str]:
    if granularity == "hour":
        return [f"{label.replace('T', ' ')}:00" for label in cst_labels(list(starts), "h")]
    return cst_labels(list(starts), "M")


def verification(result: Verification) -> dict[str, Any]:
    """The M&V answer: model, criteria, series, saving with uncertainty, claim check."""
    fit, avoided = result.fit, result.avoided
    granularity = fit.granularity
    factor = avoided.annual_factor
    reporting_model = (
        [float(v) for v in fit.predict(result.reporting.variables)]
        if result.reporting.starts
        else []
    )
    return {
        "status": "verified" if result.verified else "model_rejected",
        "model": {
            "granularity": granularity,
            "variables": list(fit.variables),
            "coefficients": fit.coefficients,
            "n": fit.n,
            "p": fit.p,
            "cvrmse": fit.cvrmse,
            "nmbe": fit.nmbe,
            "r_squared": fit.r_squared,
            "rho": fit.rho,
            "cvrmse_max": fit.cvrmse_max,
            "nmbe_max": fit.nmbe_max,
            "accepted": fit.accepted,
            "reasons": list(fit.reasons),
            "advice": result.advice,
        },
        "baseline": {
            "labels": _labels(result.baseline.starts, granularity),
            "actual": [float(v) for v in result.baseline.equivalent],
            "model": list(fit.fitted),
        },
        "reporting": {
            "labels": _labels(result.reporting.starts, granularity),
            "actual": [float(v) for v in result.reporting.equivalent],
            "model": reporting_model,
        },
        "savings": {
            "routine_baseline_tce": avoided.routine_baseline,
            "adjustments_tce": avoided.adjustments,
            "adjusted_baseline_tce": avoided.adjusted_baseline,
            "actual_tce": avoided.actual,
            "avoided_tce": avoided.avoided,
            "avoided_equal_tce": result.equal_avoided,
            "avoided_tco2": result.tco2_avoided,
            "fraction": avoided.fraction,
            "uncertainty_tce": avoided.uncertainty,
            "relative_uncertainty": avoided.relative_uncertainty,
            "confidence": avoided.confidence,
            "t": avoided.t,
            "m": avoided.m,
            "n_effective": avoided.n_effective,
            "annual_avoided_tce": avoided.annual_avoided,
            "annual_avoided_equal_tce": result.equal_avoided * factor,
            "annual_avoided_tco2": result.tco2_avoided * factor,
            "annual_uncertainty_tce": avoided.uncertainty * factor,
        },
        "claim": {
            "claimed_saving_tce": float(result.retrofit["claimed_saving_tce"]),
            "ratio": result.claim_ratio,
            "flag_ratio": result.flag_ratio,
            "flagged": result.flagged,
        },
        "adjustments": [adjustment(a) for a in result.adjustments],
    }


def adjustment(row: dict[str, Any]) -> dict[str, Any]:
    """A non-routine adjustment, its month written YYYY-MM."""
    return {**row, "month": f"{row['month']:%Y-%m}"}


def ledger(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Every retrofit in ``scope`` with its verified saving per year beside the claim
    (``status``: verified, model_rejected, or no_data with the refusal's code)."""
    rows: list[dict[str, Any]] = []
    for row in store.listing(conn, scope):
        line = {**describe(row), "verified_tce": None, "verified_equal_tce": None}
        line.update({"verified_tco2": None, "uncertainty_tce": None, "ratio": None})
        line.update({"flagged": False, "cvrmse": None, "nmbe": None, "problem": None})
        try:
            result = verify_row(conn, row)
        except StoreError as exc:
            rows.append({**line, "status": "no_data", "problem": exc.code})
            continue
        answer = verification(result)
        savings = answer["savings"]
        line.update(
            status=answer["status"],
            verified_tce=savings["annual_avoided_tce"],
            verified_equal_tce=savings["annual_avoided_equal_tce"],
            verified_tco2=savings["annual_avoided_tco2"],
            uncertainty_tce=savings["annual_uncertainty_tce"],
            ratio=answer["claim"]["ratio"],
            flagged=answer["claim"]["flagged"],
            cvrmse=result.fit.cvrmse,
            nmbe=result.fit.nmbe,
        )
        rows.append(line)
    return rows
