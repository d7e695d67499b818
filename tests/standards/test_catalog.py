"""The packaged catalogue: contents, lookups and documented behaviours."""

from __future__ import annotations

from datetime import date

import pytest

from nenghao.standards import (
    KGCE_KJ,
    Catalog,
    NoFactorError,
    Sourced,
    UnknownEnergyKindError,
    UnknownKeyError,
    UnknownUnitError,
    get_catalog,
)

REQUIRED_KINDS = [
    "raw_coal",
    "washed_coal",
    "middlings",
    "coal_slime",
    "coke",
    "crude_oil",
    "fuel_oil",
    "gasoline",
    "kerosene",
    "diesel",
    "coal_tar",
    "lpg",
    "refinery_gas",
    "natural_gas",
    "natural_gas_oilfield",
    "coal_mine_gas",
    "coke_oven_gas",
    "blast_furnace_gas",
    "converter_gas",
    "producer_gas",
    "crude_benzene",
    "electricity",
    "heat",
    "steam",
    "compressed_air",
    "oxygen",
    "acetylene",
    "calcium_carbide",
    "fresh_water",
]

REQUIRED_PRODUCTS = [
    "sinter",
    "pellet",
    "hot_metal",
    "converter_steel",
    "eaf_steel_lt50",
    "eaf_steel_50_70",
    "eaf_steel_ge70",
    "coke_top_charged",
    "coke_stamp_charged",
    "fused_magnesia",
    "light_burned_magnesia",
    "dead_burned_magnesia",
]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return get_catalog()


def test_get_catalog_is_cached(cat: Catalog) -> None:
    assert get_catalog() is cat


def test_required_energy_kinds_present(cat: Catalog) -> None:
    assert set(REQUIRED_KINDS) <= set(cat.energy_kinds)


@pytest.mark.parametrize(
    ("code", "value", "unit"),
    [
        ("raw_coal", 0.7143, "kg"),
        ("coke", 0.9714, "kg"),
        ("natural_gas", 1.2143, "m3"),
        ("natural_gas_oilfield", 1.3300, "m3"),
        ("electricity", 0.1229, "kWh"),
        ("heat", 0.03412, "MJ"),
        ("converter_gas", 0.2286, "m3"),
        ("fresh_water", 0.2571, "t"),
    ],
)
def test_coefficients(cat: Catalog, code: str, value: float, unit: str) -> None:
    kind = cat.energy_kinds[code]
    assert kind.coefficient.value == value
    assert kind.unit == unit
    assert kind.coefficient.unit == f"kgce/{unit}"


def test_unverified_values_are_visible(cat: Catalog) -> None:
    converter = cat.energy_kinds["converter_gas"]
    assert converter.coefficient.status == "unverified"
    assert converter.coefficient.note is not None
    assert "use measured heating value" in converter.coefficient.note
    assert cat.energy_kinds["steam"].coefficient.status == "unverified"
    assert cat.energy_kinds["electricity"].coefficient.status == "confirmed"


def test_range_defaults_are_documented(cat: Catalog) -> None:
    for code, low, high in [
        ("coal_slime", 0.2857, 0.4286),
        ("coke_oven_gas", 0.5714, 0.6143),
        ("coal_mine_gas", 0.5000, 0.5714),
    ]:
        kind = cat.energy_kinds[code]
        assert (kind.coefficient_min, kind.coefficient_max) == (low, high)
        assert kind.coefficient.value == low
        assert kind.coefficient.note is not None
        assert "LOWER bound" in kind.coefficient.note


def test_coefficients_match_heating_values(cat: Catalog) -> None:
    for kind in cat.energy_kinds.values():
        if kind.heating_value is not None:
            derived = kind.heating_value.value / KGCE_KJ
            assert derived == pytest.approx(kind.coefficient.value, rel=0.01), kind.code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("原煤", "raw_coal"),
        ("焦炭", "coke"),
        ("柴油", "diesel"),
        ("电力", "electricity"),
        ("热力", "heat"),
        ("天然气", "natural_gas"),
        ("Natural Gas", "natural_gas"),
        ("BOF gas", "converter_gas"),
        ("coke", "coke"),
        (" COKE ", "coke"),
    ],
)
def test_energy_kind_lookup(cat: Catalog, name: str, code: str) -> None:
    assert cat.energy_kind(name).code == code


