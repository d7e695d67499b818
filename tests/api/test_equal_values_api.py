"""The equal value of electricity by year over HTTP, on both backends.

Worked example: 1 000 000 kWh of electricity in June 2020.
* Before: no value for 2020 is packaged, so the documented fallback 0.404 kgce/kWh applies:
  1 000 000 x 0.404 = 404 000 kgce = 404.0 tce.
* An administrator sets 2020 to 0.3055 kgce/kWh (305.5 g/kWh):
  1 000 000 x 0.3055 = 305 500 kgce = 305.5 tce at equal value.
* The equivalent value is unchanged: 1 000 000 x 0.1229 = 122 900 kgce = 122.9 tce.
"""

from __future__ import annotations

import pytest
from api_support import assert_error_shape
from sqlalchemy import insert

from factories import add_item
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings

KWH = 1_000_000.0
URL = "/api/v1/catalog/equal-values"
SOURCE = "中电联《2020年全国电力工业统计快报》: 6000千瓦及以上火电厂供电标准煤耗 305.5 g/kWh"


@pytest.fixture
def seeded(engine, world):
    with engine.begin() as conn:
        item = add_item(
            conn, world.enterprise_ids["a"], "elec", energy_kind="electricity", unit="kWh"
        )
        conn.execute(
            insert(readings).values(
                item_id=item,
                period="hour",
                period_start=month_start(2020, 6),
                value=KWH,
                source="test",
                received_at=month_start(2020, 6),
            )
        )
        rebuild(conn)
    return world


def _consumption(client, world):
    response = client.get(
        "/api/v1/stats/consumption",
        params={"period": "2020", "by": "enterprise"},
        headers=world.headers("regulator"),
    )
    assert response.status_code == 200, response.text
    return response.json()


def _set(client, world, role, year, body):
    return client.put(f"{URL}/{year}", json=body, headers=world.headers(role))


def test_administrator_value_is_used_and_said(client, seeded):
    before = _consumption(client, seeded)
    assert before["total"]["equal_tce"] == pytest.approx(404.0)  # fallback 0.404
    created = _set(client, seeded, "admin", 2020, {"value": 0.3055, "source": SOURCE})
    assert created.status_code == 201, created.text
    assert created.json()["origin"] == "administrator"
    assert created.json()["set_by"] == "admin"
    after = _consumption(client, seeded)
    assert after["total"]["equal_tce"] == pytest.approx(305.5)  # 1e6 kWh x 0.3055 / 1000
    assert after["total"]["equivalent_tce"] == pytest.approx(122.9)  # unchanged
    used = [
        c
        for c in after["coefficients"]
        if c["kind"] == "standard_coal"
        and c["basis"] == "equal"
        and c["energy_kind"] == "electricity"
    ]
    assert [(c["coefficient"], c["method"], c["source"]) for c in used] == [
        (0.3055, "equal value 2020 (administrator)", SOURCE)
    ]
    converted = client.get(
        "/api/v1/convert",
        params={
            "value": KWH,
            "unit": "kWh",
            "energy": "electricity",
            "basis": "equal",
            "year": 2020,
        },
        headers=seeded.headers("enterprise"),
    ).json()
    assert converted["tce"] == pytest.approx(305.5)
    assert converted["method"] == "equal value 2020 (administrator)"
    replaced = _set(client, seeded, "admin", 2020, {"value": 0.3, "source": SOURCE})
    assert replaced.status_code == 200
    assert _consumption(client, seeded)["total"]["equal_tce"] == pytest.approx(300.0)


def test_listing_shows_each_year_with_its_origin(client, seeded):
    _set(client, seeded, "admin", 2020, {"value": 0.3055, "source": SOURCE})
    answer = client.get(URL, headers=seeded.headers("regulator")).json()
    assert (answer["unit"], answer["min"], answer["max"]) == ("kgce/kWh", 0.25, 0.45)
    assert answer["fallback"]["value"] == 0.404
    years = {row["year"]: row for row in answer["years"]}
    assert (years[2010]["value"], years[2010]["origin"]) == (0.333, "published")
    assert years[2010]["status"] == "unverified"
    assert (years[2020]["value"], years[2020]["origin"]) == (0.3055, "administrator")
    assert years[2020]["source"] == SOURCE


def test_setting_is_audited(client, seeded):
    _set(client, seeded, "admin", 2020, {"value": 0.3055, "source": SOURCE})
    _set(client, seeded, "admin", 2020, {"value": 0.31, "source": SOURCE})
    audit = client.get(
        "/api/v1/audit", params={"entity": "equal_value"}, headers=seeded.headers("auditor")
    ).json()["items"]
    assert [(row["action"], row["entity_id"], row["actor"]) for row in audit] == [
        ("update", "2020", "admin"),
        ("create", "2020", "admin"),
    ]
    assert audit[0]["before"]["value"] == 0.3055
    assert audit[0]["after"]["value"] == 0.31


@pytest.mark.parametrize("role", ["regulator", "district", "enterprise", "auditor"])
def test_only_an_administrator_sets(client, seeded, role):
    refused = _set(client, seeded, role, 2020, {"value": 0.3055, "source": SOURCE})
    assert_error_shape(refused, 403)
    assert _consumption(client, seeded)["total"]["equal_tce"] == pytest.approx(404.0)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"value": 0.2499, "source": SOURCE}, "equal_value_out_of_range"),
        ({"value": 0.4501, "source": SOURCE}, "equal_value_out_of_range"),
        ({"value": 305.5, "source": SOURCE}, "equal_value_out_of_range"),  # g/kWh, not kgce
        ({"value": 0.3055, "source": "   "}, "invalid_input"),
        ({"value": 0.3055}, None),
        ({"value": 0.3055, "source": SOURCE, "extra": 1}, None),
    ],
)
def test_implausible_values_are_refused(client, seeded, body, code):
    refused = _set(client, seeded, "admin", 2020, body)
    error = assert_error_shape(refused, 422, code)
    if code == "equal_value_out_of_range":
        assert error["details"]["min"] == 0.25
        assert error["details"]["max"] == 0.45
        assert "等价值" in error["message"]
    assert _consumption(client, seeded)["total"]["equal_tce"] == pytest.approx(404.0)


def test_year_outside_the_bounds(client, seeded):
    assert_error_shape(_set(client, seeded, "admin", 1999, {"value": 0.3, "source": SOURCE}), 422)
