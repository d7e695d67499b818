"""Golden examples: grid factor by year, purchased heat, default fuel parameters."""

from __future__ import annotations

import pytest

from nenghao.accounting import (
    fuel_combustion_co2,
    purchased_electricity_co2,
    purchased_heat_co2,
)
from nenghao.standards import NoFactorError, get_catalog


def test_grid_factor_by_year_region_and_series() -> None:
    # 10 000 MWh purchased in Liaoning (Northeast grid, MEE & NBS series):
    # 2022: x 0.5564 = 5 564 tCO2 ; 2023: x 0.5122 = 5 122 tCO2
    assert purchased_electricity_co2(10_000, "MWh", 2022).tco2 == pytest.approx(5_564)
    assert purchased_electricity_co2(1_000, "万kWh", 2023).tco2 == pytest.approx(5_122)
    # national carbon-market value for 2024: 0.5703 -> 5 703 tCO2
    market = purchased_electricity_co2(
        10_000, "MWh", 2024, region="national", series="carbon_market"
    )
    assert market.tco2 == pytest.approx(5_703)
    # national MEE & NBS 2021: 0.5568 -> 5 568 tCO2
    national = purchased_electricity_co2(10_000, "MWh", 2021, region="national")
    assert national.tco2 == pytest.approx(5_568)


def test_grid_factor_falls_back_to_latest_earlier_year_and_says_so() -> None:
    # 2025 has no Northeast value: the 2023 value 0.5122 is used, flagged
    factor = get_catalog().grid_factor(2025)
    assert factor.value == pytest.approx(0.5122)
    assert (factor.year, factor.requested_year, factor.fallback) == (2023, 2025, True)
    assert factor.note is not None
    assert "2023" in factor.note
    result = purchased_electricity_co2(10_000, "MWh", 2025)
    assert result.tco2 == pytest.approx(5_122)
    assert "2023" in result.factors[0].name
    # before the series starts there is nothing to fall back to
    with pytest.raises(NoFactorError, match="starts in 2022"):
        get_catalog().grid_factor(2021)


def test_purchased_heat() -> None:
    # 50 000 GJ x 0.11 tCO2/GJ = 5 500 tCO2 (default, unverified)
    result = purchased_heat_co2(50_000, "百万千焦", 2024)
    assert result.tco2 == pytest.approx(5_500)
    assert result.status == "unverified"


def test_natural_gas_kiln_with_default_parameters() -> None:
    # retrofitted magnesia kiln, 100 万m3 natural gas, GB/T 32151.5 defaults:
    # 1 000 000 m3 x 38.931 MJ/m3 (389.31 GJ/万m3) = 38 931 GJ
    # x 0.0153 tC/GJ = 595.644 3 tC; x 0.99 = 589.687 857 tC; x 44/12 = 2 162.188 8 tCO2
    result = fuel_combustion_co2(100, "万m3", "天然气")
    assert result.tco2 == pytest.approx(2_162.18881, rel=1e-7)
    assert [f.name for f in result.factors] == ["heating value", "carbon content", "oxidation"]
    assert result.status == "unverified"


def test_coke_combustion_with_defaults() -> None:
    # 1 000 t coke x 28.446 GJ/t = 28 446 GJ x 0.0294 = 836.312 4 tC x 0.93 = 777.770 53 tC
    # x 44/12 = 2 851.825 3 tCO2
    result = fuel_combustion_co2(1_000, "t", "coke")
    assert result.tco2 == pytest.approx(2_851.8253, rel=1e-7)


def test_raw_coal_boiler_uses_unverified_default_carbon_parameters() -> None:
    # A boiler burns 100 t of raw coal with no measured values.
    #   heat     = 100 t x 20.908 GJ/t            = 2 090.8 GJ
    #   carbon   = 2 090.8 GJ x 0.02618 tC/GJ      = 54.737144 tC
    #   oxidised = 54.737144 tC x 0.93             = 50.905544 tC
    #   CO2      = 50.905544 tC x 44/12            = 186.653661 tCO2
    result = fuel_combustion_co2(100, "t", "raw_coal")
    assert result.tco2 == pytest.approx(186.653661, rel=1e-8)
    assert result.status == "unverified"
