"""Coke ovens: the coal charged is feedstock, not process energy (worked example by hand)."""

from __future__ import annotations

import pytest

from nenghao.accounting import (
    EnergyFlow,
    InvalidQuantityError,
    comprehensive_consumption,
    process_consumption_tce,
    unit_product_consumption,
)


def test_coal_charged_into_coke_ovens_is_left_out() -> None:
    # 1 000 t of coke in the period:
    #   washed coal charged 1 320 t x 900 kgce/t      = 1 188.0    tce (feedstock)
    #   heating coke-oven gas 105 000 m3 x 0.5714      =    59.997  tce
    #   electricity 34 000 kWh x 0.1229                =     4.1786 tce
    #   steam 160 t x 128.6 kgce/t                     =    20.576  tce
    #   process energy 59.997 + 4.1786 + 20.576        =    84.7516 tce -> 84.7516 kgce/t
    result = comprehensive_consumption(
        [
            EnergyFlow(energy="washed_coal", quantity=1320, unit="t", role="raw_material"),
            EnergyFlow(energy="coke_oven_gas", quantity=105_000, unit="m3"),
            EnergyFlow(energy="electricity", quantity=34_000, unit="kWh"),
            EnergyFlow(energy="steam", quantity=160, unit="t"),
        ],
        basis="equivalent",
    )
    assert result.gross_tce == pytest.approx(1188.0 + 84.7516)
    assert result.raw_material_tce == pytest.approx(1188.0)
    process = process_consumption_tce(result.gross_tce, result.raw_material_tce)
    assert process == pytest.approx(84.7516)
    value = unit_product_consumption(process, 1000, consumption_unit="tce").value
    assert value == pytest.approx(84.7516)
    # counting the coal charged would give 1 272.75 kgce/t against limits of 110 to 140
    assert unit_product_consumption(result.gross_tce, 1000, consumption_unit="tce").value == (
        pytest.approx(1272.7516)
    )


def test_feedstock_must_be_a_finite_non_negative_amount() -> None:
    with pytest.raises(InvalidQuantityError):
        process_consumption_tce(10.0, -1.0)
    with pytest.raises(InvalidQuantityError):
        process_consumption_tce(float("nan"), 1.0)
