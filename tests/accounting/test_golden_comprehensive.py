"""Golden example: a fine-chemicals enterprise's year, with media, export and deductions."""

from __future__ import annotations

import pytest

from nenghao.accounting import (
    EnergyFlow,
    comprehensive_consumption,
    consumption_per_added_value,
    consumption_per_output_value,
)
from nenghao.standards import get_catalog

FLOWS = [
    # raw coal (boilers) 10 000 t x 714.3 kgce/t           =  7 143.0 tce   input
    EnergyFlow(energy="raw_coal", quantity=10_000, unit="t"),
    # grid electricity 50 000 000 kWh x 0.1229             =  6 145.0 tce   input
    EnergyFlow(energy="electricity", quantity=50_000_000, unit="kWh"),
    # natural gas as FEEDSTOCK 500 万m3 x 12 143 kgce/万m3  =  6 071.5 tce   raw material
    EnergyFlow(energy="natural_gas", quantity=500, unit="万m3", role="raw_material"),
    # green electricity above the 2020 base 8 000 000 kWh   =    983.2 tce   renewable
    EnergyFlow(energy="electricity", quantity=800, unit="万kWh", role="renewable_above_base"),
    # fresh water 1 000 000 t x 0.2571 kgce/t               =    257.1 tce   medium
    EnergyFlow(energy="新水", quantity=1_000_000, unit="t", role="medium"),
    # heat sold to a neighbour 40 000 GJ x 34.12 kgce/GJ    =  1 364.8 tce   export
    EnergyFlow(energy="热力", quantity=40_000, unit="GJ", role="export"),
]


def test_comprehensive_consumption_with_media_export_and_deductions() -> None:
    result = comprehensive_consumption(FLOWS)
    # inputs = 7 143.0 + 6 145.0 + 6 071.5 + 983.2 = 20 342.7 tce
    assert result.inputs_tce == pytest.approx(20_342.7)
    assert result.media_tce == pytest.approx(257.1)
    assert result.exported_tce == pytest.approx(1_364.8)
    # gross = 20 342.7 + 257.1 - 1 364.8 = 19 235.0 tce
    assert result.gross_tce == pytest.approx(19_235.0)
    assert result.raw_material_tce == pytest.approx(6_071.5)
    assert result.renewable_above_base_tce == pytest.approx(983.2)
    # assessed = 19 235.0 - 6 071.5 - 983.2 = 12 180.3 tce
    assert result.assessed_tce == pytest.approx(12_180.3)
    # the export line is negative in the breakdown
    assert [round(line.signed_tce, 1) for line in result.lines] == [
        7_143.0,
        6_145.0,
        6_071.5,
        983.2,
        257.1,
        -1_364.8,
    ]
    # a key energy-using unit: gross >= 10 000 tce (NDRC Order 15)
    assert result.gross_tce >= get_catalog().policy.key_unit_threshold.value


def test_intensity_per_ten_thousand_yuan() -> None:
    gross = comprehensive_consumption(FLOWS).gross_tce  # 19 235.0 tce (intensity uses gross)
    # output value 8.5 亿元 = 85 000 万元: 19 235.0 / 85 000 = 0.226 294 tce/万元
    per_output = consumption_per_output_value(gross, 8.5, value_unit="亿元")
    assert per_output.value_10k_yuan == pytest.approx(85_000)
    assert per_output.value == pytest.approx(0.2262941, rel=1e-6)
    assert per_output.unit == "tce/万元"
    # added value 210 000 000 元 = 21 000 万元: 19 235.0 / 21 000 = 0.915 952 tce/万元
    per_added = consumption_per_added_value(
        gross * 1000, 210_000_000, consumption_unit="kgce", value_unit="元"
    )
    assert per_added.value == pytest.approx(0.9159524, rel=1e-6)
    assert per_added.denominator == "added_value"
