"""The review tier and the two-high screening of a project, each with the clause that decides it.

Thresholds come from the catalogue (policy.toml review_* entries, review.toml), never literals.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from nenghao.standards import Catalog, Status, TwoHighSector
from nenghao.standards.vocabulary import ConstructionType, ReviewTier

__all__ = [
    "LEVEL_NAMES_EN",
    "LEVEL_NAMES_ZH",
    "Clause",
    "Screening",
    "TierDecision",
    "decide_tier",
    "screen_two_high",
]

MEASURES = "固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023)"
"""The document whose articles the tier follows."""
MEASURES_ZH = "《固定资产投资项目节能审查办法》（国家发展改革委令2023年第2号）"
"""The same, as a Chinese citation."""
TWO_HIGH_SECTORS_ZH = "“两高”行业范围：环环评〔2021〕45号及各省细化（本地配置）"
"""Where the two-high sectors come from, in Chinese."""
LEVEL_NAMES_ZH = {"province": "省级", "city": "市级", "district": "区县级"}
"""Reviewing levels in Chinese."""
LEVEL_NAMES_EN = {"province": "the province", "city": "the city", "district": "the district"}
"""Reviewing levels in English."""


def _document(source: str) -> str:
    """The document named at the head of a catalogue source (before its first colon)."""
    return source.split(":", 1)[0].strip()


class Clause(BaseModel):
    """The rule that decided a result, as the regulator reads it.

    Attributes
    ----------
    text_zh : str
        The rule in Chinese, with the figures applied.
    text_en : str
        The same in English.
    source : str
        Document and article, with the catalogue's sources as stored.
    source_zh : str
        Document and article as a Chinese citation.
    status : {"confirmed", "unverified"}
        ``"unverified"`` if any value or rule it applies is.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Articles 8 and 9.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text_zh: str
    text_en: str
    source: str
    source_zh: str
    status: Status


class TierDecision(BaseModel):
    """The review tier with its clause and the reviewing level.

    Attributes
    ----------
    tier : {"provincial", "local", "exempt"}
        Who reviews.
    clause : Clause
        The rule that decided it.
    reviewing_level : {"province", "city", "district"}
        The administrative level that reviews (configured per province).

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Articles 8 and 9.
    """

    model_config = ConfigDict(frozen=True)

    tier: ReviewTier
    clause: Clause
    reviewing_level: str


class Screening(BaseModel):
    """The two-high screening of a project.

    Attributes
    ----------
    two_high : bool
        A two-high (高耗能高排放) project.
    sector : TwoHighSector or None
        The two-high sub-sector its industry is in.
    clause : Clause
        The rule that decided it.

    References
    ----------
    .. [1] 环环评〔2021〕45号 (two-high sectors); the threshold's source is in review.toml.
    """

    model_config = ConfigDict(frozen=True)

    two_high: bool
    sector: TwoHighSector | None
    clause: Clause


def _status(*statuses: Status) -> Status:
    return "unverified" if "unverified" in statuses else "confirmed"


def _increment(construction: ConstructionType) -> tuple[str, str]:
    if construction == "reconstruction":
        return "改建项目按建成投产后年综合能源消费增量计算", "a reconstruction counts its increment"
    return "按建成投产后年综合能源消费量计算", "counted after commissioning"