def test_unknown_energy_kind(cat: Catalog) -> None:
    with pytest.raises(UnknownEnergyKindError, match="raw_coal"):
        cat.energy_kind("moonshine")


@pytest.mark.parametrize(
    ("alias", "symbol"),
    [
        ("m³", "m3"),
        ("Nm3", "m3"),
        ("万m3", "万m3"),
        ("万立方米", "万m3"),
        ("吨", "t"),
        ("千瓦时", "kWh"),
        ("度", "kWh"),
        ("kwh", "kWh"),
        ("万kWh", "万kWh"),
        ("MWh", "MWh"),
        ("GJ", "GJ"),
        ("kcal", "kcal"),
        ("元", "元"),
        ("万元", "万元"),
        ("吨标准煤", "tce"),
    ],
)
def test_unit_aliases(cat: Catalog, alias: str, symbol: str) -> None:
    assert cat.unit(alias).symbol == symbol


def test_unknown_unit(cat: Catalog) -> None:
    with pytest.raises(UnknownUnitError):
        cat.unit("bushel")


def test_grid_factors(cat: Catalog) -> None:
    assert cat.grid_factor(2022).value == 0.5564
    assert cat.grid_factor(2023, "national").value == 0.5306
    assert cat.grid_factor(2022, "national", "mee_nbs_fossil_only").value == 0.8325
    assert cat.grid_factor(2025, "national", "carbon_market").value == 0.5703
    with pytest.raises(NoFactorError, match="known"):
        cat.grid_factor(2023, "mars")


def test_heat_and_process_factors(cat: Catalog) -> None:
    assert cat.heat_emission_factor(2030).value == 0.11
    magnesite = cat.process_emission("magnesite")
    assert magnesite.value == pytest.approx(44.01 / 84.31, abs=1e-4)
    assert magnesite.status == "confirmed"
    assert cat.process_emission("magnesia_from_magnesite").value == pytest.approx(
        44.01 / 40.30, abs=1e-4
    )
    assert cat.process_emission("limestone").status == "unverified"
    assert cat.process_emission("dolomite").value == 0.471


def test_fuel_carbon_attached_to_kinds(cat: Catalog) -> None:
    carbon = cat.energy_kinds["blast_furnace_gas"].carbon
    assert carbon is not None
    assert carbon.carbon_content.value == 0.0708
    assert carbon.heating_value.unit == "GJ/万m3"
    assert cat.energy_kinds["crude_benzene"].carbon is None
    raw_coal = cat.energy_kinds["raw_coal"].carbon
    assert raw_coal is not None
    assert raw_coal.carbon_content.status == "unverified"


def test_equal_value(cat: Catalog) -> None:
    value = cat.equal_value_coefficient("electricity", 2024)
    assert isinstance(value, Sourced)
    assert value.value == 0.404
    assert value.note is not None
    assert "fallback" in value.note
    with pytest.raises(NoFactorError):
        cat.equal_value_coefficient("heat", 2024)


def test_quota_products_and_editions(cat: Catalog) -> None:
    assert set(REQUIRED_PRODUCTS) <= set(cat.quota_standards)
    assert cat.quota_for("sinter", date(2026, 6, 30)).standard == "GB 21256-2013"  # type: ignore[union-attr]
    assert cat.quota_for("sinter", date(2026, 7, 1)).standard == "GB 21256-2025"  # type: ignore[union-attr]
    assert cat.quota_for("coke_top_charged", date(2026, 5, 1)).standard == "GB 21342-2025"  # type: ignore[union-attr]
    # the editions they replace are in force before, their values not entered
    coke_2013 = cat.quota_for("coke_top_charged", date(2026, 4, 30))
    assert coke_2013 is not None
    assert coke_2013.standard == "GB 21342-2013"
    assert not coke_2013.values_loaded
    pellet_2013 = cat.quota_for("pellet", date(2026, 1, 1))
    assert pellet_2013 is not None
    assert pellet_2013.standard == "GB 21256-2013"
    assert not pellet_2013.values_loaded
    with pytest.raises(UnknownKeyError):
        cat.quota_for("widget", date(2026, 1, 1))


