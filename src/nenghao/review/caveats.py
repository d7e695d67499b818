"""The caveats of an assessment: every unverified coefficient, factor, level or rule it used,
each as a `Note` in Chinese with the English beside it and the source as it stands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from nenghao.accounting import CarbonResult, ComprehensiveResult
from nenghao.standards import Catalog, Status
from nenghao.standards.vocabulary import CONSTRUCTION_TYPE_NAMES_ZH, ConstructionType

from .note import Note
from .products import ProductCheck
from .rules import Screening

__all__ = [
    "BASIS_NAMES_ZH",
    "Caveat",
    "Note",
    "carbon_caveats",
    "coal_caveats",
    "existing_caveats",
    "notes",
    "product_caveats",
    "rule_caveats",
]

BASIS_NAMES_ZH = {"equivalent": "当量值", "equal": "等价值"}
"""The two bases of standard coal in Chinese."""
FACTOR_NAMES_ZH = {
    "heating value": "低位发热量",
    "carbon content": "单位热值含碳量",
    "oxidation": "碳氧化率",
    "purchased heat factor": "外购热力排放因子",
}
"""Emission-factor names in Chinese (the grid factor is named by its region and year)."""


class Caveat(NamedTuple):
    """What was used (English and Chinese), where it comes from, its own note, its status."""

    what: str
    what_zh: str
    source: str
    note: str | None = None
    status: Status = "confirmed"


def _word(status: Status) -> str:
    return "verify:" if status == "unverified" else "note:"


def _word_zh(status: Status) -> str:
    return "待核实：" if status == "unverified" else "说明："


def notes(*groups: Iterable[Caveat]) -> tuple[Note, ...]:
    """One note per distinct caveat, in the order first met.

    Parameters
    ----------
    *groups : iterable of Caveat
        Caveats gathered from each part of the assessment.

    Returns
    -------
    tuple of Note
        ``text_zh`` ``"待核实：<what>"`` (``"说明："`` when confirmed but annotated),
        ``text_en`` ``"verify: <what> — <source> (<note>)"``, the source with the note;
        duplicates dropped.

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    seen: dict[str, Note] = {}
    for group in groups:
        for caveat in group:
            tail = f" ({caveat.note})" if caveat.note else ""
            text_en = f"{_word(caveat.status)} {caveat.what} — {caveat.source}{tail}"
            seen.setdefault(
                text_en,
                Note(
                    text_zh=f"{_word_zh(caveat.status)}{caveat.what_zh}",
                    text_en=text_en,
                    source=f"{caveat.source}{tail}",
                    status=caveat.status,
                ),
            )
    return tuple(seen.values())


def _kind_zh(code: str, catalog: Catalog) -> str:
    return catalog.energy_kind(code).name_zh


