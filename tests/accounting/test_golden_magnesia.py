"""Golden examples: Haicheng magnesia plants (fused magnesia, light-burned magnesia kiln).

Magnesia has no national quota: the levels come from local_quotas.toml, which holds
locally configured PLACEHOLDERS (status unverified) - the tests check the mechanics.
"""

from __future__ import annotations

from datetime import date

import pytest

from nenghao.accounting import (
    EnergyFlow,
    comprehensive_consumption,
    fuel_combustion_co2,
    process_co2,
    purchased_electricity_co2,
    quota_level,
    total_co2,
    unit_product_consumption,
)


def test_fused_magnesia_plant_month() -> None:
    # electric-arc fusion, 5 000 t fused magnesia:
    # electricity 17 500 000 kWh x 0.1229 = 2 150 750 kgce
    # diesel (loaders) 30 t x 1 457.1      =    43 713 kgce
    # total                                = 2 194 463 kgce -> / 5 000 t = 438.892 6 kgce/t
    result = comprehensive_consumption(
        [
            EnergyFlow(energy="电力", quantity=1750, unit="万千瓦时"),
            EnergyFlow(energy="柴油", quantity=30, unit="吨"),
        ]
    )
    assert result.gross_kgce == pytest.approx(2_194_463)
    # electricity is 98 % of the energy: 2 150 750 / 2 194 463 = 0.980 1
    assert result.lines[0].standard_coal.kgce / result.gross_kgce == pytest.approx(
        0.98008, abs=1e-5
    )
    value = unit_product_consumption(result.gross_kgce, 5_000).value
    assert value == pytest.approx(438.8926)
    # local placeholder levels 380 / 430 / 500 -> Level 3
    assessment = quota_level("fused_magnesia", value, date(2025, 6, 30))
    assert assessment.level == "L3"
    assert assessment.local is True
    assert assessment.status == "unverified"
    assert "placeholder" in assessment.source
    # indirect CO2: 17 500 MWh x 0.5122 tCO2/MWh (Northeast grid 2023) = 8 963.5 tCO2
    co2 = purchased_electricity_co2(17_500_000, "kWh", 2023)
    assert co2.tco2 == pytest.approx(8_963.5)


def test_light_burned_magnesia_kiln_coal_and_calcination_co2() -> None:
    # Reverberatory kiln, one month, 20 000 t light-burned MgO (92 % MgO).
    # Fuel: raw coal 3 200 t, lab values: LHV 23 000 kJ/kg, carbon 0.0260 tC/GJ,
    # oxidation 94 % (no packaged default for raw coal carbon content).
    #   3 200 000 kg x 23 000 kJ/kg = 73 600 GJ
    #   73 600 GJ x 0.0260 tC/GJ = 1 913.6 tC; x 0.94 = 1 798.784 tC; x 44/12 = 6 595.541 tCO2
    coal = fuel_combustion_co2(
        3_200,
        "t",
        "原煤",
        heating_value=23_000,
        heating_value_unit="kJ/kg",
        carbon_content=0.0260,
        oxidation=0.94,
    )
    assert coal.tco2 == pytest.approx(6_595.5413, rel=1e-7)
    # Calcination: 45 000 t magnesite ore at 95 % MgCO3 = 42 750 t MgCO3
    #   42 750 t x 0.5220 tCO2/t (44.01/84.31) = 22 315.5 tCO2
    calcination = process_co2(45_000, "t", "magnesite", fraction=0.95)
    assert calcination.tco2 == pytest.approx(22_315.5)
    # Cross-check from the product: 20 000 t x 0.92 MgO x 1.0921 (44.01/40.30) = 20 094.64
    from_product = process_co2(20_000, "t", "magnesia_from_magnesite", fraction=0.92)
    assert from_product.tco2 == pytest.approx(20_094.64)
    # Total from fuel and ore: 6 595.54 + 22 315.5 = 28 911.04 tCO2 = 1.445 6 tCO2/t product
    total = total_co2([coal, calcination])
    assert total == pytest.approx(28_911.0413, rel=1e-7)
    assert total / 20_000 == pytest.approx(1.44555, abs=1e-5)
    # Energy: coal 3 200 000 kg x 23 000 / 29 307.6 = 2 511 294.0 kgce
    #         electricity 1 200 000 kWh x 0.1229 =    147 480.0 kgce
    #         total 2 658 774.0 kgce / 20 000 t = 132.938 7 kgce/t -> placeholder L1 (<= 140)
    energy = comprehensive_consumption(
        [
            EnergyFlow(
                energy="raw_coal",
                quantity=3_200,
                unit="t",
                heating_value=23_000,
                heating_value_unit="kJ/kg",
            ),
            EnergyFlow(energy="electricity", quantity=1_200_000, unit="kWh"),
        ]
    )
    assert energy.gross_kgce == pytest.approx(2_658_773.999, rel=1e-9)
    value = unit_product_consumption(energy.gross_kgce, 20_000).value
    assert value == pytest.approx(132.9387, abs=1e-4)
    assert quota_level("light_burned_magnesia", value, date(2025, 1, 31)).level == "L1"
