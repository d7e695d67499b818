"""The city's registered retrofits as measures of a policy scenario, over HTTP, on both
databases, against figures worked by hand.

Enterprise ``a`` (3110, steel) has the kiln of tests/retrofit_kiln.py, whose retrofit M&V
verifies at 642.87 tce/a and 2 × 839.941 = 1 679.882 tCO2/a (the two figures are worked in
tests/api/test_retrofits_api.py), and a second retrofit on an item with no data, so its
saving is the claim, 100 tce/a, valued at the sector's base-year CO2 per tce.

Base year 2024, steel: the kiln's items meter a kiln, not the enterprise's fence, so the
sector's base is the fence electricity only: 500 000 kWh in January 2024 = 61.45 tce
(0.1229 kgce/kWh, equivalent value) and 500 MWh × 0.5122 tCO2/MWh = 256.1 tCO2; CO2 per tce
256.1 / 61.45 = 4.167616 tCO2/tce, so the claim is 416.7616 tCO2/a.
"""

from __future__ import annotations

import pytest
from api_support import assert_error_shape
from sqlalchemy import insert

from factories import add_item
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings
from retrofit_kiln import body, kiln

URL = "/api/v1/pathway"


@pytest.fixture
def retrofits(client, engine, world):
    a = world.enterprise_ids["a"]
    with engine.begin() as conn:
        coal, output = kiln(conn, a, "kiln3", reporting_rate=0.15)
        idle = add_item(conn, a, "kiln4.coal", energy_kind="raw_coal", unit="t")
        fence = add_item(conn, a, "ent.elec", energy_kind="electricity", unit="kWh")
        january = month_start(2024, 1)
        conn.execute(
            insert(readings).values(
                item_id=fence,
                period="hour",
                period_start=january,
                value=5e5,
                source="test",
                received_at=january,
            )
        )
        rebuild(conn)
    headers = world.headers("regulator")
    for sent in (
        body(a, coal, output),
        body(a, idle, output, name="4号窑改造", claimed_saving_tce=100.0),
    ):
        made = client.post("/api/v1/retrofits", json=sent, headers=headers)
        assert made.status_code == 201, made.text


def _policy(client, world) -> int:
    headers = world.headers("regulator")
    bau = client.post(
        f"{URL}/scenarios", json={"name": "基准", "kind": "bau", "base_year": 2024}, headers=headers
    ).json()["id"]
    policy = {"name": "政策", "kind": "policy", "base_year": 2024, "baseline_id": bau}
    return client.post(f"{URL}/scenarios", json=policy, headers=headers).json()["id"]


def test_retrofits_become_measures_at_their_verified_or_claimed_saving(client, world, retrofits):
    policy = _policy(client, world)
    path = f"{URL}/scenarios/{policy}/measures/from-retrofits"
    headers = world.headers("regulator")
    refused = client.post(path, headers=world.headers("auditor"))
    assert refused.status_code == 403
    done = client.post(path, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json() == {"added": 2, "updated": 0, "unchanged": 0}
    detail = client.get(f"{URL}/scenarios/{policy}", headers=headers).json()
    measures = {m["name"]: m for m in detail["scenario"]["measures"]}
    kiln3 = measures["3号轻烧窑改造"]
    assert (kiln3["status"], kiln3["sector"], kiln3["year"]) == ("verified", "steel", 2025)
    assert kiln3["saving_tce"] == pytest.approx(642.87, abs=1e-6)
    assert kiln3["saving_tco2"] == pytest.approx(1679.882, abs=2e-2)
    kiln4 = measures["4号窑改造"]
    assert (kiln4["status"], kiln4["saving_tce"]) == ("claimed", 100.0)
    assert kiln4["saving_tco2"] == pytest.approx(416.7616, abs=1e-3)
    effects = {e["name"]: e for e in detail["measure_effects"]}
    assert effects["4号窑改造"]["claimed_only"] is True
    assert effects["3号轻烧窑改造"]["tco2_per_year"] == pytest.approx(-1679.882, abs=2e-2)
    # again: nothing changed, nothing added
    again = client.post(path, headers=headers).json()
    assert again == {"added": 0, "updated": 0, "unchanged": 2}
    log = client.get("/api/v1/audit?entity=pathway_measure", headers=world.headers("auditor"))
    assert log.json()["total"] == 2


def test_a_business_as_usual_scenario_takes_no_retrofits(client, world, retrofits):
    headers = world.headers("regulator")
    bau = client.post(
        f"{URL}/scenarios", json={"name": "基准", "kind": "bau", "base_year": 2024}, headers=headers
    ).json()["id"]
    refused = client.post(f"{URL}/scenarios/{bau}/measures/from-retrofits", headers=headers)
    assert_error_shape(refused, 422, "invalid_pathway_input")
    missing = client.post(f"{URL}/scenarios/999999/measures/from-retrofits", headers=headers)
    assert_error_shape(missing, 404, "scenario_not_found")


def test_the_demo_policy_scenario_takes_the_registered_retrofits(client, world, retrofits, engine):
    from nenghao.demo.pathway import POLICY_NAME, include_retrofits

    headers = world.headers("regulator")
    bau = client.post(
        f"{URL}/scenarios", json={"name": "基准", "kind": "bau", "base_year": 2024}, headers=headers
    ).json()["id"]
    policy = {"name": POLICY_NAME, "kind": "policy", "base_year": 2024, "baseline_id": bau}
    scenario = client.post(f"{URL}/scenarios", json=policy, headers=headers).json()["id"]
    sized = {"kind": "retrofit", "name": "窑炉改造（估算）", "sector": "steel", "year": 2026}
    sized |= {"saving_tco2": 50.0, "status": "claimed"}
    solar = {"kind": "renewable_electricity", "name": "屋顶光伏", "sector": "steel"}
    solar |= {"year": 2026, "mwh": 10.0}
    for measure in (sized, solar):
        made = client.post(f"{URL}/scenarios/{scenario}/measures", json=measure, headers=headers)
        assert made.status_code == 201, made.text
    assert include_retrofits(engine) == 2
    detail = client.get(f"{URL}/scenarios/{scenario}", headers=headers).json()
    names = sorted(m["name"] for m in detail["scenario"]["measures"])
    # the sized retrofit gives way to the two registered ones; the solar measure stays
    assert names == ["3号轻烧窑改造", "4号窑改造", "屋顶光伏"]
