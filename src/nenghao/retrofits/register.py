"""Registering a retrofit project: the rules its fields must meet, then the audited write.

Refusals (422 unless said): ``invalid_input`` (a blank name, a claim not above 0 …),
``invalid_period``, ``retrofit_periods_overlap``, ``reporting_before_installation_end``,
``baseline_too_short``, ``retrofit_item_mismatch``, ``invalid_retrofit_variable``,
``duplicate_retrofit`` (409) and ``enterprise_not_found`` (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from nenghao.retrofits.errors import MvInputError
from nenghao.standards.calendar import CalendarError, parse_month
from nenghao.standards.mv_criteria import get_mv_criteria
from nenghao.store import retrofits as store
from nenghao.store.common import ConflictError, NotFoundError
from nenghao.store.schema import data_items, enterprises
from nenghao.store.scope import Scope

PERIODS = ("baseline", "installation", "reporting")
MEASURE_KEYS = ("kiln_before", "kiln_after", "fuel_before", "fuel_after", "description")
"""The measures a project records: kiln type and fuel before and after, and what was done."""
_ZH_PERIOD = {"baseline": "基准期", "installation": "实施期", "reporting": "报告期"}


def _months(fields: Mapping[str, Any], name: str) -> tuple[date, date]:
    try:
        first = parse_month(str(fields[f"{name}_from"]))
        last = parse_month(str(fields[f"{name}_to"]))
    except (KeyError, CalendarError) as exc:
        raise MvInputError(
            "invalid_period",
            f"{name}_from and {name}_to must be months written YYYY-MM",
            zh=f"{_ZH_PERIOD[name]}的起止月份须写作 YYYY-MM",
            field=f"{name}_from",
        ) from exc
    if last < first:
        raise MvInputError(
            "invalid_period",
            f"the {name} period ends before it starts",
            zh=f"{_ZH_PERIOD[name]}的结束月份早于开始月份",
            field=f"{name}_to",
        )
    return first, last


def month_count(first: date, last: date) -> int:
    """Months from ``first``'s to ``last``'s, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def check_periods(fields: Mapping[str, Any]) -> dict[str, date]:
    """The three periods as first days of months, refused when they overlap, the reporting
    period starts before the installation ends, or the baseline is too short."""
    spans = {name: _months(fields, name) for name in PERIODS}
    (b0, b1), (i0, i1), (r0, _r1) = (spans[name] for name in PERIODS)
    if r0 <= i1:
        raise MvInputError(
            "reporting_before_installation_end",
            f"the reporting period starts ({r0:%Y-%m}) before the installation ends ({i1:%Y-%m})",
            zh=f"报告期（{r0:%Y-%m} 起）须在实施期结束（{i1:%Y-%m}）之后开始",
            field="reporting_from",
        )
    if i0 <= b1:
        raise MvInputError(
            "retrofit_periods_overlap",
            f"the baseline period (to {b1:%Y-%m}) overlaps the installation (from {i0:%Y-%m})",
            zh=f"基准期（至 {b1:%Y-%m}）与实施期（自 {i0:%Y-%m}）重叠",
            field="installation_from",
        )
    needed = int(get_mv_criteria().baseline_min_months.value)
    months = month_count(b0, b1)
    if months < needed:
        raise MvInputError(
            "baseline_too_short",
            f"the baseline period has {months} months; the model needs at least {needed}",
            zh=f"基准期仅 {months} 个月，基准模型至少需要 {needed} 个月",
            field="baseline_to",
            months=months,
            needed=needed,
        )
    return {
        f"{name}_{end}": spans[name][k] for name in PERIODS for k, end in enumerate(("from", "to"))
    }


def _refuse(field: str, message: str, zh: str, code: str = "invalid_input") -> MvInputError:
    return MvInputError(code, f"{field}: {message}", zh=zh, field=field)


def _items_of(conn: Connection, enterprise_id: int, ids: list[int]) -> dict[int, Any]:
    rows = conn.execute(
        select(data_items.c.id, data_items.c.measures, data_items.c.name, data_items.c.unit).where(
            data_items.c.id.in_(ids), data_items.c.enterprise_id == enterprise_id
        )
    ).all()
    return {row.id: row for row in rows}


def check_items(
    conn: Connection, enterprise_id: int, fields: Mapping[str, Any], granularity: str
) -> tuple[list[int], list[dict[str, Any]]]:
    """The energy items and the variables, refused when an item is not the enterprise's (or
    not of the right kind) or a variable has neither an item nor entered values."""
    energy = [int(i) for i in fields.get("energy_items") or []]
    if not energy:
        raise _refuse("energy_items", "name at least one energy item", "须至少选择一个能源数据项")
    product = fields.get("product_item")
    raw_variables = list(fields.get("variables") or [])
    wanted = [*energy, int(product)] if product is not None else energy
    wanted += [int(v["item_id"]) for v in raw_variables if v.get("item_id") is not None]
    found = _items_of(conn, enterprise_id, wanted)
    for position, item_id in enumerate(energy):
        row = found.get(item_id)
        if row is None or row.measures not in ("energy", "medium"):
            raise _refuse(
                f"energy_items[{position}]",
                f"data item {item_id} is not an energy item of this enterprise",
                f"数据项 {item_id} 不是本单位的能源数据项",
                "retrofit_item_mismatch",
            )
    variables: list[dict[str, Any]] = []
    if product is not None:
        row = found.get(int(product))
        if row is None or row.measures != "product":
            raise _refuse(
                "product_item",
                f"data item {product} is not a product item of this enterprise",
                f"数据项 {product} 不是本单位的产量数据项",
                "retrofit_item_mismatch",
            )
        variables.append({"name": row.name, "unit": row.unit, "item_id": row.id, "role": "product"})
    for position, raw in enumerate(raw_variables):
        variables.append(_variable(found, position, raw, granularity))
    names = [v["name"] for v in variables]
    if len(set(names)) != len(names):
        raise _refuse(
            "variables",
            "variable names must differ",
            "自变量名称不能重复",
            "invalid_retrofit_variable",
        )
    return energy, variables


