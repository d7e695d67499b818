"""The measurement and verification (M&V) of one retrofit from its metered data.

Reads the baseline and reporting series (`series`), fits the baseline model
(`baseline_model`), computes the avoided energy and its uncertainty (`avoided_energy`) and
compares the saving per year with the claim. Equal-value tce and tCO2 of the saving: the
adjusted baseline is valued at the baseline period's own ratios (equal-value tce and tCO2 per
equivalent tce), the reporting period at its measured figures, so a fuel switch counts in
tCO2 (docs/mv.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection

from nenghao.retrofits.advice import advice_for
from nenghao.retrofits.avoided_energy import AvoidedEnergy, avoided_energy
from nenghao.retrofits.baseline_model import BaselineFit, fit_baseline
from nenghao.retrofits.errors import MvInputError
from nenghao.retrofits.series import (
    Series,
    cst_labels,
    load_retrofit_items,
    month_period,
    monthly_sums,
    read_series,
)
from nenghao.standards.mv_criteria import get_mv_criteria
from nenghao.store import retrofits as store
from nenghao.store.scope import Scope


@dataclass(frozen=True)
class Verification:
    """A retrofit's M&V: the model, the two periods' series and the saving."""

    retrofit: dict[str, Any]
    adjustments: list[dict[str, Any]]
    fit: BaselineFit
    baseline: Series
    reporting: Series
    avoided: AvoidedEnergy
    equal_avoided: float
    """The period's saving at equal value [tce]."""
    tco2_avoided: float
    """The period's avoided emissions [tCO2]."""
    flag_ratio: float

    @property
    def verified(self) -> bool:
        """True when the baseline model meets the criteria (the saving is verified)."""
        return self.fit.accepted

    @property
    def claim_ratio(self) -> float:
        """The saving per year over the claimed saving per year."""
        return self.avoided.annual_avoided / float(self.retrofit["claimed_saving_tce"])

    @property
    def flagged(self) -> bool:
        """True when a verified saving falls below ``flag_ratio`` of the claim."""
        return self.verified and self.claim_ratio < self.flag_ratio

    @property
    def advice(self) -> list[dict[str, str]]:
        """Why the model was refused and what would help (empty when accepted)."""
        return advice_for(self.fit.reasons)


def _no_data(position: int, name: str, period: str) -> MvInputError:
    zh_period = "基准期" if period == "baseline" else "报告期"
    return MvInputError(
        "variable_without_data",
        f"the independent variable {name!r} has no data in the {period} period",
        zh=f"自变量“{name}”在{zh_period}没有数据",
        field=f"variables[{position}]",
        period=period,
    )


def _check_variables(series: Series, variables: list[dict[str, Any]], period: str) -> None:
    entered_any = any(v.get("values") is not None for v in variables)
    labels = cst_labels(list(series.starts), "M") if entered_any else []
    for position, variable in enumerate(variables):
        entered = variable.get("values")
        if entered is not None:
            if any(label not in entered for label in labels) or not labels:
                raise _no_data(position, variable["name"], period)
        elif series.starts and not np.any(series.variables[variable["name"]]):
            raise _no_data(position, variable["name"], period)


def _read(conn: Connection, retrofit: dict[str, Any], period: str) -> Series:
    items = load_retrofit_items(
        conn,
        retrofit["enterprise_id"],
        [
            *retrofit["energy_items"],
            *(v["item_id"] for v in retrofit["variables"] if "item_id" in v),
        ],
    )
    energy = [items[i] for i in retrofit["energy_items"] if i in items]
    metered = {v["name"]: items[v["item_id"]] for v in retrofit["variables"] if "item_id" in v}
    entered = {v["name"]: v["values"] for v in retrofit["variables"] if "values" in v}
    months = month_period(retrofit[f"{period}_from"], retrofit[f"{period}_to"])
    series = read_series(conn, energy, metered, entered, months, retrofit["granularity"])
    if not series.starts:
        if read_series(conn, energy, {}, {}, months, "month").starts:
            for position, variable in enumerate(retrofit["variables"]):
                item = metered.get(variable["name"])
                if item is not None and not np.any(monthly_sums(conn, [item], months)[1]):
                    raise _no_data(position, variable["name"], period)
        zh = "基准期" if period == "baseline" else "报告期"
        raise MvInputError(
            f"{period}_without_data",
            f"the {period} period has no energy data for the retrofit's items",
            zh=f"{zh}内项目的能源数据项没有数据",
            field=f"{period}_from",
        )
    _check_variables(series, retrofit["variables"], period)
    return series


def verify(conn: Connection, scope: Scope, retrofit_id: int) -> Verification:
    """The M&V of retrofit ``retrofit_id`` in ``scope`` from the stored data."""
    retrofit = store.get(conn, scope, retrofit_id)
    return verify_row(conn, retrofit)


def verify_row(conn: Connection, retrofit: dict[str, Any]) -> Verification:
    """The M&V of a retrofit row (as `nenghao.store.retrofits.get` returns it)."""
    criteria = get_mv_criteria()
    baseline = _read(conn, retrofit, "baseline")
    needed = int(criteria.baseline_min_months.value) if retrofit["granularity"] == "month" else 0
    if len(baseline.starts) < needed:
        raise MvInputError(
            "baseline_too_short",
            f"the baseline has data for {len(baseline.starts)} months; the model needs {needed}",
            zh=f"基准期仅 {len(baseline.starts)} 个月有数据，基准模型至少需要 {needed} 个月",
            field="baseline_from",
            months=len(baseline.starts),
            needed=needed,
        )
    reporting = _read(conn, retrofit, "reporting")
    fit = fit_baseline(baseline.equivalent, baseline.variables, retrofit["granularity"], criteria)
    adjustments = store.adjustments(conn, retrofit["id"])
    avoided = avoided_energy(
        fit,
        reporting.equivalent,
        reporting.variables,
        sum(float(a["amount_tce"]) for a in adjustments),
        criteria,
    )
    base_totals = baseline.energy.sum(axis=0)
    ratios = base_totals / base_totals[0] if base_totals[0] else np.ones(3)
    actual = reporting.energy.sum(axis=0)
    ratio = retrofit["flag_ratio"] or criteria.claim_flag_ratio.value
    return Verification(
        retrofit=retrofit,
        adjustments=adjustments,
        fit=fit,
        baseline=baseline,
        reporting=reporting,
        avoided=avoided,
        equal_avoided=float(avoided.adjusted_baseline * ratios[1] - actual[1]),
        tco2_avoided=float(avoided.adjusted_baseline * ratios[2] - actual[2]),
        flag_ratio=float(ratio),
    )
