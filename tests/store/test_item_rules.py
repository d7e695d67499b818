"""The item-code scheme and attribute rules (docs/items.md), checked on the demo city."""

from __future__ import annotations

import pytest

from nenghao.demo.catalogue import ENTERPRISES
from nenghao.store.common import InvalidInputError
from nenghao.store.item_rules import boundary_of, check_code, check_item, code_base, propose_code

NAMED_BY_HAND = {"ent.green_electricity", "blast_furnace.trt_electricity_out"}
"""Demo codes written out by hand (renewable purchase; TRT top-gas generation)."""


def _demo_values(item) -> dict:
    names = ("name", "measures", "energy_kind", "product_code", "usage", "unit", "period")
    values = {name: getattr(item, name) for name in names}
    fence = item.boundary == "enterprise"
    values |= {"value_kind": item.value_kind, "renewable": item.renewable}
    values |= {
        "stage": "fence" if fence else "end_use",
        "process": None if fence else item.boundary,
    }
    return values


def test_the_demo_city_follows_the_scheme():
    checked = 0
    for spec in ENTERPRISES:
        for item in spec.items:
            clean = check_item(_demo_values(item))
            assert boundary_of(clean) == item.boundary
            if item.code not in NAMED_BY_HAND:
                assert check_code(clean, item.code) == item.code
                checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"measures": "energy", "energy_kind": "电力", "unit": "万kWh"}, "ent.electricity"),
        (
            {"measures": "energy", "energy_kind": "raw_coal", "unit": "t", "usage": "raw_material"},
            "ent.raw_coal_feed",
        ),
        (
            {
                "measures": "energy",
                "energy_kind": "electricity",
                "unit": "kWh",
                "usage": "export",
                "stage": "conversion",
                "process": "power_plant",
            },
            "power_plant.electricity_out",
        ),
        (
            {
                "measures": "product",
                "product_code": "sinter",
                "unit": "t",
                "stage": "end_use",
                "process": "sintering",
            },
            "sintering.sinter",
        ),
        ({"measures": "added_value", "unit": "万元"}, "ent.added_value"),
    ],
)
def test_code_base(values, code):
    clean = check_item({"name": "x", "period": "month", **values})
    assert code_base(clean) == code
    assert propose_code(clean, {code, f"{code}.2"}) == f"{code}.3"
    assert check_code(clean, f"{code}.12") == f"{code}.12"
    for wrong in (f"{code}.1", f"{code}.100", f"{code}x", "ent.other"):
        with pytest.raises(InvalidInputError):
            check_code(clean, wrong)
