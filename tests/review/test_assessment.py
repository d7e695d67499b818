"""Worked examples of the project assessment (节能审查), every figure computed by hand.

Coefficients used (checked in src/nenghao/standards/data/energy_kinds.toml, equal_value.toml,
emission_factors.toml, quotas.toml, benchmark_levels.toml, policy.toml, review.toml):

* coal-mine gas (煤矿瓦斯气) 0.5 kgce/m3: 2 000 000 m3 = 1 000 000 kgce = 1 000 tce exactly,
  so the tier edges are hit without rounding;
* electricity (电力) 0.1229 kgce/kWh at equivalent value (当量值); 0.404 kgce/kWh at equal value
  (等价值) for a year with no configured value (the documented fallback);
* natural gas (天然气) 1.2143 kgce/m3;
* raw coal (原煤) 20.908 GJ/t, 0.02618 tC/GJ, oxidation 0.93; Northeast grid 2023 0.5122
  tCO2/MWh;
* hot metal (高炉工序) GB 21256-2025 L1/L2/L3 = 361/370/415 kgce/t; NDRC benchmark 361,
  baseline 435 kgce/t;
* thresholds: provincial >= 10 000 tce; exempt < 1 000 tce and < 5 000 000 kWh; two-high
  >= 10 000 tce; expert opinions 1, two-high 2.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from nenghao.accounting import DimensionMismatchError, InvalidQuantityError
from nenghao.review.assessment import (
    Assessment,
    PlannedEnergy,
    PlannedProduct,
    ProjectFacts,
    assess,
)
from nenghao.review.errors import MissingExistingConsumptionError
from nenghao.standards import (
    DATA_DIR,
    CatalogError,
    UnknownEnergyKindError,
    UnknownKeyError,
    UnknownUnitError,
    load_catalog,
)


def gas(m3: float, role: str = "input") -> PlannedEnergy:
    """Coal-mine gas at 0.5 kgce/m3: ``m3 / 2000`` tce."""
    return PlannedEnergy(energy="coal_mine_gas", quantity=m3, unit="m3", role=role)  # type: ignore[arg-type]


def power(kwh: float, role: str = "input") -> PlannedEnergy:
    return PlannedEnergy(energy="electricity", quantity=kwh, unit="kWh", role=role)  # type: ignore[arg-type]


def facts(*energy: PlannedEnergy, **kwargs: object) -> ProjectFacts:
    base: dict[str, object] = {
        "industry": "3411",  # boilers: not a two-high industry
        "construction_type": "new",
        "year": 2027,
        "energy": energy,
    }
    return ProjectFacts.model_validate({**base, **kwargs})


ZH_ALLOWED = {"tce", "kgce", "kWh", "m3", "t", "GB", "T", "tCO2", "CO2", "MWh", "GJ", "tC"}
"""Units and standard numbers that belong in Chinese text (as tests/web/test_zh_walk.py)."""


# --- the review tier -----------------------------------------------------------------------


def test_tier_edge_9999_is_local_10000_is_provincial() -> None:
    # 19 998 000 m3 x 0.5 kgce/m3 = 9 999 000 kgce = 9 999 tce < 10 000 -> local
    below = assess(facts(gas(19_998_000)))
    assert below.counted_tce == 9_999.0
    assert below.review_tier == "local"
    assert below.reviewing_level == "city"
    # 20 000 000 m3 x 0.5 = 10 000 000 kgce = 10 000 tce >= 10 000 -> provincial
    edge = assess(facts(gas(20_000_000)))
    assert edge.counted_tce == 10_000.0
    assert edge.review_tier == "provincial"
    assert edge.reviewing_level == "province"
    assert "≥ 10000 tce" in edge.tier_clause.text_zh
    assert "省级节能审查机关" in edge.tier_clause.text_zh
    assert "Article 8" in edge.tier_clause.source


def test_999_tce_with_4_9_million_kwh_is_exempt() -> None:
    # electricity 4 900 000 kWh x 0.1229 kgce/kWh = 602 210 kgce = 602.21 tce
    # coal-mine gas 793 580 m3 x 0.5 = 396 790 kgce = 396.79 tce; total 999.00 tce
    result = assess(facts(power(4_900_000), gas(793_580)))
    assert result.counted_tce == pytest.approx(999.0)
    assert result.counted_electricity_kwh == pytest.approx(4_900_000)
    # 999 < 1 000 tce AND 4 900 000 < 5 000 000 kWh -> no separate energy report
    assert result.review_tier == "exempt"
    assert result.reviewing_level == "district"
    assert "不单独编制节能报告" in result.tier_clause.text_zh


def test_999_tce_with_5_1_million_kwh_is_local() -> None:
    # electricity 5 100 000 kWh x 0.1229 = 626 790 kgce = 626.79 tce
    # coal-mine gas 744 420 m3 x 0.5 = 372 210 kgce = 372.21 tce; total 999.00 tce
    result = assess(facts(power(5_100_000), gas(744_420)))
    assert result.counted_tce == pytest.approx(999.0)
    # 999 < 1 000 tce but 5 100 000 >= 5 000 000 kWh -> a report is needed: local
    assert result.review_tier == "local"
    assert "5100000 kWh" in result.tier_clause.text_zh


def test_1000_tce_exactly_is_local() -> None:
    # 2 000 000 m3 x 0.5 = 1 000 000 kgce = 1 000 tce: not below 1 000 -> local
    result = assess(facts(gas(2_000_000)))
    assert result.counted_tce == 1_000.0
    assert result.counted_electricity_kwh == 0.0
    assert result.review_tier == "local"


def test_reconstruction_counts_the_increment() -> None:
    # after: 30 000 000 m3 x 0.5 = 15 000 tce; before: 12 000 000 m3 x 0.5 = 6 000 tce
    # increment 15 000 - 6 000 = 9 000 tce < 10 000 -> local, although the total is above
    result = assess(
        facts(gas(30_000_000), construction_type="reconstruction", existing=(gas(12_000_000),))
    )
    assert result.equivalent.gross_tce == 15_000.0
    assert result.existing_equivalent is not None
    assert result.existing_equivalent.gross_tce == 6_000.0
    assert result.counted_tce == 9_000.0
    assert result.review_tier == "local"
    assert "增量" in result.tier_clause.text_zh
    # the same lines as a new plant: the total counts -> provincial
    assert assess(facts(gas(30_000_000))).review_tier == "provincial"


def test_existing_lines_of_an_expansion_are_shown_not_subtracted() -> None:
    result = assess(
        facts(gas(30_000_000), construction_type="expansion", existing=(gas(12_000_000),))
    )
    assert result.counted_tce == 15_000.0  # the total, not 15 000 - 6 000
    assert result.existing_equivalent is not None
    assert any("not subtracted" in note.text_en for note in result.notes)
    assert any("扩建项目填写了现有装置能耗：仅列示，不扣减" in n.text_zh for n in result.notes)


# --- deductions, bases ---------------------------------------------------------------------

DEDUCTIONS = (
    gas(17_000_000),  # 17 000 000 x 0.5 = 8 500 tce, input
    # natural gas as feedstock 1 000 000 m3 x 1.2143 kgce/m3 = 1 214.3 tce
    PlannedEnergy(energy="natural_gas", quantity=1_000_000, unit="m3", role="raw_material"),
    # green electricity above the 2020 base 10 000 000 kWh x 0.1229 = 1 229 tce
    power(10_000_000, role="renewable_above_base"),
)


def test_deductions_are_shown_apart_and_do_not_change_a_gross_tier() -> None:
    result = assess(facts(*DEDUCTIONS))
    # counted (gross) = 8 500 + 1 214.3 + 1 229 = 10 943.3 tce
    assert result.counted_tce == pytest.approx(10_943.3)
    assert result.raw_material_tce == pytest.approx(1_214.3)
    assert result.renewable_tce == pytest.approx(1_229.0)
    # assessed = 10 943.3 - 1 214.3 - 1 229 = 8 500 tce (what the regional total sees)
    assert result.assessed_tce == pytest.approx(8_500.0)
    # tier basis gross (review.toml): 10 943.3 >= 10 000 -> provincial
    assert result.tier_basis == "gross"
    assert result.tier_tce == pytest.approx(10_943.3)
    assert result.review_tier == "provincial"
    # renewable electricity is electricity consumed: 10 000 000 kWh
    assert result.counted_electricity_kwh == pytest.approx(10_000_000)
    assert any("verify: tier basis gross" in note.text_en for note in result.notes)


def test_an_assessed_tier_basis_is_configuration(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    review = data / "review.toml"
    review.write_text(
        review.read_text(encoding="utf-8").replace('basis = "gross"', 'basis = "assessed"'),
        encoding="utf-8",
    )
    result = assess(facts(*DEDUCTIONS), catalog=load_catalog(data))
    # assessed 8 500 tce < 10 000 -> local
    assert result.tier_basis == "assessed"
    assert result.tier_tce == pytest.approx(8_500.0)
    assert result.review_tier == "local"


def test_equal_and_equivalent_electricity() -> None:
    result = assess(facts(power(10_000_000)))
    # equivalent: 10 000 000 kWh x 0.1229 kgce/kWh = 1 229 000 kgce = 1 229 tce
    assert result.counted_tce == pytest.approx(1_229.0)
    # equal: no 2027 value configured, fallback 0.404 kgce/kWh = 4 040 000 kgce = 4 040 tce
    assert result.counted_equal_tce == pytest.approx(4_040.0)
    assert result.equal.gross_tce == pytest.approx(4_040.0)
    assert any("0.404" in note.text_en and "fallback" in note.text_en for note in result.notes)
    assert "待核实：电力折标准煤系数 0.404 kgce/kWh（等价值）" in [n.text_zh for n in result.notes]


# --- two-high screening --------------------------------------------------------------------


def test_steel_over_the_threshold_is_two_high() -> None:
    # 24 000 000 m3 x 0.5 = 12 000 tce >= 10 000 tce, industry 3120 in sector steel
    result = assess(facts(gas(24_000_000), industry="3120"))
    assert result.two_high is True
    assert result.two_high_sector == "steel"
    assert result.two_high_sector_name_zh == "钢铁"
    assert "属于“两高”项目" in result.two_high_clause.text_zh
    assert result.min_expert_opinions == 2  # the stricter chain


def test_steel_below_the_threshold_is_not_two_high() -> None:
    # 16 000 000 m3 x 0.5 = 8 000 tce < 10 000 tce
    result = assess(facts(gas(16_000_000), industry="3120"))
    assert result.two_high is False
    assert result.two_high_sector == "steel"
    assert "不属于“两高”项目" in result.two_high_clause.text_zh
    assert result.min_expert_opinions == 1


def test_a_non_two_high_industry_above_the_threshold_is_not_two_high() -> None:
    result = assess(facts(gas(24_000_000), industry="3411"))  # 12 000 tce, boilers
    assert result.two_high is False
    assert result.two_high_sector is None
    assert "不属于“两高”行业" in result.two_high_clause.text_zh


# --- simple-process list -------------------------------------------------------------------


def test_simple_process_exemption_needs_the_declaration_and_the_listed_industry() -> None:
    # 3 000 000 m3 x 0.5 = 1 500 tce: a report would be needed by size alone
    listed = assess(facts(gas(3_000_000), industry="4415", simple_process=True))
    assert listed.review_tier == "exempt"
    assert "行业目录" in listed.tier_clause.text_zh
    # declared, but wind power's 4415 is listed and steel's 3120 is not -> local
    assert assess(facts(gas(3_000_000), industry="3120", simple_process=True)).review_tier == (
        "local"
    )
    # listed industry without the declaration -> decided by size: local
    assert assess(facts(gas(3_000_000), industry="4415")).review_tier == "local"


# --- CO2 -----------------------------------------------------------------------------------


def test_co2_of_raw_coal_and_grid_electricity() -> None:
    result = assess(
        facts(
            PlannedEnergy(energy="raw_coal", quantity=1_000, unit="t"),
            power(10_000_000),
            year=2023,
        )
    )
    # raw coal: 1 000 t x 20.908 GJ/t = 20 908 GJ; x 0.02618 tC/GJ = 547.37144 tC;
    #   x 0.93 = 509.0554392 tC; x 44/12 = 1 866.53661 tCO2
    # electricity: 10 000 MWh x 0.5122 tCO2/MWh (Northeast 2023) = 5 122 tCO2
    coal, grid = result.co2
    assert coal.tco2 == pytest.approx(1_866.53661)
    assert grid.tco2 == pytest.approx(5_122.0)
    assert grid.factors[0].name == "grid factor northeast/mee_nbs 2023"
    # total 1 866.53661 + 5 122 = 6 988.53661 tCO2
    assert result.co2_t == pytest.approx(6_988.53661)
    assert result.counted_co2_t == pytest.approx(6_988.53661)


def test_co2_increment_of_a_reconstruction_and_lines_not_counted() -> None:
    result = assess(
        facts(
            power(10_000_000),  # 5 122 tCO2
            power(2_000_000, role="renewable_above_base"),  # zero, listed
            PlannedEnergy(energy="natural_gas", quantity=1_000, unit="m3", role="raw_material"),
            year=2023,
            construction_type="reconstruction",
            existing=(power(4_000_000),),  # 4 000 MWh x 0.5122 = 2 048.8 tCO2
        )
    )
    assert result.co2_t == pytest.approx(5_122.0)
    assert result.existing_co2_t == pytest.approx(2_048.8)
    # increment 5 122 - 2 048.8 = 3 073.2 tCO2
    assert result.counted_co2_t == pytest.approx(3_073.2)
    reasons = " ".join(n.text_en for n in result.co2_not_counted)
    assert "renewable" in reasons
    assert "raw-material" in reasons
    said = [n.text_zh for n in result.co2_not_counted]
    assert any(t.startswith("电力（新增可再生能源）：2020 年基数以上") for t in said)
    assert any(t.startswith("天然气（原料用能）：原料用能不属燃料燃烧") for t in said)
    # electricity increment 10 000 000 + 2 000 000 - 4 000 000 = 8 000 000 kWh
    assert result.counted_electricity_kwh == pytest.approx(8_000_000)


# --- intensities ---------------------------------------------------------------------------


def test_consumption_per_output_and_added_value() -> None:
    # 10 000 tce / 50 000 万元 = 0.2 tce/万元; 10 000 / 12 500 万元 = 0.8 tce/万元
    result = assess(facts(gas(20_000_000), output_value=50_000, added_value=12_500))
    assert result.per_output_value == pytest.approx(0.2)
    assert result.per_added_value == pytest.approx(0.8)
    assert assess(facts(gas(20_000_000))).per_output_value is None


# --- products ------------------------------------------------------------------------------


def hot_metal(value: float | None) -> ProjectFacts:
    product = PlannedProduct(
        product="hot_metal", name="铁水", capacity=1_000_000, planned_unit_consumption=value
    )
    return facts(gas(2_000_000), industry="3110", products=(product,))


def test_hot_metal_365_meets_level_2_and_reaches_the_baseline() -> None:
    (check,) = assess(hot_metal(365.0)).products
    # GB 21256-2025 in force on 2027-12-31; Level 2 = 370: 365 <= 370 meets the new-plant level
    assert check.required_level == "L2"
    assert check.required_threshold == 370.0
    assert check.meets_required is True
    assert check.quota is not None
    assert check.quota.edition == "GB 21256-2025"
    assert check.quota.level == "L2"  # 361 < 365 <= 370
    # benchmark 361 < 365 <= baseline 435: reaches the baseline, not the benchmark
    assert (check.benchmark, check.baseline) == (361.0, 435.0)
    assert check.benchmark_position == "baseline"


def test_hot_metal_380_fails_level_2() -> None:
    (check,) = assess(hot_metal(380.0)).products
    # 380 > 370 (Level 2) but <= 415 (Level 3, the limit)
    assert check.meets_required is False
    assert check.quota is not None
    assert check.quota.level == "L3"
    assert check.quota.meets_limit is True
    assert check.benchmark_position == "baseline"  # 380 <= 435


def test_hot_metal_at_the_benchmark_and_below_the_baseline() -> None:
    (best,) = assess(hot_metal(361.0)).products
    assert best.benchmark_position == "benchmark"  # 361 <= 361
    (worst,) = assess(hot_metal(440.0)).products
    assert worst.benchmark_position == "below_baseline"  # 440 > 435
    assert worst.quota is not None
    assert worst.quota.meets_limit is False  # 440 > 415


def test_a_product_with_no_quota_or_benchmark_is_stated() -> None:
    none = PlannedProduct(product=None, name="镁质耐火砖", capacity=50_000)
    sinter = PlannedProduct(
        product="sinter", name="烧结矿", capacity=1_000_000, planned_unit_consumption=45.0
    )
    first, second = assess(facts(gas(2_000_000), products=(none, sinter))).products
    assert first.quota is None
    assert first.meets_required is None
    assert first.quota_note is not None
    assert "no quota" in first.quota_note.text_en
    assert first.quota_note.text_zh == "未选择能耗限额目录中的产品：无限额值和标杆水平可比"
    assert first.benchmark is None
    assert first.benchmark_note is not None
    # sinter: quota known (Level 2 = 46 -> 45 meets it), no NDRC level entered
    assert second.meets_required is True
    assert second.benchmark is None
    assert second.benchmark_note is not None
    assert "no NDRC benchmark" in second.benchmark_note.text_en
    assert second.benchmark_note.text_zh == "烧结工序无国家能效标杆水平和基准水平"


def test_a_product_without_a_planned_value_shows_the_level_only() -> None:
    (check,) = assess(hot_metal(None)).products
    assert check.required_threshold == 370.0
    assert check.meets_required is None
    assert check.quota is None
    assert check.benchmark_position is None


def test_an_unknown_product_code_is_refused() -> None:
    product = PlannedProduct(product="unobtainium", name="?", capacity=1)
    with pytest.raises(UnknownKeyError, match="unobtainium"):
        assess(facts(gas(2_000_000), products=(product,)))


# --- configuration, JSON -------------------------------------------------------------------


def test_reviewing_level_follows_the_province() -> None:
    result = assess(facts(gas(4_000_000), division="210302"))  # Tiedong, Liaoning
    assert result.reviewing_level == "city"


def test_the_assessment_is_json_and_frozen() -> None:
    result = assess(hot_metal(365.0))
    assert Assessment.model_validate_json(result.model_dump_json()) == result
    with pytest.raises(ValidationError):
        result.review_tier = "exempt"  # type: ignore[misc]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [-1.0, math.nan, math.inf])
def test_a_negative_or_non_finite_quantity_is_refused(quantity: float) -> None:
    with pytest.raises(ValidationError, match="quantity"):
        gas(quantity)


@pytest.mark.parametrize("capacity", [-5.0, math.nan])
def test_a_negative_or_non_finite_capacity_is_refused(capacity: float) -> None:
    with pytest.raises(ValidationError, match="capacity"):
        PlannedProduct(product=None, name="x", capacity=capacity)


def test_a_non_finite_unit_consumption_and_negative_values_are_refused() -> None:
    with pytest.raises(ValidationError, match="planned_unit_consumption"):
        PlannedProduct(product=None, name="x", capacity=1, planned_unit_consumption=math.nan)
    with pytest.raises(ValidationError, match="output_value"):
        facts(gas(1), output_value=-1.0)
    with pytest.raises(ValidationError, match="added_value"):
        facts(gas(1), added_value=math.inf)


def test_bad_industry_year_and_division_are_refused() -> None:
    with pytest.raises(ValidationError, match="industry"):
        facts(gas(1), industry="３１２０")  # full-width digits
    with pytest.raises(ValidationError, match="year"):
        facts(gas(1), year=99_999)
    with pytest.raises(ValidationError, match="division"):
        facts(gas(1), division="21")


def test_a_zero_output_value_is_refused_by_the_accounting_core() -> None:
    with pytest.raises(InvalidQuantityError, match="output_value"):
        assess(facts(gas(1), output_value=0.0))


def test_unknown_energy_and_unit_raise_the_catalogue_errors() -> None:
    with pytest.raises(UnknownEnergyKindError, match="unobtainium"):
        assess(facts(PlannedEnergy(energy="unobtainium", quantity=1, unit="t")))
    with pytest.raises(UnknownUnitError):
        assess(facts(PlannedEnergy(energy="raw_coal", quantity=1, unit="bushel")))
    with pytest.raises(DimensionMismatchError):
        assess(facts(PlannedEnergy(energy="raw_coal", quantity=1, unit="kWh")))


def test_a_reconstruction_without_existing_lines_is_refused() -> None:
    with pytest.raises(MissingExistingConsumptionError, match="existing"):
        assess(facts(gas(1), construction_type="reconstruction"))


def test_a_broken_review_file_names_the_entry(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    review = data / "review.toml"
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace('unit = "working_day"', 'unit = "day"'), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"review.toml: entry 'review_period': unit"):
        load_catalog(data)


# --- what the user reads: Chinese first, English beside it ---------------------------------


def test_every_note_and_clause_has_its_chinese_text() -> None:
    # a local-tier steel project (4 000 tce of coal-mine gas, 1 000 000 kWh, hot metal):
    # every caveat, clause and reason carries a Chinese text free of codes and English words
    result = assess(
        facts(
            gas(8_000_000),
            power(1_000_000),
            industry="3110",
            products=(
                PlannedProduct(
                    product="hot_metal", name="铁水", capacity=1, planned_unit_consumption=365.0
                ),
            ),
        )
    )
    assert result.review_tier == "local"
    texts = [n.text_zh for n in result.notes]
    texts += [result.tier_clause.text_zh, result.tier_clause.source_zh]
    texts += [result.two_high_clause.text_zh, result.two_high_clause.source_zh]
    assert texts[0].startswith("待核实：")
    for text in texts:
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text)) - ZH_ALLOWED
        assert not words, (text, words)
    # the level by name, not by code
    assert "本地配置：市级审查" in result.tier_clause.text_zh
    assert "configured: the city" in result.tier_clause.text_en
    assert result.tier_clause.source_zh == (
        "《固定资产投资项目节能审查办法》（国家发展改革委令2023年第2号）第八条、第九条；"
        "省级节能审查权限划分（本地配置）"
    )
    assert "Articles 8 and 9" in result.tier_clause.source
    # each note keeps the English and its source beside the Chinese
    tier_basis = result.notes[0]
    assert tier_basis.text_zh == (
        "待核实：审查层级按年综合能源消费量（不扣除原料用能和新增可再生能源电力）判定"
    )
    assert tier_basis.text_en.startswith("verify: tier basis gross — ")
    assert tier_basis.status == "unverified"
    assert tier_basis.source
    assert "待核实：铁水的能效标杆水平和基准水平" in texts