def test_quota_2013_mapping_and_status(cat: Catalog) -> None:
    old = cat.quota_for("hot_metal", date(2020, 1, 1))
    assert old is not None
    assert old.levels == {"L1": 361, "L2": 370, "L3": 435}
    assert old.status == "unverified"
    assert old.valid_to == date(2026, 6, 30)


def test_local_quotas_are_marked(cat: Catalog) -> None:
    for product in ("fused_magnesia", "light_burned_magnesia", "dead_burned_magnesia"):
        (edition,) = cat.quota_standards[product]
        assert edition.local
        assert edition.status == "unverified"
        assert "placeholder" in edition.source


def test_quota_levels_are_ordered(cat: Catalog) -> None:
    for editions in cat.quota_standards.values():
        for edition in editions:
            levels = [edition.levels[k] for k in ("L1", "L2", "L3") if k in edition.levels]
            assert levels == sorted(levels)


def test_divisions(cat: Catalog) -> None:
    assert cat.division("210381").name_zh == "海城市"
    assert cat.division("210381").parent == "210300"
    assert all(d.status == "unverified" for d in cat.divisions.values())
    assert {c for c, d in cat.divisions.items() if d.parent == "210300"} == {
        "210302",
        "210303",
        "210304",
        "210311",
        "210321",
        "210323",
        "210381",
    }


def test_industries_and_two_high(cat: Catalog) -> None:
    assert cat.industry("3110").cluster == "steel"
    assert cat.industry("3110").two_high == "steel"
    assert cat.industry("3089").cluster == "magnesia"
    assert cat.industry("3089").two_high is None
    assert cat.industry("4430").cluster == "energy"
    sector = cat.two_high_sector_of("2521")
    assert sector is not None
    assert sector.code == "coking"
    groups = {s.group for s in cat.two_high_sectors}
    assert groups == {
        "coal_power",
        "petrochemical",
        "chemical",
        "steel",
        "nonferrous",
        "building_materials",
    }
    with pytest.raises(UnknownKeyError):
        cat.industry("9999")


def test_policy(cat: Catalog) -> None:
    policy = cat.policy
    assert policy.key_unit_threshold.value == 10_000
    assert policy.key_unit_designated_threshold.value == 5_000
    assert policy.review_provincial_threshold.value == 10_000
    assert policy.review_report_exempt_energy.value == 1_000
    assert policy.review_report_exempt_electricity.value == 5_000_000
    assert policy.review_report_exempt_electricity.unit == "kWh"
    assert policy.renewable_base_year == 2020
    assert policy.review_electricity_basis == "equivalent"


def test_models_are_frozen(cat: Catalog) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        cat.energy_kinds["coke"].coefficient.value = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        cat.energy_kinds["coke"] = cat.energy_kinds["raw_coal"]  # type: ignore[index]


def test_equal_value_per_year_with_its_origin(cat: Catalog) -> None:
    # 2010: the packaged, cited 333 g/kWh = 0.333 kgce/kWh (unverified, with its caveat)
    published = cat.equal_value_coefficient("electricity", 2010)
    assert (published.value, published.origin, published.status) == (
        0.333,
        "published",
        "unverified",
    )
    assert published.note is not None
    assert "供电" in published.note
    assert cat.equal_value_coefficient("electricity", 2024).origin == "fallback"
    assert cat.equal_value_range("electricity") == (0.25, 0.45)


def test_administrator_value_comes_first_and_leaves_the_catalogue_alone(cat: Catalog) -> None:
    override = Sourced(
        value=0.3055,
        unit="kgce/kWh",
        source="set by admin",
        status="unverified",
        valid_from=date(2010, 1, 1),
        valid_to=date(2010, 12, 31),
    )
    changed = cat.with_equal_value_overrides({"electricity": [override]})
    assert changed.equal_value_coefficient("electricity", 2010).value == 0.3055
    assert changed.equal_value_coefficient("electricity", 2010).origin == "administrator"
    assert changed.equal_value_coefficient("electricity", 2011).origin == "fallback"
    assert cat.equal_value_coefficient("electricity", 2010).value == 0.333
    assert cat.with_equal_value_overrides({}) is cat
