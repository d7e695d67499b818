"""The city file: it ships with the package, loads, and a wrong entry is named in the error."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from nenghao.demo import catalogue
from nenghao.demo.catalogue import CITY_FILE, ENTERPRISES
from nenghao.demo.city import CityFileError, load_city
from nenghao.standards import get_catalog

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(catalogue.__file__).resolve().parents[1]


def _load_edited(tmp_path: Path, old: str, new: str) -> str:
    """Load the packaged city with `old` replaced by `new` once; return the error message."""
    text = CITY_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "city.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(CityFileError) as caught:
        load_city(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_the_city_file_ships_with_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["nenghao"]
    relative = CITY_FILE.resolve().relative_to(PACKAGE).as_posix()
    assert any(fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_packaged_city_loads():
    city = load_city(CITY_FILE)
    assert city.enterprises == ENTERPRISES
    assert len(ENTERPRISES) == 45
    catalog = get_catalog()
    assert dict(city.divisions) == {
        code: division.name_zh
        for code, division in catalog.divisions.items()
        if division.parent == "210300"
    }
    for spec in ENTERPRISES:
        assert spec.cluster == catalog.industry(spec.industry).cluster


EAF_01_PLANT = """product = "eaf_steel_50_70"
steel_t_per_h = 114.0
electricity_kwh_per_t = 360.0"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            EAF_01_PLANT,
            EAF_01_PLANT.replace("360.0", '"360"'),
            ["enterprises[1] (eaf-01).plant", "electricity_kwh_per_t", "valid number"],
            id="text-for-a-number",
        ),
        pytest.param(
            EAF_01_PLANT,
            EAF_01_PLANT.replace("360.0", "-360.0"),
            ["enterprises[1] (eaf-01).plant", "electricity_kwh_per_t", "greater than or equal"],
            id="negative-rate",
        ),
        pytest.param(
            EAF_01_PLANT,
            EAF_01_PLANT.replace("steel_t_per_h", "steel_tph"),
            ["enterprises[1] (eaf-01).plant", "steel_t_per_h: Field required", "steel_tph"],
            id="misspelt-field",
        ),
        pytest.param(
            EAF_01_PLANT,
            EAF_01_PLANT.replace("eaf_steel_50_70", "eaf_steel_huge"),
            ["enterprises[1] (eaf-01)", "unknown product 'eaf_steel_huge'", "[products]"],
            id="unknown-product",
        ),
        pytest.param(
            'key = "eaf-02"\ntemplate = "eaf_plant"',
            'key = "eaf-02"\ntemplate = "eaf_plnat"',
            ["enterprises[2] (eaf-02).template", "unknown template 'eaf_plnat'"],
            id="unknown-template",
        ),
        pytest.param(
            'division = "210321"\naddress = "台安县工业园区聚鑫路1号"',
            'division = "210102"\naddress = "台安县工业园区聚鑫路1号"',
            ["enterprises[2] (eaf-02).division", "'210102' is not a division of 210300"],
            id="division-outside-the-city",
        ),
        pytest.param(
            'industry = "3821"',
            'industry = "9999"',
            ["enterprises[", "(eq-03).industry", "'9999' is not a GB/T 4754 class"],
            id="unknown-industry",
        ),
        pytest.param(
            '聚鑫路1号"\nmaintenance_month = 8',
            '聚鑫路1号"\nmaintenance_month = 13',
            ["enterprises[2] (eaf-02).maintenance_month", "less than or equal to 12"],
            id="month-13",
        ),
        pytest.param(
            "plant = { peak_coal_t_per_h = 70.0 }",
            "plant = { peak_coal_t_per_h = 70.0 }\nmaintenance_month = 3",
            ["(heat-01).maintenance_month", "exactly one maintenance stop"],
            id="maintenance-month-without-maintenance",
        ),
        pytest.param(
            'key = "eaf-03"',
            'key = "eaf-01"',
            ["enterprises: keys ['eaf-01'] repeat"],
            id="duplicate-key",
        ),
        pytest.param(
            'coke = "t"\nnatural_gas',
            'coke = "kWh"\nnatural_gas',
            ["metering: coke: metered in 'kWh'", "cannot convert kWh (energy) to kg (mass)"],
            id="unit-of-the-wrong-dimension",
        ),
        pytest.param(
            'fuel_oil = "t"',
            'heavy_oil = "t"',
            ["metering: heavy_oil: not an energy kind of the standards catalogue"],
            id="unknown-energy-kind",
        ),
        pytest.param(
            'shutdowns = ["spring_festival_stop"]\n\n[templates.magnesite_mine.plant]',
            'shutdowns = ["spring_festival_halt"]\n\n[templates.magnesite_mine.plant]',
            ["templates.magnesite_mine.shutdowns: ['spring_festival_halt'] not in [shutdowns]"],
            id="unknown-shutdown",
        ),
        pytest.param(
            'boundaries = ["rolling"]',
            'boundaries = ["rollin"]',
            ["shutdowns.hot_strip_mill_maintenance.boundaries: ['rollin'] not in [boundaries]"],
            id="unknown-shutdown-boundary",
        ),
        pytest.param(
            "days_before = 3\ndays_after = 5",
            "days_before = 3\ndays_after = 5\nmonth = 2",
            ["shutdowns.spring_festival_reduced", "days_before/days_after, no date"],
            id="spring-festival-with-a-date",
        ),
        pytest.param(
            'showcase = "steel-int"',
            'showcase = "steel-int"\nmayor = "nobody"',
            ["mayor: Extra inputs are not permitted"],
            id="unknown-top-level-field",
        ),
        pytest.param(
            "[enterprises.plant.pelletizing]",
            "[enterprises.plant.pelletizing",
            ["cannot read the city file"],
            id="not-toml",
        ),
    ],
)
def test_a_wrong_entry_is_named(tmp_path, old, new, expected):
    message = _load_edited(tmp_path, old, new)
    for fragment in expected:
        assert fragment in message, message


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(CityFileError, match=r"nowhere\.toml: cannot read the city file"):
        load_city(missing)
