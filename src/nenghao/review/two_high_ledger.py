"""The ledger of existing two-high installations (存量两高项目台账): each installation's
measured unit-product consumption against the NDRC benchmark (标杆) and baseline (基准)
levels of its product (``standards/data/benchmark_levels.toml``).

The measured figure is the analytics layer's (`nenghao.analytics.quota_compliance`, one
read for the whole scope; `nenghao.analytics.unit_products` for a month): boundary
consumption over qualified output [kgce/t], never recomputed here. An installation reads
the product row of its enterprise for its product, or the product data item named by its
``item_id`` when the enterprise meters several outputs of that product.

Position, judged on the value as answered (2 decimals, kgce/t; lower is better):

* ``better_than_benchmark`` 达到标杆水平: value <= benchmark;
* ``between`` 标杆与基准之间: benchmark < value <= baseline (equal to the baseline meets it);
* ``worse_than_baseline`` 低于基准水平: value > baseline (the policy's "below the base
  level": more energy per tonne than the baseline value) — a rectification plan is required;
* ``no_level`` 无标杆/基准值: the product has no levels in the catalogue (or none is set);
* ``no_data`` 无监测数据: levels known, no measured value (no product row, no output).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection

from nenghao.analytics.periods import Period, today_cst
from nenghao.analytics.quota_compliance import quota_compliance
from nenghao.analytics.unit_products import unit_products
from nenghao.standards import get_catalog
from nenghao.standards.calendar import add_months
from nenghao.standards.precision import Quantity, rounded
from nenghao.store import two_high, two_high_plans
from nenghao.store.common import Page
from nenghao.store.scope import Scope

POSITIONS_ZH = {
    "better_than_benchmark": "达到标杆水平",
    "between": "标杆与基准之间",
    "worse_than_baseline": "低于基准水平（需整改）",
    "no_level": "无标杆/基准值",
    "no_data": "无监测数据",
}
"""The positions, in order from best to unknown, with their Chinese names."""
LEVEL_STATUS_ZH = {"confirmed": "已核实", "unverified": "未核实"}
STATUS_ZH = {"active": "在运", "closed": "已关停"}
PLAN_MISSING_ZH = "需整改，未制定方案"
MEASURE_ZH = {
    "measured": "已监测",
    "no_product": "装置未登记产品，无法对照",
    "no_item": "未找到该产品的产量数据项",
    "ambiguous_items": "本单位有多个该产品的产量数据项，请为装置指定数据项",
    "no_output": "统计期内无合格产量",
}


def ledger_period(today: date, year: int | None = None) -> Period:
    """The period a ledger reads: the CST ``year`` asked, else the latest 12 complete CST
    months (the 12 months before the month of `today`)."""
    if year is not None:
        return Period.year(year)
    first = date(today.year, today.month, 1)
    return Period("range", add_months(first, -12), first)


def pick(rows: Iterable[Mapping[str, Any]], installation: Mapping[str, Any]) -> tuple[Any, str]:
    """The product row (of `unit_products` or `quota_compliance`) measuring `installation`,
    and the measurement status (`MEASURE_ZH`)."""
    if installation["product"] is None:
        return None, "no_product"
    if installation["item_id"] is not None:
        found = [row for row in rows if row["item_id"] == installation["item_id"]]
    else:
        found = [row for row in rows if row["product_code"] == installation["product"]]
    if not found:
        return None, "no_item"
    if len(found) > 1:
        return None, "ambiguous_items"
    row = found[0]
    return row, "measured" if row["unit_consumption"] is not None else "no_output"


def position(value: float | None, product: str | None) -> str:
    """The position of a measured value [kgce/t] against the product's levels (module
    docstring), judged on the value rounded to 2 decimals."""
    level = get_catalog().benchmark_levels.get(product or "")
    if level is None:
        return "no_level"
    if value is None:
        return "no_data"
    shown = rounded(value, Quantity.UNIT_PRODUCT)
    if shown <= level.benchmark:
        return "better_than_benchmark"
    return "between" if shown <= level.baseline else "worse_than_baseline"


def levels_of(product: str | None) -> dict[str, Any]:
    """The benchmark and baseline of a product with their document, source and status."""
    level = get_catalog().benchmark_levels.get(product or "")
    if level is None:
        return {
            "benchmark": None,
            "baseline": None,
            "level_document": None,
            "level_source": None,
            "level_status": None,
            "level_status_zh": None,
        }
    return {
        "benchmark": level.benchmark,
        "baseline": level.baseline,
        "level_document": level.document,
        "level_source": level.source,
        "level_status": level.status,
        "level_status_zh": LEVEL_STATUS_ZH[level.status],
    }


def describe(installation: Mapping[str, Any]) -> dict[str, Any]:
    """The installation with the names of its enterprise's division and industry, its
    sector, product and status."""
    catalog = get_catalog()
    division = catalog.divisions.get(installation["division_code"])
    industry = catalog.industries.get(installation["industry_code"])
    sector = next((s for s in catalog.two_high_sectors if s.code == installation["sector"]), None)
    editions = catalog.quota_standards.get(installation["product"] or "")
    return {
        **installation,
        "division_name": division.name_zh if division else installation["division_code"],
        "industry_name": industry.name_zh if industry else installation["industry_code"],
        # a sector since removed from two_high.toml keeps its code
        "sector_name": sector.name_zh if sector else installation["sector"],
        "sector_name_en": sector.name_en if sector else installation["sector"],
        "product_name": editions[0].product_name_zh if editions else None,
        "status_zh": STATUS_ZH[installation["status"]],
    }


def assessed(
    installation: Mapping[str, Any], row: Any, measure: str, plan: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A ledger row: the installation described, measured and positioned, with its plan."""
    value = row["unit_consumption"] if row is not None else None
    where = position(value, installation["product"])
    needs_plan = where == "worse_than_baseline" and installation["status"] == "active"
    return {
        **describe(installation),
        "unit_consumption": value,
        "unit": "kgce/t",
        "output_t": row["output_t"] if row is not None else None,
        "measured_item_id": row["item_id"] if row is not None else None,
        "measure_status": measure,
        "measure_zh": MEASURE_ZH[measure],
        **levels_of(installation["product"]),
        "position": where,
        "position_zh": POSITIONS_ZH[where],
        "needs_plan": needs_plan,
        "plan_missing": needs_plan and plan is None,
        "flag_zh": PLAN_MISSING_ZH if needs_plan and plan is None else None,
        "open_plan_id": plan["id"] if plan else None,
        "open_plan_deadline": plan["deadline"] if plan else None,
    }


