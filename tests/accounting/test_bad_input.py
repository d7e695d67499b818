"""Bad input must fail loudly with a message a person can act on."""

from __future__ import annotations

import math
from datetime import date

import pytest
from pydantic import ValidationError

from nenghao.accounting import (
    CorrectionError,
    DimensionMismatchError,
    EnergyFlow,
    HeatingValueError,
    InvalidQuantityError,
    MissingFactorError,
    MissingYearError,
    UnitError,
    UnknownUnitError,
    comprehensive_consumption,
    consumption_per_output_value,
    convert,
    fuel_combustion_co2,
    parse_heating_value,
    process_co2,
    quota_level,
    to_standard_coal,
    unit_product_consumption,
)
from nenghao.standards import NoFactorError, UnknownEnergyKindError, UnknownKeyError


def test_unknown_energy_kind_lists_valid_codes() -> None:
    with pytest.raises(UnknownEnergyKindError, match="valid codes include raw_coal") as info:
        to_standard_coal(1, "t", "unobtainium")
    assert isinstance(info.value, LookupError)


def test_unknown_unit() -> None:
    with pytest.raises(UnknownUnitError, match="'furlong'"):
        to_standard_coal(1, "furlong", "coke")
    with pytest.raises(UnitError):
        convert(1, "t", "stone")


def test_wrong_dimension_names_both_sides() -> None:
    with pytest.raises(
        DimensionMismatchError, match=r"kWh is energy, but 原煤 raw_coal is measured in mass \(kg\)"
    ):
        to_standard_coal(100, "kWh", "原煤")
    with pytest.raises(DimensionMismatchError, match=r"kWh \(energy\) to kg \(mass\)"):
        convert(1, "kWh", "kg")
    with pytest.raises(DimensionMismatchError):
        to_standard_coal(1, "L", "diesel")  # litres are volume, diesel is counted by mass


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_quantities(bad: float) -> None:
    with pytest.raises(InvalidQuantityError):
        to_standard_coal(bad, "t", "coke")
    with pytest.raises(InvalidQuantityError):
        convert(bad, "t", "kg")
    with pytest.raises(InvalidQuantityError):
        quota_level("sinter", bad, date(2026, 7, 1))
    with pytest.raises(ValidationError):
        EnergyFlow(energy="coke", quantity=bad, unit="t")


def test_invalid_quantity_is_a_value_error() -> None:
    assert issubclass(InvalidQuantityError, ValueError)


def test_equal_basis_without_year() -> None:
    with pytest.raises(MissingYearError, match="year"):
        to_standard_coal(1, "kWh", "electricity", basis="equal")
    with pytest.raises(MissingYearError):
        comprehensive_consumption([EnergyFlow(energy="coke", quantity=1, unit="t")], basis="equal")


def test_equal_basis_for_heat_is_not_configured() -> None:
    with pytest.raises(NoFactorError, match="heat"):
        to_standard_coal(1, "GJ", "heat", basis="equal", year=2024)


def test_heating_value_errors() -> None:
    with pytest.raises(DimensionMismatchError, match="coke"):
        to_standard_coal(1, "t", "coke", heating_value=28, heating_value_unit="MJ/m3")
    with pytest.raises(HeatingValueError, match="required"):
        to_standard_coal(1, "t", "coke", heating_value=28)
    with pytest.raises(HeatingValueError):
        to_standard_coal(1, "kWh", "electricity", heating_value=3600, heating_value_unit="kJ/kWh")
    with pytest.raises(HeatingValueError):
        to_standard_coal(1, "m3", "oxygen", heating_value=1, heating_value_unit="kJ/m3")
    with pytest.raises(HeatingValueError, match="> 0"):
        to_standard_coal(1, "t", "coke", heating_value=0, heating_value_unit="MJ/kg")
    with pytest.raises(HeatingValueError):
        to_standard_coal(1, "t", "coke", heating_value=28, heating_value_unit="kg/MJ")
    with pytest.raises(HeatingValueError):
        parse_heating_value("hot")
    with pytest.raises(HeatingValueError):
        parse_heating_value("5000 kcal")


def test_parse_heating_value_forms() -> None:
    assert parse_heating_value("5000 kcal/kg") == (5000.0, "kcal/kg")
    assert parse_heating_value("38.9MJ/m3") == (38.9, "MJ/m3")
    assert parse_heating_value("389.31 GJ/万m3") == (389.31, "GJ/万m3")
    assert parse_heating_value("20,908 kJ/kg") == (20908.0, "kJ/kg")


def test_output_must_be_positive() -> None:
    with pytest.raises(InvalidQuantityError, match="qualified output must be > 0"):
        unit_product_consumption(1000, 0)
    with pytest.raises(InvalidQuantityError):
        unit_product_consumption(1000, -5)
    with pytest.raises(DimensionMismatchError):
        unit_product_consumption(1000, 5, consumption_unit="kWh")
    with pytest.raises(InvalidQuantityError):
        consumption_per_output_value(10, 0)


def test_quota_errors() -> None:
    with pytest.raises(UnknownKeyError, match="unknown quota product"):
        quota_level("unobtainium_ingot", 10, date(2026, 7, 1))
    with pytest.raises(CorrectionError, match="feed_grade_pct"):
        quota_level("sinter", 45, date(2026, 7, 1), {"feed_grade_pct": 58})


def test_negative_flow_quantity_is_rejected() -> None:
    with pytest.raises(ValidationError, match="role gives the sign"):
        EnergyFlow(energy="coke", quantity=-1, unit="t")


def test_renewable_deduction_is_for_electricity_only() -> None:
    with pytest.raises(ValueError, match="electricity only"):
        comprehensive_consumption(
            [EnergyFlow(energy="coke", quantity=1, unit="t", role="renewable_above_base")]
        )


def test_carbon_errors() -> None:
    with pytest.raises(MissingFactorError, match="carbon_content"):
        fuel_combustion_co2(1, "t", "crude_benzene")
    with pytest.raises(ValueError, match="not a fossil fuel"):
        fuel_combustion_co2(1, "kWh", "electricity")
    with pytest.raises(InvalidQuantityError):
        fuel_combustion_co2(1, "t", "coke", oxidation=1.5)
    with pytest.raises(InvalidQuantityError):
        process_co2(1, "t", "magnesite", fraction=0)
    with pytest.raises(UnknownKeyError):
        process_co2(1, "t", "chalk")
    with pytest.raises(DimensionMismatchError):
        process_co2(1, "m3", "magnesite")
