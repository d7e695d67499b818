"""Golden example: one month of an integrated steel works in Anshan.

Each process boundary is converted line by line (equivalent value), divided by its
qualified output, and placed against GB 21256-2025 (a date after 2026-07-01) and
GB 21256-2013 (a date before).  Coefficients: coke 0.9714 kgce/kg, raw coal 0.7143,
electricity 0.1229 kgce/kWh, oxygen 0.4000 kgce/m3, BFG 0.1286, COG 0.5714 kgce/m3,
steam 0.1286 kgce/kg, natural gas 1.2143 kgce/m3.
"""

from __future__ import annotations

from datetime import date

import pytest

from nenghao.accounting import (
    EnergyFlow,
    QuotaValuesNotLoadedError,
    comprehensive_consumption,
    quota_level,
    unit_product_consumption,
)

AFTER = date(2026, 7, 31)  # GB 21256-2025 in force
BEFORE = date(2026, 3, 31)  # GB 21256-2013 still in force


def sinter_month() -> float:
    # coke breeze 25 200 t x 971.4 kgce/t      = 24 479 280 kgce
    # electricity 18 000 000 kWh x 0.1229      =  2 212 200 kgce
    # COG (ignition) 1 200 000 m3 x 0.5714     =    685 680 kgce
    # total                                    = 27 377 160 kgce
    # 600 000 t sinter -> 27 377 160 / 600 000 = 45.628 6 kgce/t
    result = comprehensive_consumption(
        [
            EnergyFlow(energy="coke", quantity=25_200, unit="t"),
            EnergyFlow(energy="electricity", quantity=18_000_000, unit="kWh"),
            EnergyFlow(energy="coke_oven_gas", quantity=1_200_000, unit="m3"),
        ]
    )
    assert result.gross_kgce == pytest.approx(27_377_160)
    unit = unit_product_consumption(result.gross_kgce, 600_000)
    assert unit.value == pytest.approx(45.6286, abs=1e-4)
    return unit.value


def test_sintering_under_2025_and_2013() -> None:
    value = sinter_month()
    new = quota_level("sinter", value, AFTER)
    # GB 21256-2025: L1 43, L2 46, L3 52 -> 45.63 <= 46 -> Level 2
    assert new.edition == "GB 21256-2025"
    assert new.thresholds == {"L1": 43, "L2": 46, "L3": 52}
    assert new.level == "L2"
    old = quota_level("sinter", value, BEFORE)
    # GB 21256-2013 (advanced 45 / new 50 / existing 56): 45.63 <= 50 -> Level 2
    assert old.edition == "GB 21256-2013"
    assert old.thresholds == {"L1": 45, "L2": 50, "L3": 56}
    assert old.level == "L2"
    assert old.status == "unverified"


def blast_furnace_month() -> float:
    # coke 180 000 t x 971.4                  = 174 852 000 kgce
    # injected coal (raw) 80 000 t x 714.3    =  57 144 000
    # electricity 25 000 000 kWh x 0.1229     =   3 072 500
    # oxygen 30 000 000 m3 x 0.4000 (medium)  =  12 000 000
    # BFG burned in stoves 350e6 m3 x 0.1286  =  45 010 000
    # BFG exported 800e6 m3 x 0.1286          = -102 880 000
    # TRT electricity exported 20e6 kWh x 0.1229 = -2 458 000
    # net                                     = 186 740 500 kgce
    # 500 000 t hot metal -> 373.481 kgce/t
    result = comprehensive_consumption(
        [
            EnergyFlow(energy="coke", quantity=180_000, unit="t"),
            EnergyFlow(energy="raw_coal", quantity=80_000, unit="t"),
            EnergyFlow(energy="electricity", quantity=25_000_000, unit="kWh"),
            EnergyFlow(energy="oxygen", quantity=30_000_000, unit="m3", role="medium"),
            EnergyFlow(energy="blast_furnace_gas", quantity=35_000, unit="万m3"),
            EnergyFlow(energy="blast_furnace_gas", quantity=80_000, unit="万m3", role="export"),
            EnergyFlow(energy="electricity", quantity=2_000, unit="万kWh", role="export"),
        ]
    )
    assert result.inputs_tce == pytest.approx(280_078.5)
    assert result.media_tce == pytest.approx(12_000)
    assert result.exported_tce == pytest.approx(105_338)
    assert result.gross_kgce == pytest.approx(186_740_500)
    return unit_product_consumption(result.gross_tce, 500_000, consumption_unit="tce").value


def test_blast_furnace_under_2025_with_and_without_feed_grade_correction() -> None:
    value = blast_furnace_month()
    assert value == pytest.approx(373.481)
    # GB 21256-2025: L1 361, L2 370, L3 415 -> 373.48 is Level 3
    plain = quota_level("hot_metal", value, AFTER)
    assert plain.level == "L3"
    # Anshan burden grade 58 %: (62 - 58) = 4 points x 3.61 = +14.44 kgce/t on every level
    # thresholds 375.44 / 384.44 / 429.44 -> 373.48 is Level 1
    corrected = quota_level("hot_metal", value, AFTER, {"feed_grade_pct": 58.0})
    assert corrected.thresholds == pytest.approx({"L1": 375.44, "L2": 384.44, "L3": 429.44})
    assert corrected.level == "L1"
    (applied,) = corrected.corrections
    assert applied.points == pytest.approx(4)
    assert applied.effect["L3"] == pytest.approx(14.44)