def ledger(
    connection: Connection,
    scope: Scope,
    *,
    year: int | None = None,
    today: date | None = None,
    installation_id: int | None = None,
) -> dict[str, Any]:
    """Every installation in `scope` on the ledger (division, enterprise, name order).

    Parameters
    ----------
    connection : Connection
        Database connection.
    scope : Scope
        The caller's scope (an enterprise its own installations, a district its division's).
    year : int, optional
        A CST year (read up to its last complete day while in progress, ``partial``);
        the latest 12 complete CST months by default.
    today : date, optional
        The CST day whose data is not complete yet (the store's clock by default).
    installation_id : int, optional
        Only this installation.

    Returns
    -------
    dict
        ``period``, ``start``, ``end`` (read), ``partial``, ``through``, ``rows`` (see
        `assessed`), ``counts`` by position, ``plans_missing``, ``notes``.
    """
    today = today or today_cst()
    answer = quota_compliance(connection, scope, ledger_period(today, year), today=today)
    by_enterprise: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in answer["rows"]:
        by_enterprise[row["enterprise_id"]].append(row)
    plans = two_high_plans.open_plans(connection, scope)
    rows = []
    for installation in two_high.listing(connection, scope, installation_id=installation_id):
        found, measure = pick(by_enterprise[installation["enterprise_id"]], installation)
        rows.append(assessed(installation, found, measure, plans.get(installation["id"])))
    counts = dict.fromkeys(POSITIONS_ZH, 0)
    for row in rows:
        counts[row["position"]] += 1
    return {
        "period": answer["period"],
        "start": answer["start"],
        "end": answer["end"],
        "partial": answer["partial"],
        "through": answer["through"],
        "rows": rows,
        "counts": counts,
        "plans_missing": sum(row["plan_missing"] for row in rows),
        "notes": {
            "unit_consumption": "boundary comprehensive consumption (equivalent value) / "
            "qualified output of the period read, kgce/t, as the quota comparison reads it",
            "position": "judged on the value rounded to 2 decimals: <= benchmark 达到标杆; "
            "<= baseline between; > baseline 低于基准水平 (needs a rectification plan)",
            "levels": "发改产业〔2023〕723号; 未核实 values are not yet checked against the "
            "document",
        },
    }


def month_series(
    connection: Connection, scope: Scope, installation: Mapping[str, Any], months: list[date]
) -> list[dict[str, Any]]:
    """The installation's measured unit consumption in each CST month of `months` (first
    days), with its position."""
    out = []
    for first in months:
        period = Period.month(first.year, first.month)
        rows = unit_products(connection, scope, installation["enterprise_id"], period)["rows"]
        row, measure = pick(rows, installation)
        value = row["unit_consumption"] if row is not None else None
        out.append(
            {
                "month": period.label,
                "unit_consumption": value,
                "output_t": row["output_t"] if row is not None else None,
                "measure_status": measure,
                "position": position(value, installation["product"]),
            }
        )
    return out


def unregistered(
    connection: Connection, scope: Scope, *, offset: int = 0, limit: int | None = 50
) -> Page:
    """Enterprises of two-high industries in `scope` with no active installation (未登记装置
    hint), with the names of their division, industry and sector."""
    catalog = get_catalog()
    page = two_high.unregistered(connection, scope, offset=offset, limit=limit)
    items = []
    for row in page.items:
        division = catalog.divisions.get(row["division_code"])
        industry = catalog.industries.get(row["industry_code"])
        sector = catalog.two_high_sector_of(row["industry_code"])
        assert sector is not None  # the store selects two-high industries only
        items.append(
            {
                **row,
                "division_name": division.name_zh if division else row["division_code"],
                "industry_name": industry.name_zh if industry else row["industry_code"],
                "sector": sector.code,
                "sector_name": sector.name_zh,
                "hint_zh": "未登记装置",
            }
        )
    return Page(items=items, total=page.total, offset=page.offset, limit=page.limit)