def decide_tier(
    *,
    tier_tce: float,
    electricity_kwh: float,
    construction: ConstructionType,
    industry: str,
    simple_process: bool,
    division: str | None,
    catalog: Catalog,
) -> TierDecision:
    """The review tier of a project.

    Parameters
    ----------
    tier_tce : float [tce]
        Consumption the tier compares (electricity at equivalent value; the increment of a
        reconstruction; gross or deduction-adjusted as review.toml tier_basis says).
    electricity_kwh : float [kWh]
        Annual electricity consumption counted the same way.
    construction : {"new", "expansion", "reconstruction"}
        Construction type (for the clause's wording).
    industry : str
        GB/T 4754-2017 class code.
    simple_process : bool
        The project declares it is of a listed simple-process kind.
    division : str or None
        GB/T 2260 code of the project's location (selects the province's reviewing levels).
    catalog : Catalog
        The reference catalogue.

    Returns
    -------
    TierDecision
        Tier, clause and reviewing level.

    References
    ----------
    .. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 2 of 2023), Article 8: >= 10 000 tce
       (reconstruction: the increment; electricity at equivalent value) reviewed by the
       provincial authority; below that the province decides.
    .. [2] Same, Article 9: no separate energy report below 1 000 tce AND 5 million kWh, or
       for the industries of the simple-process list (发改环资规〔2017〕1975号).
    """
    policy, rules = catalog.policy, catalog.review
    provincial = policy.review_provincial_threshold
    small_energy = policy.review_report_exempt_energy
    small_power = policy.review_report_exempt_electricity
    levels = rules.levels_for(division)
    basis = rules.tier_basis
    counted_zh, counted_en = _increment(construction)
    listed = industry in rules.simple_process_industries.industries
    if simple_process and listed:  # Article 9: the simple-process list
        simple = rules.simple_process_industries
        clause = Clause(
            text_zh=(
                f"所属行业 {industry} 列入用能工艺简单、节能潜力小的行业目录，"
                "不单独编制节能报告，节能审查机关不再单独进行节能审查"
            ),
            text_en=(
                f"industry {industry} is on the simple-process list: no separate energy report, "
                "no separate review"
            ),
            source=f"{MEASURES}, Article 9; {simple.source}",
            source_zh=f"{MEASURES_ZH}第九条；《不单独进行节能审查的行业目录》（发改环资规〔2017〕1975号）",
            status=_status(simple.status, basis.status),
        )
        return TierDecision(tier="exempt", clause=clause, reviewing_level=levels.exempt)
    if tier_tce >= provincial.value:  # Article 8: >= 10 000 tce, provincial
        clause = Clause(
            text_zh=(
                f"年综合能源消费量 {tier_tce:.2f} tce（{counted_zh}，电力按当量值）"
                f"≥ {provincial.value:g} tce，由省级节能审查机关审查"
            ),
            text_en=(
                f"annual comprehensive consumption {tier_tce:.2f} tce ({counted_en}, electricity "
                f"at equivalent value) >= {provincial.value:g} tce: reviewed by the province"
            ),
            source=f"{MEASURES}, Article 8; {provincial.source}",
            source_zh=f"{MEASURES_ZH}第八条",
            status=_status(provincial.status, basis.status),
        )
        return TierDecision(tier="provincial", clause=clause, reviewing_level=levels.provincial)
    # Article 9: below 1 000 tce AND below 5 million kWh, no separate report
    if tier_tce < small_energy.value and electricity_kwh < small_power.value:
        clause = Clause(
            text_zh=(
                f"年综合能源消费量 {tier_tce:.2f} tce < {small_energy.value:g} tce 且年电力消费量 "
                f"{electricity_kwh:.0f} kWh < {small_power.value:.0f} kWh，不单独编制节能报告，"
                "节能审查机关不再单独进行节能审查"
            ),
            text_en=(
                f"annual consumption {tier_tce:.2f} tce < {small_energy.value:g} tce and "
                f"electricity {electricity_kwh:.0f} kWh < {small_power.value:.0f} kWh: "
                "no separate energy report, no separate review"
            ),
            source=f"{MEASURES}, Article 9; {small_energy.source}",
            source_zh=f"{MEASURES_ZH}第九条",
            status=_status(small_energy.status, small_power.status, basis.status),
        )
        return TierDecision(tier="exempt", clause=clause, reviewing_level=levels.exempt)
    clause = Clause(
        text_zh=(
            f"年综合能源消费量 {tier_tce:.2f} tce（{counted_zh}）< {provincial.value:g} tce，"
            f"且不满足不单独编制节能报告的条件（< {small_energy.value:g} tce 且 < "
            f"{small_power.value:.0f} kWh；年电力消费量 {electricity_kwh:.0f} kWh），"
            f"节能审查权限由省级节能审查机关决定（本地配置：{LEVEL_NAMES_ZH[levels.local]}审查）"
        ),
        text_en=(
            f"annual consumption {tier_tce:.2f} tce ({counted_en}) < {provincial.value:g} tce and "
            f"not below both {small_energy.value:g} tce and {small_power.value:.0f} kWh "
            f"(electricity {electricity_kwh:.0f} kWh): reviewed at the level the province "
            f"assigns (configured: {LEVEL_NAMES_EN[levels.local]})"
        ),
        source=f"{MEASURES}, Articles 8 and 9; {levels.source}",
        source_zh=f"{MEASURES_ZH}第八条、第九条；省级节能审查权限划分（本地配置）",
        status=_status(provincial.status, small_power.status, basis.status, levels.status),
    )
    return TierDecision(tier="local", clause=clause, reviewing_level=levels.local)


def screen_two_high(*, counted_tce: float, industry: str, catalog: Catalog) -> Screening:
    """Two-high screening: industry in a two-high sub-sector AND consumption >= the threshold.

    Parameters
    ----------
    counted_tce : float [tce]
        Counted consumption (equivalent value, the increment of a reconstruction), gross.
    industry : str
        GB/T 4754-2017 class code.
    catalog : Catalog
        The reference catalogue (two_high.toml sectors, review.toml threshold).

    Returns
    -------
    Screening
        The verdict, the sector and the clause.

    References
    ----------
    .. [1] 环环评〔2021〕45号: the two-high sectors (refined by provinces, two_high.toml).
    .. [2] 粤发改能源〔2021〕368号, 二(一): projects of those sectors with >= 1 万 tce a year
       (the configured threshold, review.toml).
    """
    threshold = catalog.review.two_high_energy_threshold
    sector = catalog.two_high_sector_of(industry)
    if sector is None:
        clause = Clause(
            text_zh=f"所属行业 {industry} 不属于“两高”行业范围，不属于“两高”项目",
            text_en=f"industry {industry} is in no two-high sector: not a two-high project",
            source="two_high.toml (环环评〔2021〕45号 and provincial refinements)",
            source_zh=TWO_HIGH_SECTORS_ZH,
            status="unverified",
        )
        return Screening(two_high=False, sector=None, clause=clause)
    yes = counted_tce >= threshold.value  # 以上 includes the figure itself
    verdict_zh, verdict_en = ("属于", "a") if yes else ("不属于", "not a")
    compare = "≥" if yes else "<"
    clause = Clause(
        text_zh=(
            f"所属行业 {industry} 属“两高”行业（{sector.name_zh}），年综合能源消费量 "
            f"{counted_tce:.2f} tce {compare} {threshold.value:g} tce，{verdict_zh}“两高”项目"
        ),
        text_en=(
            f"industry {industry} is in the two-high sector {sector.name_en}; annual consumption "
            f"{counted_tce:.2f} tce {'>=' if yes else '<'} {threshold.value:g} tce: "
            f"{verdict_en} two-high project"
        ),
        source=f"{sector.source}; {threshold.source}",
        source_zh=f"{TWO_HIGH_SECTORS_ZH}；能耗门槛：{_document(threshold.source)}",
        status=_status(sector.status, threshold.status),
    )
    return Screening(two_high=yes, sector=sector, clause=clause)