def _variable(
    found: Mapping[int, Any], position: int, raw: Mapping[str, Any], granularity: str
) -> dict[str, Any]:
    field = f"variables[{position}]"
    name = str(raw.get("name") or "").strip()
    item_id, values = raw.get("item_id"), raw.get("values")
    if not name or (item_id is None) == (values is None):
        raise _refuse(
            field,
            "a variable has a name and either an item_id or monthly values",
            "自变量须有名称，并选择数据项或填写逐月数值（二者选一）",
            "invalid_retrofit_variable",
        )
    if item_id is not None:
        if int(item_id) not in found:
            raise _refuse(
                field,
                f"data item {item_id} is not this enterprise's",
                f"数据项 {item_id} 不是本单位的数据项",
                "retrofit_item_mismatch",
            )
        return {"name": name, "unit": found[int(item_id)].unit, "item_id": int(item_id)}
    if granularity == "hour":
        raise _refuse(
            field,
            "entered values are monthly: an hourly model takes metered variables only",
            "手工填写的自变量为逐月数值，小时模型只能使用计量数据项",
            "invalid_retrofit_variable",
        )
    clean: dict[str, float] = {}
    for label, value in dict(values or {}).items():
        try:
            parse_month(str(label))
            clean[str(label)] = float(value)
        except (CalendarError, TypeError, ValueError) as exc:
            raise _refuse(
                field,
                f"values are {{'YYYY-MM': number}}, got {label!r}: {value!r}",
                f"逐月数值须写作 {{'YYYY-MM': 数值}}，“{label}”有误",
                "invalid_retrofit_variable",
            ) from exc
    return {"name": name, "unit": str(raw.get("unit") or ""), "values": clean}


def _check_numbers(fields: Mapping[str, Any]) -> None:
    if not str(fields.get("name") or "").strip():
        raise _refuse("name", "must not be blank", "项目名称不能为空")
    if not float(fields.get("claimed_saving_tce") or 0) > 0:
        raise _refuse("claimed_saving_tce", "must be above 0", "申报年节能量须大于 0")
    investment = fields.get("investment_wan")
    if investment is not None and float(investment) < 0:
        raise _refuse("investment_wan", "must not be negative", "投资额不能为负")
    ratio = fields.get("flag_ratio")
    if ratio is not None and not 0 < float(ratio) <= 1:
        raise _refuse("flag_ratio", "a share in (0, 1]", "核验比例须大于 0 且不超过 1")


def create(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    fields: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Check and register a retrofit of an enterprise in ``scope``; audited."""
    found = conn.execute(
        select(enterprises.c.id).where(enterprises.c.id == enterprise_id, scope.enterprise_clause())
    ).first()
    if found is None:
        raise NotFoundError(f"enterprise {enterprise_id} not found", code="enterprise_not_found")
    _check_numbers(fields)
    granularity = str(fields.get("granularity") or "month")
    periods = check_periods(fields)
    energy, variables = check_items(conn, enterprise_id, fields, granularity)
    name = str(fields["name"]).strip()
    if store.name_taken(conn, enterprise_id, name):
        raise ConflictError(
            f"the enterprise already has a retrofit named {name!r}",
            code="duplicate_retrofit",
            details={"field": "name"},
            zh=f"本单位已登记名为“{name}”的节能改造项目",
        )
    measures = {
        k: str(v) for k, v in dict(fields.get("measures") or {}).items() if k in MEASURE_KEYS
    }
    values = {
        "name": name,
        "mv_option": str(fields.get("mv_option") or "B"),
        "granularity": granularity,
        "energy_items": energy,
        "variables": variables,
        **periods,
        "claimed_saving_tce": float(fields["claimed_saving_tce"]),
        "investment_wan": fields.get("investment_wan"),
        "measures": measures,
        "flag_ratio": fields.get("flag_ratio"),
        "note": fields.get("note"),
    }
    return store.create(conn, scope, enterprise_id, values, actor=actor, remote=remote)


def add_adjustment(
    conn: Connection,
    scope: Scope,
    retrofit_id: int,
    fields: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Enter a non-routine adjustment (a capacity or product change) of a reporting-period
    month, with its reason; audited. Refused outside the reporting period."""
    retrofit = store.get(conn, scope, retrofit_id)
    try:
        month = parse_month(str(fields.get("month")))
    except CalendarError as exc:
        raise _refuse(
            "month", "a month written YYYY-MM", "月份须写作 YYYY-MM", "invalid_period"
        ) from exc
    if not retrofit["reporting_from"] <= month <= retrofit["reporting_to"]:
        raise _refuse(
            "month",
            f"{month:%Y-%m} is outside the reporting period",
            f"{month:%Y-%m} 不在报告期内",
            "adjustment_outside_reporting",
        )
    reason = str(fields.get("reason") or "").strip()
    if not reason:
        raise _refuse("reason", "give the reason", "须说明调整原因")
    values = {**fields, "month": month, "reason": reason, "amount_tce": float(fields["amount_tce"])}
    return store.add_adjustment(conn, retrofit_id, values, actor=actor, remote=remote)
