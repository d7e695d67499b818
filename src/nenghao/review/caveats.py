"""The caveats of an assessment: every unverified coefficient, factor, level or rule it used."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from nenghao.accounting import CarbonResult, ComprehensiveResult
from nenghao.standards import Catalog, Status
from nenghao.standards.vocabulary import CONSTRUCTION_TYPE_NAMES_ZH, ConstructionType

from .products import ProductCheck
from .rules import Screening

__all__ = [
    "Caveat",
    "carbon_caveats",
    "coal_caveats",
    "existing_caveats",
    "notes",
    "product_caveats",
    "rule_caveats",
]


class Caveat(NamedTuple):
    """What was used, where it comes from, and its own note."""

    what: str
    source: str
    note: str | None = None


def _word(status: Status) -> str:
    return "verify:" if status == "unverified" else "note:"


def notes(*groups: Iterable[Caveat]) -> tuple[str, ...]:
    """One line per distinct caveat, in the order first met.

    Parameters
    ----------
    *groups : iterable of Caveat
        Caveats gathered from each part of the assessment.

    Returns
    -------
    tuple of str
        ``"<what> — <source> (<note>)"`` lines, duplicates dropped.

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    seen: dict[str, None] = {}
    for group in groups:
        for caveat in group:
            tail = f" ({caveat.note})" if caveat.note else ""
            seen[f"{caveat.what} — {caveat.source}{tail}"] = None
    return tuple(seen)


def coal_caveats(results: Iterable[ComprehensiveResult | None]) -> list[Caveat]:
    """Unverified (or annotated) standard-coal coefficients of the lines.

    Parameters
    ----------
    results : iterable of ComprehensiveResult or None
        Consumption results whose lines to look at (None is skipped).

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
                what = f"{_word(coal.status)} {coal.energy} {coal.coefficient:g}"
                what = f"{what} {coal.coefficient_unit} ({coal.basis})"
                found.append(Caveat(what, coal.source, coal.note))
    return found


def carbon_caveats(results: Iterable[CarbonResult]) -> list[Caveat]:
    """Unverified (or annotated, e.g. a fallback year) emission factors.

    Parameters
    ----------
    results : iterable of CarbonResult
        CO2 results with their factors.

    Returns
    -------
    list of Caveat
        One per factor that is unverified or carries a note.

    Notes
    -----
    Bookkeeping of sources, not a calculation: no standard clause applies.
    """
    return [
        Caveat(f"{_word(f.status)} {f.name} {f.value:g} {f.unit} ({r.subject})", f.source, f.note)
        for r in results
        for f in r.factors
        if f.status == "unverified" or f.note
    ]


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
        found.append(Caveat(f"verify: tier basis {basis.basis}", basis.source, basis.note))
    sector = screening.sector
    if sector is not None:
        threshold = rules.two_high_energy_threshold
        if threshold.status == "unverified":
            what = f"verify: two-high threshold {threshold.value:g} {threshold.unit}"
            found.append(Caveat(what, threshold.source, threshold.note))
        if sector.status == "unverified":
            found.append(
                Caveat(f"verify: two-high sector {sector.code}", sector.source, sector.note)
            )
    return found


def product_caveats(products: Iterable[ProductCheck]) -> list[Caveat]:
    """Unverified quota editions and benchmark levels.

    Parameters
    ----------
    products : iterable of ProductCheck
        The product comparisons.

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
            what = f"verify: quota {quota.edition} {quota.product}"
            found.append(Caveat(what, quota.source, quota.note))
        if product.benchmark_status == "unverified" and product.benchmark_source:
            what = f"verify: benchmark/baseline of {product.product}"
            found.append(Caveat(what, product.benchmark_source))
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
            "shown, not subtracted: only a same-site reconstruction counts the increment",
        )
    ]
