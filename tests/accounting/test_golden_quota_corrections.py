"""Golden examples: quota corrections as data (coke oven age, wet quenching, EAF, caps)."""

from __future__ import annotations

from datetime import date

import pytest

from nenghao.accounting import QuotaValuesNotLoadedError, quota_level


def test_coke_oven_age_and_wet_quenching() -> None:
    # top-charged ovens, GB 21342-2025 (from 2026-05-01): base 110 / 110 / 135
    # oven age 28 years -> +5.5 on every level; wet quenching -> +46.46 on Level 3 only
    # thresholds: L1 115.5, L2 115.5, L3 135 + 5.5 + 46.46 = 186.96
    result = quota_level(
        "coke_top_charged", 140.0, date(2026, 6, 1), {"oven_age_years": 28, "wet_quenching": 1}
    )
    assert result.edition == "GB 21342-2025"
    assert result.thresholds == pytest.approx({"L1": 115.5, "L2": 115.5, "L3": 186.96})
    assert result.level == "L3"
    # an 18-year-old battery: +2.5 -> 112.5 / 112.5 / 137.5; 112 -> Level 1
    young = quota_level("coke_top_charged", 112.0, date(2026, 6, 1), {"oven_age_years": 18})
    assert young.thresholds == pytest.approx({"L1": 112.5, "L2": 112.5, "L3": 137.5})
    assert young.level == "L1"
    # the oven-age correction is nenghao's reading of the bands: flagged unverified
    assert young.status == "unverified"
    # until 2026-04-30 GB 21342-2013 is in force; its values are not entered
    with pytest.raises(QuotaValuesNotLoadedError, match="GB 21342-2013 在效，限额值未录入"):
        quota_level("coke_stamp_charged", 130.0, date(2026, 4, 30))


def test_feed_grade_correction_is_capped_at_five_points() -> None:
    # grade 50 %: 12 points below 62 %, capped at 5 -> 5 x 3.61 = +18.05
    result = quota_level("hot_metal", 400.0, date(2026, 7, 1), {"feed_grade_pct": 50})
    assert result.thresholds == pytest.approx({"L1": 379.05, "L2": 388.05, "L3": 433.05})
    assert result.corrections[0].points == 5
    assert result.level == "L3"
    # grade above 62 %: no correction (points floored at 0)
    high = quota_level("hot_metal", 400.0, date(2026, 7, 1), {"feed_grade_pct": 64})
    assert high.thresholds == {"L1": 361, "L2": 370, "L3": 415}


def test_eaf_stainless_factor_after_additive_corrections() -> None:
    # >= 70 t EAF, all stainless: (base + 0) x 1.10 -> 67.1 / 70.4 / 79.2
    # 75 kgce/t -> Level 3 (would be above the limit of 72 without the factor)
    result = quota_level("eaf_steel_ge70", 75.0, date(2026, 9, 30), {"all_stainless": 1})
    assert result.thresholds == pytest.approx({"L1": 67.1, "L2": 70.4, "L3": 79.2})
    assert result.level == "L3"
    # with a 10 % hot-metal ratio as well: (61 - 8) x 1.1 = 58.3, (64 - 8) x 1.1 = 61.6,
    # (72 - 8) x 1.1 = 70.4
    both = quota_level(
        "eaf_steel_ge70",
        75.0,
        date(2026, 9, 30),
        {"all_stainless": 1, "hot_metal_ratio_pct": 10},
    )
    assert both.thresholds == pytest.approx({"L1": 58.3, "L2": 61.6, "L3": 70.4})
    assert both.level == "above_limit"


def test_eaf_below_50_t_has_no_level_2() -> None:
    # < 50 t: L1 61, L3 86 (no Level 2); 70 kgce/t -> Level 3
    result = quota_level("eaf_steel_lt50", 70.0, date(2026, 7, 1))
    assert set(result.thresholds) == {"L1", "L3"}
    assert result.level == "L3"
