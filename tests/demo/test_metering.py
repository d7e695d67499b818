"""Metered kinds take names, categories, heating values and coefficients from the standards."""

from __future__ import annotations

import pytest

from nenghao.demo.metering import metered_kinds
from nenghao.standards import get_catalog


def test_names_categories_and_sizing_follow_the_metered_unit():
    kinds = metered_kinds(
        {"raw_coal": "t", "coke": "kg", "heat": "GJ", "oxygen": "m3"}, (), get_catalog()
    )
    assert kinds["raw_coal"].name_zh == "原煤"
    # GB/T 2589-2020 reference coefficient 0.7143 kgce/kg, per metered tonne
    assert kinds["raw_coal"].sizing_kgce == 714.3
    assert kinds["coke"].sizing_kgce == 0.9714
    assert kinds["heat"].sizing_kgce == 34.12  # 0.03412 kgce/MJ
    assert kinds["oxygen"].medium
    assert not kinds["raw_coal"].medium
    assert kinds["raw_coal"].heating_value is None


def test_a_metered_heating_value_is_the_catalogue_default_per_metered_unit():
    catalog = get_catalog()
    kinds = metered_kinds(
        {"coke_oven_gas": "m3", "converter_gas": "万m3"},
        ("coke_oven_gas", "converter_gas"),
        catalog,
    )
    # GB/T 32151.5 defaults: 173.854 GJ/万m3 and 79.54 GJ/万m3
    assert kinds["coke_oven_gas"].heating_value == 17385.4
    assert kinds["coke_oven_gas"].heating_value_unit == "kJ/m3"
    assert kinds["coke_oven_gas"].sizing_kgce == 0.5932  # 17 385.4 / 29 307.6
    assert kinds["converter_gas"].heating_value == pytest.approx(79_540_000.0)
    assert kinds["converter_gas"].heating_value_unit == "kJ/万m3"
    assert kinds["converter_gas"].sizing_kgce == pytest.approx(2713.9718, abs=1e-9)


@pytest.mark.parametrize(
    ("units", "measured", "message"),
    [
        ({"electricity": "kWh"}, ("electricity",), "no default heating value"),
        ({"raw_coal": "t"}, ("coke_oven_gas",), "not in metering.units"),
        ({"fresh_water": "kWh"}, (), "fresh_water: metered in 'kWh'"),
        ({"unobtainium": "t"}, (), "not an energy kind"),
    ],
)
def test_metering_mistakes_are_refused(units, measured, message):
    with pytest.raises(ValueError, match=message):
        metered_kinds(units, measured, get_catalog())
