"""A planned product against the quota in force and the NDRC benchmark and baseline levels."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nenghao.accounting import QuotaAssessment, QuotaValuesNotLoadedError, quota_level
from nenghao.standards import Catalog, Level, Status

from .note import Note

__all__ = ["REQUIRED_LEVEL", "BenchmarkPosition", "ProductCheck", "check_product"]

#: The level a project under review must meet: Level 2, the admission value of new and
#: expanded plants (Level 3 is the limit for existing plants, Level 1 the advanced value).
REQUIRED_LEVEL: Level = "L2"

#: Tolerance when comparing a value with a level [kgce/t].
_TOLERANCE = 1e-9

BenchmarkPosition = Literal["benchmark", "baseline", "below_baseline"]
"""Reaches the benchmark (标杆水平); the baseline only (基准水平); worse than the baseline."""


class ProductCheck(BaseModel):
    """A planned product against the quota in force and the NDRC benchmark levels.

    Attributes
    ----------
    product : str or None
        Quota-catalogue product code.
    name : str
        Product name.
    capacity : float [unit]
        Annual capacity.
    unit : str
        Unit of ``capacity``.
    planned_unit_consumption : float or None [kgce/t]
        Planned unit consumption.
    required_level : {"L1", "L2", "L3"}
        The level a project under review must meet (Level 2, the new-plant level).
    required_threshold : float or None [kgce/t]
        That level's value in the edition in force; None when there is none.
    meets_required : bool or None
        Planned value within ``required_threshold``; None when nothing to compare.
    quota : QuotaAssessment or None
        The full comparison with the edition in force (level, limit, edition).
    quota_note : Note or None
        Why there is no quota comparison (no code, no edition in force, values not entered,
        no planned value, no Level 2).
    benchmark : float or None [kgce/t]
        NDRC benchmark level (标杆水平).
    baseline : float or None [kgce/t]
        NDRC baseline level (基准水平).
    benchmark_position : {"benchmark", "baseline", "below_baseline"} or None
        Where the planned value stands against them.
    benchmark_source : str or None
        Document of the levels.
    benchmark_status : {"confirmed", "unverified"} or None
        Whether the levels were checked.
    benchmark_note : Note or None
        Why there is no benchmark comparison.

    References
    ----------
    .. [1] GB 21256-2025, clause 4: Level 3 the limit, Level 2 for new and expanded plants,
       Level 1 advanced.
    .. [2] 发改产业〔2023〕723号 (工业重点领域能效标杆水平和基准水平（2023年版）).
    """

    model_config = ConfigDict(frozen=True)

    product: str | None
    name: str
    capacity: float
    unit: str
    planned_unit_consumption: float | None
    required_level: Level = REQUIRED_LEVEL
    required_threshold: float | None = None
    meets_required: bool | None = None
    quota: QuotaAssessment | None = None
    quota_note: Note | None = None
    benchmark: float | None = None
    baseline: float | None = None
    benchmark_position: BenchmarkPosition | None = None
    benchmark_source: str | None = None
    benchmark_status: Status | None = None
    benchmark_note: Note | None = None


NOTHING_PLANNED = Note.plain(
    "未填写设计单位产品能耗，未作比较", "no planned unit consumption given: nothing compared"
)


def _name_zh(code: str, catalog: Catalog) -> str:
    editions = catalog.quota_standards.get(code) or ()
    return editions[0].product_name_zh if editions else code


def _quota(code: str, value: float | None, on: date, catalog: Catalog) -> dict[str, object]:
    """The quota fields of a ProductCheck."""
    edition = catalog.quota_for(code, on)  # UnknownKeyError for a code never heard of
    name = _name_zh(code, catalog)
    if edition is None:
        none = Note.plain(
            f"{on.isoformat()} 无现行有效的{name}能耗限额标准",
            f"no quota edition for {code} is in force on {on.isoformat()}",
        )
        return {"quota_note": none}
    if not edition.values_loaded:
        missing = str(QuotaValuesNotLoadedError(edition.standard))
        return {"quota_note": Note.plain(f"{edition.standard} 的限额值尚未录入", missing)}
    required = edition.levels.get(REQUIRED_LEVEL)
    if required is None:
        note = Note.plain(
            f"{edition.standard} 未规定{name}的 2 级（新建准入）值",
            f"{edition.standard} sets no Level 2 (new-plant value) for {code}",
        )
        return {"quota_note": note, **_assessed(code, value, on, catalog)}
    fields: dict[str, object] = {"required_threshold": required}
    if value is None:
        return {**fields, "quota_note": NOTHING_PLANNED}
    fields.update(_assessed(code, value, on, catalog))
    fields["meets_required"] = value <= required + _TOLERANCE  # new plant: Level 2
    return fields


def _assessed(code: str, value: float | None, on: date, catalog: Catalog) -> dict[str, object]:
    if value is None:
        return {}
    return {"quota": quota_level(code, value, on, catalog=catalog)}


def _benchmark(code: str, value: float | None, catalog: Catalog) -> dict[str, object]:
    """The benchmark fields of a ProductCheck."""
    level = catalog.benchmark_levels.get(code)
    if level is None:
        none = Note.plain(
            f"{_name_zh(code, catalog)}无国家能效标杆水平和基准水平",
            f"no NDRC benchmark/baseline level known for {code}",
        )
        return {"benchmark_note": none}
    fields: dict[str, object] = {
        "benchmark": level.benchmark,
        "baseline": level.baseline,
        "benchmark_source": level.source,
        "benchmark_status": level.status,
    }
    if value is None:
        fields["benchmark_note"] = NOTHING_PLANNED
    elif value <= level.benchmark + _TOLERANCE:
        fields["benchmark_position"] = "benchmark"
    elif value <= level.baseline + _TOLERANCE:
        fields["benchmark_position"] = "baseline"
    else:
        fields["benchmark_position"] = "below_baseline"
    return fields


def check_product(
    *,
    product: str | None,
    name: str,
    capacity: float,
    unit: str,
    planned_unit_consumption: float | None,
    year: int,
    catalog: Catalog,
) -> ProductCheck:
    """Compare a planned unit consumption with the quota in force in ``year`` and the levels.

    Parameters
    ----------
    product : str or None
        Quota-catalogue product code; None states that no quota or level is known.
    name : str
        Product name.
    capacity : float [unit]
        Annual capacity.
    unit : str
        Unit of ``capacity``.
    planned_unit_consumption : float or None [kgce/t]
        Planned unit-product comprehensive consumption.
    year : int [year]
        First full year: the edition in force on 31 December of it applies.
    catalog : Catalog
        The reference catalogue.

    Returns
    -------
    ProductCheck
        The comparison, or notes saying why there is none.

    Raises
    ------
    UnknownKeyError
        A product code the quota catalogue does not know.

    References
    ----------
    .. [1] GB 21256-2025, clause 4 (Tables 1 to 5): Level 2 for new and expanded plants.
    .. [2] 发改产业〔2023〕723号: benchmark (标杆) and baseline (基准) levels.
    """
    base: dict[str, object] = {
        "product": product,
        "name": name,
        "capacity": capacity,
        "unit": unit,
        "planned_unit_consumption": planned_unit_consumption,
    }
    if product is None:
        none = Note.plain(
            "未选择能耗限额目录中的产品：无限额值和标杆水平可比",
            "no quota-catalogue product code: no quota or benchmark level known",
        )
        return ProductCheck.model_validate({**base, "quota_note": none, "benchmark_note": none})
    on = date(year, 12, 31)
    return ProductCheck.model_validate(
        {
            **base,
            **_quota(product, planned_unit_consumption, on, catalog),
            **_benchmark(product, planned_unit_consumption, catalog),
        }
    )