def coal_caveats(results: Iterable[ComprehensiveResult | None], catalog: Catalog) -> list[Caveat]:
    """Unverified (or annotated) standard-coal coefficients of the lines.

    Parameters
    ----------
    results : iterable of ComprehensiveResult or None
        Consumption results whose lines to look at (None is skipped).
    catalog : Catalog
        The reference catalogue (energy kinds' Chinese names).

    Returns
    -------
    list of Caveat
        One per line whose coefficient is unverified or carries a note; equal-value lines
        only where the equal value differs (electricity, heat).

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    found = []
    for result in results:
        for line in result.lines if result else ():
            coal = line.standard_coal
            if coal.basis == "equal" and not coal.method.startswith("equal value"):
                continue  # the same coefficient as on the equivalent basis
            if coal.status == "unverified" or coal.note:
                figure = f"{coal.coefficient:g} {coal.coefficient_unit}"
                what = f"{coal.energy} {figure} ({coal.basis})"
                what_zh = (
                    f"{_kind_zh(coal.energy, catalog)}折标准煤系数 {figure}"
                    f"（{BASIS_NAMES_ZH[coal.basis]}）"
                )
                found.append(Caveat(what, what_zh, coal.source, coal.note, coal.status))
    return found


def carbon_caveats(results: Iterable[CarbonResult], catalog: Catalog) -> list[Caveat]:
    """Unverified (or annotated, e.g. a fallback year) emission factors.

    Parameters
    ----------
    results : iterable of CarbonResult
        CO2 results with their factors.
    catalog : Catalog
        The reference catalogue (energy kinds' Chinese names).

    Returns
    -------
    list of Caveat
        One per factor that is unverified or carries a note.

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    found = []
    for r in results:
        for f in r.factors:
            if f.status != "unverified" and not f.note:
                continue
            name_zh = FACTOR_NAMES_ZH.get(f.name)
            if name_zh is None and f.name.startswith("grid factor"):
                name_zh = f"电网排放因子（{f.name.rsplit(' ', 1)[-1]} 年）"
            what_zh = f"{_kind_zh(r.subject, catalog)}{name_zh or f.name} {f.value:g} {f.unit}"
            what = f"{f.name} {f.value:g} {f.unit} ({r.subject})"
            found.append(Caveat(what, what_zh, f.source, f.note, f.status))
    return found


def rule_caveats(catalog: Catalog, screening: Screening) -> list[Caveat]:
    """Unverified review rules: the tier basis, the two-high threshold and sector.

    Parameters
    ----------
    catalog : Catalog
        The reference catalogue (review.toml).
    screening : Screening
        The two-high screening (its sector, if any).

    Returns
    -------
    list of Caveat
        The rules used that are unverified.

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    rules = catalog.review
    basis = rules.tier_basis
    found: list[Caveat] = []
    if basis.status == "unverified":
        counted = (
            "年综合能源消费量（不扣除原料用能和新增可再生能源电力）"
            if basis.basis == "gross"
            else "扣除原料用能和新增可再生能源电力后的能耗"
        )
        found.append(
            Caveat(
                f"tier basis {basis.basis}",
                f"审查层级按{counted}判定",
                basis.source,
                basis.note,
                basis.status,
            )
        )
    sector = screening.sector
    if sector is not None:
        threshold = rules.two_high_energy_threshold
        if threshold.status == "unverified":
            figure = f"{threshold.value:g} {threshold.unit}"
            found.append(
                Caveat(
                    f"two-high threshold {figure}",
                    f"“两高”项目能耗门槛 {figure}",
                    threshold.source,
                    threshold.note,
                    threshold.status,
                )
            )
        if sector.status == "unverified":
            found.append(
                Caveat(
                    f"two-high sector {sector.code}",
                    f"“两高”行业范围（{sector.name_zh}）及其行业代码对应",
                    sector.source,
                    sector.note,
                    sector.status,
                )
            )
    return found


def product_caveats(products: Iterable[ProductCheck], catalog: Catalog) -> list[Caveat]:
    """Unverified quota editions and benchmark levels.

    Parameters
    ----------
    products : iterable of ProductCheck
        The product comparisons.
    catalog : Catalog
        The reference catalogue (product names).

    Returns
    -------
    list of Caveat
        One per unverified edition or level used.

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    found: list[Caveat] = []
    for product in products:
        quota = product.quota
        if quota is not None and quota.status == "unverified":
            what_zh = f"能耗限额标准 {quota.edition}（{product.name}）"
            what = f"quota {quota.edition} {quota.product}"
            found.append(Caveat(what, what_zh, quota.source, quota.note, quota.status))
        if product.benchmark_status == "unverified" and product.benchmark_source:
            what = f"benchmark/baseline of {product.product}"
            what_zh = f"{product.name}的能效标杆水平和基准水平"
            found.append(Caveat(what, what_zh, product.benchmark_source, None, "unverified"))
    return found


def existing_caveats(construction: ConstructionType, has_existing: bool) -> list[Caveat]:
    """Existing lines given for a project that does not count the increment.

    Parameters
    ----------
    construction : {"new", "expansion", "reconstruction"}
        Construction type.
    has_existing : bool
        Whether existing lines were given.

    Returns
    -------
    list of Caveat
        One caveat when existing lines were given for a new plant or an expansion.

    Notes
    -----
    Only a same-site reconstruction counts its increment (固定资产投资项目节能审查办法,
    NDRC Order No. 2 of 2023, Article 8); the lines are shown, never dropped.
    """
    if not has_existing or construction == "reconstruction":
        return []
    kind = CONSTRUCTION_TYPE_NAMES_ZH[construction]
    return [
        Caveat(
            f"existing lines given for a {construction} ({kind}) project",
            f"{kind}项目填写了现有装置能耗：仅列示，不扣减（只有同址改建项目按增量计算）",
            "shown, not subtracted: only a same-site reconstruction counts the increment",
            "固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Article 8",
        )
    ]
