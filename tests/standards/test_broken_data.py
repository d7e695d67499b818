"""Broken copies of the data files must fail at load, naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nenghao.standards import DATA_DIR, CatalogError, load_catalog


def broken(tmp_path: Path, name: str, old: str, new: str, count: int = 1) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return data


def test_pristine_copy_loads(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    assert "coke" in load_catalog(data).energy_kinds


CASES = [
    # (file, old, new, expected message fragment)
    (
        "energy_kinds.toml",
        "[coke.coefficient]\nvalue = 0.9714",
        "[coke.coefficient]\nvalue = 0.0",
        "energy_kinds.toml: entry 'coke': coefficient must be > 0",
    ),
    (
        "energy_kinds.toml",
        'category = "secondary"\nunit = "kg"\nfossil = true\n\n[coke.coefficient]',
        'category = "secondary"\nunit = "kilo"\nfossil = true\n\n[coke.coefficient]',
        "energy_kinds.toml: entry 'coke': unit 'kilo'",
    ),
    (
        "energy_kinds.toml",
        'unit = "kgce/kWh"',
        'unit = "kgce/MWh"',
        "energy_kinds.toml: entry 'electricity': coefficient unit must be 'kgce/kWh'",
    ),
    (
        "energy_kinds.toml",
        "[diesel.coefficient]\nvalue = 1.4571",
        "[diesel.coefficient]\nvalue = 1.9",
        "energy_kinds.toml: entry 'diesel': coefficient 1.9 does not match heating value",
    ),
    (
        "energy_kinds.toml",
        'status = "unverified"',
        'status = "probably"',
        "energy_kinds.toml: entry 'raw_coal': coefficient.status",
    ),
    (
        "energy_kinds.toml",
        'category = "primary"',
        'category = "tertiary"',
        "energy_kinds.toml: entry 'raw_coal': category",
    ),
    (
        "energy_kinds.toml",
        'name_zh = "洗精煤"',
        'name_zh = "原煤"',
        "energy_kinds.toml: entry 'washed_coal': name '原煤' is already used by 'raw_coal'",
    ),
    (
        "units.toml",
        'aliases = ["吨", "tonne"]',
        'aliases = ["吨", "tonne", "千克"]',
        "units.toml: entry 't': spelling '千克' is already used by unit 'kg'",
    ),
    (
        "units.toml",
        'symbol = "MJ"\ndimension = "energy"\nfactor = 1000.0',
        'symbol = "MJ"\ndimension = "energy"\nfactor = -1000.0',
        "units.toml: entry 'MJ': factor must be > 0",
    ),
    (
        "quotas.toml",
        "levels = { L1 = 43.0, L2 = 46.0, L3 = 52.0 }",
        "levels = { L1 = 43.0, L2 = 56.0, L3 = 52.0 }",
        "quotas.toml: entry 'sinter GB 21256-2025': levels must be ordered L1 <= L2 <= L3",
    ),
    (
        "quotas.toml",
        "valid_to = 2026-06-30",
        "valid_to = 2026-08-01",
        "quotas.toml: entry 'sinter GB 21256-2025': date range overlaps entry "
        "'sinter GB 21256-2013'",
    ),
    (
        "quotas.toml",
        'kind = "per_point"',
        'kind = "percent"',
        "quotas.toml: entry 'sinter GB 21256-2025': corrections.0.kind",
    ),
    (
        "local_quotas.toml",
        'status = "unverified"',
        'status = "confirmed"',
        "local_quotas.toml: entry 'fused_magnesia 鞍山本地配置（占位值）': a locally configured",
    ),
    (
        "emission_factors.toml",
        "year_from = 2023\nyear_to = 2023\nvalue = 0.5122",
        "year_from = 2022\nyear_to = 2023\nvalue = 0.5122",
        "emission_factors.toml: entry 'grid northeast/mee_nbs/2022': date range overlaps",
    ),
    (
        "emission_factors.toml",
        "[fuel_carbon.coke]",
        "[fuel_carbon.cokes]",
        "emission_factors.toml: entry 'fuel_carbon.cokes': is not an energy kind",
    ),
    (
        "emission_factors.toml",
        'heating_value = { value = 28.446, unit = "GJ/t" }',
        'heating_value = { value = 28.446, unit = "GJ/万m3" }',
        "emission_factors.toml: entry 'fuel_carbon.coke': heating_value is per 万m3 (volume)",
    ),
    (
        "emission_factors.toml",
        'oxidation = { value = 0.93, unit = "1" }',
        'oxidation = { value = 1.93, unit = "1" }',
        "emission_factors.toml: entry 'fuel_carbon.coke': oxidation must be a fraction",
    ),
    (
        "equal_value.toml",
        "[fallback.electricity]",
        "[fallback.electrons]",
        "equal_value.toml: entry 'fallback.electrons': energy 'electrons' is not an energy kind",
    ),
    (
        "divisions.toml",
        'parent = "210300"',
        'parent = "219999"',
        "divisions.toml: entry '210302': parent '219999' is not defined",
    ),
    (
        "two_high.toml",
        'industries = ["3011"]',
        'industries = ["3019"]',
        "two_high.toml: entry 'cement': industry 3019 is not in industries.toml",
    ),
    (
        "industries.toml",
        'cluster = "steel"',
        'cluster = "tin"',
        "industries.toml: entry '2521': cluster",
    ),
    (
        "process_emissions.toml",
        "value = 0.5220",
        "value = -0.5220",
        "process_emissions.toml: entry 'magnesite': value must be > 0",
    ),
    (
        "policy.toml",
        'value = 5000000.0\nunit = "kWh"',
        'value = 5000000.0\nunit = "MWh"',
        "policy.toml: entry 'review_report_exempt_electricity': unit must be 'kWh'",
    ),
    (
        "energy_kinds.toml",
        "[coke]",
        "[coke",
        "energy_kinds.toml: not valid TOML",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), CASES)
def test_broken_file_names_file_and_entry(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    data = broken(tmp_path, name, old, new)
    with pytest.raises(CatalogError) as info:
        load_catalog(data)
    assert message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "policy.toml").unlink()
    with pytest.raises(CatalogError, match=r"policy.toml: file not found"):
        load_catalog(data)
