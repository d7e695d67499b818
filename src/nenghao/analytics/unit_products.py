"""Unit-product consumption of each product of an enterprise against its quota levels.

The consumption of a product's boundary is the comprehensive consumption of the items of
that boundary (process sub-meters; the fence for products metered at the enterprise
boundary), with energy recovered and sent out of the process deducted (GB/T 2589-2020,
GB 21256-2025) and the feedstock charged into the product left out (the coal charged into
coke ovens is 原料, not process energy: see `process_consumption_tce`). The quota edition is
the one in force on the period's last day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection

from nenghao.accounting import (
    NoQuotaInForceError,
    QuotaValuesNotLoadedError,
    process_consumption_tce,
    quota_level,
    unit_product_consumption,
)
from nenghao.analytics.errors import SubjectNotFoundError
from nenghao.analytics.item_factors import COLUMN
from nenghao.analytics.items import Filters
from nenghao.analytics.ledger import Ledger, build_ledger
from nenghao.analytics.periods import Period
from nenghao.standards import UnknownKeyError, get_catalog
from nenghao.store import enterprises
from nenghao.store.scope import Scope

UNIT_PRODUCT_KINDS = ("fence", "process", "product")
"""The item selections a unit-product computation reads from the ledger."""

_EMPTY = {"gross_tce": 0.0, "recovered_tce": 0.0, "feedstock_tce": 0.0, "items": 0}


def unit_products(
    connection: Connection, scope: Scope, enterprise_id: int, period: Period
) -> dict[str, Any]:
    """Each product of the enterprise: output, boundary consumption, kgce/t, quota level.

    Parameters
    ----------
    connection : Connection
        Database connection.
    scope : Scope
        The caller's scope; an enterprise outside it is "not found".
    enterprise_id : int
        The enterprise.
    period : Period
        CST days; the quota edition is the one in force on the last day.

    Returns
    -------
    dict
        One row per product item with ``quota`` = the assessment (level, edition, thresholds)
        or a ``status`` saying why there is none: the edition in force has no values entered
        (``quota_values_not_loaded``, with ``edition``), no edition covers the date, no quota
        standard, no output.
    """
    enterprise = enterprises.get(connection, scope, enterprise_id)
    if enterprise is None:
        raise SubjectNotFoundError(f"enterprise {enterprise_id} not found")
    ledger = build_ledger(
        connection,
        scope,
        period,
        Filters(enterprise_id=enterprise_id),
        kinds=UNIT_PRODUCT_KINDS,
    )
    on = period.last_day
    rows = product_rows(ledger, range(len(ledger.items)), on)
    return {
        "enterprise_id": enterprise_id,
        "enterprise_name": enterprise["name"],
        "period": period.label,
        "quota_date": on.isoformat(),
        "rows": rows,
        "notes": {
            "unit_consumption": "boundary comprehensive consumption (equivalent value, "
            "recovered energy sent out of the process deducted, feedstock charged into the "
            "product left out) / qualified output, kgce/t",
            "feedstock": "energy items marked as feedstock (原料用能, e.g. the coal charged "
            "into coke ovens) are not process energy; their standard coal is shown apart",
            "shared_boundary": "when several products share a boundary, each is shown "
            "against the whole boundary's consumption (no allocation is configured)",
        },
    }


def product_rows(ledger: Ledger, positions: Iterable[int], on: date) -> list[dict[str, Any]]:
    """The product rows of one enterprise's items in a ledger read with `UNIT_PRODUCT_KINDS`.

    Parameters
    ----------
    ledger : Ledger
        Totals of the period.
    positions : iterable of int
        Positions in ``ledger.items`` of the items of one enterprise.
    on : date
        The day whose quota edition judges the values (the period's last day).

    Returns
    -------
    list of dict
        One row per product item (see `unit_products`).
    """
    boundary: dict[str, dict[str, float]] = defaultdict(lambda: dict(_EMPTY))
    products = []
    for position in positions:
        item = ledger.items[position]
        if item.measures == "product":
            products.append((item, float(ledger.quantities[position])))
            continue
        values = ledger.values[position]
        part = boundary[item.boundary]
        part["gross_tce"] += float(values[COLUMN["equivalent_tce"]])
        part["recovered_tce"] += float(values[COLUMN["exported_tce"]])
        part["feedstock_tce"] += float(values[COLUMN["raw_material_tce"]])
        part["items"] += 1
    sharing: defaultdict[str, int] = defaultdict(int)
    for item, _output in products:
        sharing[item.boundary] += 1
    rows = []
    for item, output in products:
        part = boundary.get(item.boundary, _EMPTY)
        consumption = process_consumption_tce(part["gross_tce"], part["feedstock_tce"])
        row: dict[str, Any] = {
            "item_id": item.id,
            "item_code": item.code,
            "product_code": item.product_code,
            "product_name": _product_name(item.product_code) or item.name,
            "boundary": item.boundary,
            "output_t": output,
            "boundary_consumption_tce": consumption,
            "recovered_energy_deducted_tce": part["recovered_tce"],
            "feedstock_excluded_tce": part["feedstock_tce"],
            "boundary_items": part["items"],
            "shared_boundary": sharing[item.boundary] > 1,
            "basis": "equivalent",
        }
        row.update(_assess(item.product_code, consumption, output, item.unit, on))
        rows.append(row)
    return rows


def _product_name(code: str | None) -> str | None:
    if code is None:
        return None
    editions = get_catalog().quota_standards.get(code)
    return editions[0].product_name_zh if editions else None


def _editions(code: str) -> str:
    return "；".join(
        f"{e.standard} {e.valid_from or '…'} 至 {e.valid_to or '…'}"
        for e in get_catalog().quota_standards[code]
    )


def _assess(code: str | None, tce: float, output: float, unit: str, on: Any) -> dict[str, Any]:
    if output <= 0:
        return {
            "unit_consumption": None,
            "status": "no_output",
            "message": "本期无合格产量，不计算单位产品能耗",
        }
    value = unit_product_consumption(tce, output, consumption_unit="tce", output_unit=unit)
    answer: dict[str, Any] = {"unit_consumption": value.value, "unit": value.unit}
    if code is None:
        return answer | {
            "status": "no_quota_standard",
            "message": "该数据项未登记产品代码，无法对照限额",
        }
    try:
        assessment = quota_level(code, value.value, on)
    except QuotaValuesNotLoadedError as exc:
        # the edition in force applies; only its values are missing: never "no quota"
        return answer | {
            "status": "quota_values_not_loaded",
            "edition": exc.standard,
            "message": str(exc),
        }
    except NoQuotaInForceError:
        return answer | {
            "status": "no_quota_in_force",
            "message": f"{on.isoformat()} 无在效限额版本（{_editions(code)}）",
        }
    except UnknownKeyError:
        return answer | {
            "status": "no_quota_standard",
            "message": "该产品未配置单位产品能耗限额标准",
        }
    return answer | {
        "status": "assessed",
        "quota": assessment.model_dump(mode="json"),
    }