def test_blast_furnace_under_2013() -> None:
    # GB 21256-2013: advanced 361 / new 370 / existing 435 -> 373.48 is Level 3
    old = quota_level("hot_metal", blast_furnace_month(), BEFORE)
    assert old.edition == "GB 21256-2013"
    assert old.level == "L3"
    assert old.meets_limit


def converter_month() -> float:
    # electricity 14 000 000 kWh x 0.1229          =   1 720 600 kgce
    # oxygen 22 000 000 m3 x 0.4000 (medium)       =   8 800 000
    # steam consumed 8 000 t x 128.6 kgce/t        =   1 028 800
    # COG for ladle heating 1 000 000 m3 x 0.5714  =     571 400
    #                                  consumption = 12 120 800 kgce
    # converter gas recovered, 55 000 000 m3 at a measured 7 500 kJ/m3:
    #   7 500 / 29 307.6 = 0.255 906 3 kgce/m3 -> -14 074 847.5 kgce
    # steam recovered 60 000 t x 128.6 kgce/t      =  -7 716 000
    # net = 12 120 800 - 14 074 847.5 - 7 716 000  =  -9 670 047.5 kgce
    # 400 000 t steel -> -24.175 1 kgce/t (NEGATIVE: recovery exceeds consumption)
    result = comprehensive_consumption(
        [
            EnergyFlow(energy="electricity", quantity=14_000_000, unit="kWh"),
            EnergyFlow(energy="oxygen", quantity=22_000_000, unit="m3", role="medium"),
            EnergyFlow(energy="steam", quantity=8_000, unit="t"),
            EnergyFlow(energy="coke_oven_gas", quantity=1_000_000, unit="m3"),
            EnergyFlow(
                energy="converter_gas",
                quantity=55_000_000,
                unit="m3",
                role="export",
                heating_value=7_500,
                heating_value_unit="kJ/m3",
            ),
            EnergyFlow(energy="steam", quantity=60_000, unit="t", role="export"),
        ]
    )
    assert result.gross_kgce == pytest.approx(-9_670_047.48, abs=0.01)
    unit = unit_product_consumption(result.gross_kgce, 400_000)
    assert unit.value < 0
    return unit.value


def test_converter_negative_consumption_and_scrap_correction() -> None:
    value = converter_month()
    assert value == pytest.approx(-24.1751, abs=1e-4)
    # GB 21256-2025: L1 -30, L2 -28, L3 -12 -> -24.18 is Level 3
    assert quota_level("converter_steel", value, AFTER).level == "L3"
    # scrap ratio 20 %: 0.23 x 20 = +4.6 on every level -> -25.4 / -23.4 / -7.4
    # -24.18 <= -23.4 -> Level 2
    corrected = quota_level("converter_steel", value, AFTER, {"scrap_ratio_pct": 20})
    assert corrected.thresholds == pytest.approx({"L1": -25.4, "L2": -23.4, "L3": -7.4})
    assert corrected.level == "L2"
    # GB 21256-2013: -30 / -25 / -10 -> -24.18 is Level 3
    assert quota_level("converter_steel", value, BEFORE).level == "L3"


def test_electric_arc_furnace_2025_and_no_edition_before() -> None:
    # electricity 38 000 000 kWh x 0.1229 = 4 670 200 kgce
    # oxygen 3 500 000 m3 x 0.4000        = 1 400 000
    # natural gas 300 000 m3 x 1.2143     =   364 290
    # total 6 434 490 kgce / 100 000 t    = 64.344 9 kgce/t
    result = comprehensive_consumption(
        [
            EnergyFlow(energy="electricity", quantity=38_000, unit="MWh"),
            EnergyFlow(energy="oxygen", quantity=3_500_000, unit="m3", role="medium"),
            EnergyFlow(energy="natural_gas", quantity=30, unit="万m3"),
        ]
    )
    value = unit_product_consumption(result.gross_kgce, 100_000).value
    assert value == pytest.approx(64.3449)
    # >= 70 t furnace, GB 21256-2025: L1 61, L2 64, L3 72 -> Level 3
    assert quota_level("eaf_steel_ge70", value, AFTER).level == "L3"
    # with 30 % hot metal charged: -0.8 x 30 = -24 -> 37 / 40 / 48 -> above the limit
    hot_metal = quota_level("eaf_steel_ge70", value, AFTER, {"hot_metal_ratio_pct": 30})
    assert hot_metal.thresholds == pytest.approx({"L1": 37, "L2": 40, "L3": 48})
    assert hot_metal.level == "above_limit"
    assert not hot_metal.meets_limit
    # before 2026-07-01 EAF limits were in GB 32050-2015, whose values are not entered
    with pytest.raises(QuotaValuesNotLoadedError, match="GB 32050-2015 在效，限额值未录入"):
        quota_level("eaf_steel_ge70", value, BEFORE)
