"""Golden examples: conversion to standard coal (GB/T 2589-2020), computed by hand.

Coefficients used (energy_kinds.toml): coke 0.9714 kgce/kg, natural gas (gas field)
1.2143 kgce/m3, raw coal 0.7143 kgce/kg, electricity 0.1229 kgce/kWh (equivalent value),
heat 0.03412 kgce/MJ; 1 kgce = 29 307.6 kJ; 1 kcal = 4.1868 kJ.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nenghao.accounting import parse_heating_value, to_standard_coal
from nenghao.standards import DATA_DIR, load_catalog


def test_coke_default_coefficient() -> None:
    # 1 200 t coke = 1 200 000 kg x 0.9714 kgce/kg = 1 165 680 kgce = 1 165.68 tce
    result = to_standard_coal(1200, "t", "焦炭")
    assert result.energy == "coke"
    assert result.quantity_canonical == pytest.approx(1_200_000)
    assert result.kgce == pytest.approx(1_165_680)
    assert result.tce == pytest.approx(1_165.68)
    assert result.method == "default coefficient"
    assert result.edition == "GB/T 2589-2020"
    assert result.status == "unverified"  # Annex A values not checked against the 2020 text


def test_natural_gas_in_ten_thousand_cubic_metres() -> None:
    # 25 万m3 = 250 000 m3 x 1.2143 kgce/m3 = 303 575 kgce = 303.575 tce
    result = to_standard_coal(25, "万立方米", "天然气")
    assert result.quantity_canonical == pytest.approx(250_000)
    assert result.coefficient == pytest.approx(1.2143)
    assert result.tce == pytest.approx(303.575)


def test_heat_in_gigajoules() -> None:
    # 12 000 GJ = 12 000 000 MJ x 0.03412 kgce/MJ = 409 440 kgce = 409.44 tce
    result = to_standard_coal(12_000, "GJ", "heat")
    assert result.canonical_unit == "MJ"
    assert result.kgce == pytest.approx(409_440)
    assert result.tce == pytest.approx(409.44)


def test_electricity_equivalent_versus_equal_value() -> None:
    # 2 000 万kWh = 20 000 000 kWh
    # equivalent (当量值): 20 000 000 x 0.1229 = 2 458 000 kgce = 2 458 tce
    # equal (等价值), 2023: no per-year value packaged -> documented fallback 0.404 kgce/kWh
    #                 20 000 000 x 0.404 = 8 080 000 kgce = 8 080 tce
    equivalent = to_standard_coal(2000, "万kWh", "电力")
    equal = to_standard_coal(2000, "万kWh", "电力", basis="equal", year=2023)
    assert equivalent.tce == pytest.approx(2_458)
    assert equal.tce == pytest.approx(8_080)
    assert equal.method == "equal value 2023 (fallback)"
    assert equal.coefficient == pytest.approx(0.404)
    assert equal.note is not None
    assert "fallback" in equal.note
    assert equal.status == "unverified"
    # ratio equal / equivalent = 0.404 / 0.1229 = 3.2872...
    assert equal.tce / equivalent.tce == pytest.approx(0.404 / 0.1229)


def test_equal_value_for_a_fuel_is_its_equivalent_value() -> None:
    # equal basis only changes electricity and heat: 100 t coke -> 97 140 kgce either way
    result = to_standard_coal(100, "t", "coke", basis="equal", year=2024)
    assert result.kgce == pytest.approx(97_140)
    assert "equal value = equivalent value" in result.method


def test_equal_value_configured_per_year(tmp_path: Path) -> None:
    # A city configures 0.300 kgce/kWh for 2024 in equal_value.toml:
    # 1 000 000 kWh x 0.300 = 300 000 kgce = 300 tce; 2023 still falls back to 0.404
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / "equal_value.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[admin_range.electricity]",
        '[[coefficient]]\nenergy = "electricity"\nyear_from = 2024\nyear_to = 2024\n'
        'value = 0.300\nunit = "kgce/kWh"\nsource = "test configuration"\n'
        'status = "unverified"\n\n[admin_range.electricity]',
    )
    (data / "equal_value.toml").write_text(text, encoding="utf-8")
    catalog = load_catalog(data)
    r2024 = to_standard_coal(1e6, "kWh", "electricity", basis="equal", year=2024, catalog=catalog)
    r2023 = to_standard_coal(1e6, "kWh", "electricity", basis="equal", year=2023, catalog=catalog)
    assert r2024.tce == pytest.approx(300)
    assert r2024.source == "test configuration"
    assert r2024.method == "equal value 2024 (published)"
    assert r2023.tce == pytest.approx(404)


def test_measured_heating_value_overrides_default_kcal() -> None:
    # raw coal, 500 t, measured 5 000 kcal/kg:
    # 5 000 x 4.1868 = 20 934 kJ/kg; coefficient = 20 934 / 29 307.6 = 0.714 285 7 (= 5/7)
    # 500 000 kg x 5/7 = 357 142.857 kgce = 357.142 857 tce
    # (default 0.7143 would give 357 150 kgce)
    value, unit = parse_heating_value("5 000 kcal/kg")
    result = to_standard_coal(500, "t", "原煤", heating_value=value, heating_value_unit=unit)
    assert (value, unit) == (5000.0, "kcal/kg")
    assert result.coefficient == pytest.approx(5 / 7)
    assert result.kgce == pytest.approx(357_142.857, rel=1e-9)
    assert result.method == "measured heating value"
    assert to_standard_coal(500, "t", "raw_coal").kgce == pytest.approx(357_150)


def test_measured_heating_value_of_gas_in_mj_per_m3() -> None:
    # coke-oven gas 100 万m3 = 1 000 000 m3 at a measured 17.5 MJ/m3 = 17 500 kJ/m3
    # coefficient = 17 500 / 29 307.6 = 0.597 114 7 kgce/m3
    # 1 000 000 x 0.597 114 7 = 597 114.7 kgce = 597.114 7 tce  (default 0.5714 -> 571.4 tce)
    result = to_standard_coal(
        100, "万m3", "coke_oven_gas", heating_value=17.5, heating_value_unit="MJ/m3"
    )
    assert result.coefficient == pytest.approx(0.5971147, rel=1e-6)
    assert result.tce == pytest.approx(597.1147, rel=1e-6)


def test_measured_heating_value_in_gj_per_ten_thousand_m3() -> None:
    # natural gas measured 389.31 GJ/万m3 = 389 310 000 kJ / 10 000 m3 = 38 931 kJ/m3
    # coefficient 38 931 / 29 307.6 = 1.328 358 kgce/m3; 10 000 m3 -> 13 283.58 kgce
    result = to_standard_coal(
        10_000, "m3", "natural_gas", heating_value=389.31, heating_value_unit="GJ/万m3"
    )
    assert result.coefficient == pytest.approx(38_931 / 29_307.6)
    assert result.kgce == pytest.approx(13_283.58, rel=1e-6)
