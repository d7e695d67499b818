"""The carbon-peak pathway over HTTP, on both databases, against figures worked by hand.

Today is fixed at 2025-03-15 10:00 CST: 2025 runs to 2025-03-14 (partial). Readings sit in
the first hour of a month. Grid factor of 2024 and 2025: the Northeast 2023 value 0.5122
tCO2/MWh (the catalogue's latest year); electricity 0.1229 kgce/kWh (equivalent value).

Enterprise ``a`` (3110, steel): electricity 500 000 kWh in January and in July 2024 (256.1
tCO2 each), 600 000 kWh in January 2025 (307.32); output value 5 000 万元 January and July
2024, 6 000 January 2025.
Enterprise ``c`` (3089, magnesia): light-burned magnesia 500 t in January and July 2024
(x 1.0921 tCO2/t process = 546.05 each), 400 t in January 2025 (436.84); electricity 200 000
kWh January 2024 (102.44), 100 000 kWh January 2025 (51.22); output 2 000 万元 January 2024,
1 000 January 2025.

Base year 2024: steel 512.2 (electricity); magnesia 1 092.1 process + 102.44 electricity =
1 194.54; city 1 706.74 tCO2.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from api_support import assert_error_shape
from openpyxl import load_workbook
from sqlalchemy import insert

from factories import add_item
from nenghao.standards.calendar import cst_midnight, month_start
from nenghao.store import common
from nenghao.store.rollups import rebuild
from nenghao.store.schema import audit_log, readings

NOW = cst_midnight(date(2025, 3, 15)) + 10 * 3600
URL = "/api/v1/pathway"


def _put(conn, item, values, period="hour"):
    conn.execute(
        insert(readings),
        [
            {
                "item_id": item,
                "period": period,
                "period_start": month_start(y, m),
                "value": v,
                "source": "test",
                "received_at": month_start(y, m),
            }
            for (y, m), v in values.items()
        ],
    )


@pytest.fixture
def seeded(engine, world, monkeypatch):
    monkeypatch.setattr(common, "now", lambda: NOW)
    a, c = world.enterprise_ids["a"], world.enterprise_ids["c"]
    with engine.begin() as conn:
        elec = add_item(conn, a, "ent.elec", energy_kind="electricity", unit="kWh")
        _put(conn, elec, {(2024, 1): 5e5, (2024, 7): 5e5, (2025, 1): 6e5})
        elec_c = add_item(conn, c, "ent.elec", energy_kind="electricity", unit="kWh")
        _put(conn, elec_c, {(2024, 1): 2e5, (2025, 1): 1e5})
        kiln = add_item(
            conn,
            c,
            "kiln.magnesia",
            measures="product",
            usage="production",
            product_code="light_burned_magnesia",
            unit="t",
        )
        _put(conn, kiln, {(2024, 1): 500.0, (2024, 7): 500.0, (2025, 1): 400.0})
        for enterprise, values in (
            (a, {(2024, 1): 5000.0, (2024, 7): 5000.0, (2025, 1): 6000.0}),
            (c, {(2024, 1): 2000.0, (2025, 1): 1000.0}),
        ):
            output = add_item(
                conn,
                enterprise,
                "ent.output",
                measures="output_value",
                usage="value",
                unit="万元",
                period="month",
            )
            _put(conn, output, values, "month")
        rebuild(conn)


def _scenarios(client, world):
    admin = world.headers("regulator")
    bau = client.post(
        f"{URL}/scenarios",
        json={"name": "基准情景", "kind": "bau", "base_year": 2024},
        headers=admin,
    )
    assert bau.status_code == 201, bau.text
    bau_id = bau.json()["id"]
    for body in (
        {"parameter": "output_growth", "from_year": 2025, "value_pct": 10},
        {"parameter": "output_growth", "from_year": 2027, "value_pct": -5},
    ):
        made = client.post(f"{URL}/scenarios/{bau_id}/assumptions", json=body, headers=admin)
        assert made.status_code == 201, made.text
    policy = client.post(
        f"{URL}/scenarios",
        json={"name": "政策情景", "kind": "policy", "base_year": 2024, "baseline_id": bau_id},
        headers=admin,
    ).json()["id"]
    retrofit = {
        "kind": "retrofit",
        "name": "1号轻烧窑改造",
        "sector": "magnesia",
        "year": 2025,
        "saving_tco2": 100,
        "saving_tce": 30,
        "status": "claimed",
    }
    made = client.post(f"{URL}/scenarios/{policy}/measures", json=retrofit, headers=admin)
    assert made.status_code == 201, made.text
    return bau_id, policy


def test_base_year_projection_peak_and_xlsx(client, world, seeded):
    bau, policy = _scenarios(client, world)
    headers = world.headers("auditor")
    detail = client.get(f"{URL}/scenarios/{bau}", headers=headers).json()
    sectors = {s["sector"]: s for s in detail["base"]["sectors"]}
    assert sectors["steel"]["electricity_tco2"] == pytest.approx(512.2)
    assert sectors["magnesia"]["process_tco2"] == pytest.approx(1092.1)
    assert sectors["magnesia"]["tco2"] == pytest.approx(1194.54)
    assert detail["base"]["tco2"] == pytest.approx(1706.74)
    # BAU: 2025 = 1706.74 x 1.1 = 1877.414; 2026 = x 1.1 = 2065.1554; 2027 = x 0.95 = 1961.8976
    years = {y["year"]: y["tco2"] for y in detail["projection"]["years"]}
    assert years[2025] == pytest.approx(1877.414)
    assert years[2026] == pytest.approx(2065.1554)
    assert years[2027] == pytest.approx(1961.8976, abs=1e-4)
    assert (detail["projection"]["peak_year"], detail["projection"]["peaked_by_2035"]) == (
        2026,
        True,
    )
    # Policy: the retrofit takes 100 tCO2 from 2025 on: 2026 = 1965.1554, still the peak.
    answer = client.get(URL, headers=headers).json()
    lines = {s["name"]: s for s in answer["scenarios"]}
    assert lines["政策情景"]["peak_tco2"] == pytest.approx(1965.1554)
    assert [a["year"] for a in answer["actual"]] == [2024, 2025]
    assert answer["actual"][1]["partial"] is True
    assert answer["actual"][1]["tco2"] == pytest.approx(795.38)  # 307.32 + 436.84 + 51.22
    effects = client.get(f"{URL}/scenarios/{policy}", headers=headers).json()["measure_effects"]
    assert effects == [
        {
            "name": "1号轻烧窑改造",
            "kind": "retrofit",
            "year": 2025,
            "tco2_per_year": -100.0,
            "claimed_only": True,
        }
    ]
    book = load_workbook(io.BytesIO(client.get(f"{URL}/xlsx", headers=headers).content))
    assert book.sheetnames == ["碳达峰路径", "情景与峰值", "基准年排放", "政策措施"]
    peaks = list(book["情景与峰值"].iter_rows(min_row=3, values_only=True))
    assert peaks[0][:4] == ("基准情景", "基准情景", 2024, 2026)
    assert book["政策措施"]["G3"].value == "仅申报（未核实）"


def test_tracking_year_to_date_like_for_like(client, world, seeded):
    bau, _policy = _scenarios(client, world)
    tracked = client.get(
        f"{URL}/scenarios/{bau}/tracking?year=2025", headers=world.headers("regulator")
    ).json()
    # Same days of 2024 (1 Jan - 14 Mar): January's 256.1 + 546.05 + 102.44 = 904.59 of
    # 1706.74. Pathway to date: 1877.414 x 904.59 / 1706.74 = 995.049; actual 795.38;
    # deviation (795.38 - 995.049) / 995.049 = -0.2007.
    ytd = tracked["year_to_date"]
    assert (tracked["partial"], tracked["through"]) == (True, "2025-03-14")
    assert ytd["pathway_tco2"] == pytest.approx(995.049)
    assert ytd["actual_tco2"] == pytest.approx(795.38)
    assert ytd["deviation"] == pytest.approx(-0.2007, abs=1e-4)
    assert ytd["through_label"] == "截至 3月14日"
    months = {m["period"]: m for m in tracked["months"]}
    assert list(months) == ["2025-01", "2025-02", "2025-03"]
    assert months["2025-01"]["pathway_tco2"] == pytest.approx(995.049)
    assert months["2025-03"]["partial"] is True
    assert tracked["years"][0] == {
        "period": "2024",
        "actual_tco2": pytest.approx(1706.74),
        "pathway_tco2": pytest.approx(1706.74),
        "deviation": pytest.approx(0.0),
        "partial": False,
        "through": None,
        "through_label": None,
    }


def test_decomposition_sums_to_the_like_for_like_change(client, world, seeded):
    answer = client.get(
        f"{URL}/decomposition?base_year=2024&target_year=2025", headers=world.headers("admin")
    ).json()
    # 1 Jan - 14 Mar of each year: 904.59 -> 795.38, a change of -109.21 tCO2.
    assert (answer["partial"], answer["through"]) == (True, "2025-03-14")
    assert answer["change_tco2"] == pytest.approx(-109.21)
    assert sum(e["tco2"] for e in answer["effects"]) == pytest.approx(-109.21)
    assert abs(answer["residual_tco2"]) < 1e-6
    steel = next(s for s in answer["sectors"] if s["sector"] == "steel")
    # steel: Q 5000 -> 6000, E 61.45 -> 73.74 tce, C 256.1 -> 307.32: intensity unchanged
    # (0.01229 tce/万元 both years), carbon factor unchanged: only activity and structure.
    assert steel["intensity_tco2"] == pytest.approx(0.0, abs=1e-9)
    assert steel["carbon_factor_tco2"] == pytest.approx(0.0, abs=1e-9)
    assert steel["activity_tco2"] + steel["structure_tco2"] == pytest.approx(51.22)


def test_bad_input_and_audit(client, world, seeded, engine):
    bau, policy = _scenarios(client, world)
    headers = world.headers("regulator")
    early = {"kind": "retrofit", "name": "x", "sector": "steel", "year": 2024, "saving_tco2": 1}
    early["status"] = "verified"
    refused = client.post(f"{URL}/scenarios/{policy}/measures", json=early, headers=headers)
    assert_error_shape(refused, 422, "invalid_pathway_input")
    unknown = {**early, "year": 2026, "sector": "textiles"}
    refused = client.post(f"{URL}/scenarios/{policy}/measures", json=unknown, headers=headers)
    assert_error_shape(refused, 422, "invalid_pathway_input")
    switch = {"kind": "fuel_switch", "name": "煤改气", "sector": "steel", "year": 2026}
    switch |= {"from_kind": "raw_coal", "to_kind": "unobtainium", "amount_tce": 10}
    refused = client.post(f"{URL}/scenarios/{policy}/measures", json=switch, headers=headers)
    assert_error_shape(refused, 422, "invalid_pathway_input")
    wrong = {"parameter": "output_growth", "from_year": 2026, "value_pct": 3}
    refused = client.post(f"{URL}/scenarios/{policy}/assumptions", json=wrong, headers=headers)
    assert_error_shape(refused, 422, "invalid_pathway_input")
    in_use = client.delete(f"{URL}/scenarios/{bau}", headers=headers)
    assert_error_shape(in_use, 409, "scenario_in_use")
    backwards = client.get(f"{URL}/decomposition?base_year=2025&target_year=2024", headers=headers)
    assert_error_shape(backwards, 422, "invalid_pathway_input")
    zh = client.get(
        f"{URL}/decomposition?base_year=2023&target_year=2024",
        headers={**headers, "Accept-Language": "zh-CN"},
    )
    error = assert_error_shape(zh, 422, "lmdi_invalid_input")
    assert "产值" in error["message"]
    rows = client.get(f"{URL}/scenarios/{bau}", headers=headers).json()["scenario"]
    first = rows["assumptions"][0]["id"]
    changed = client.put(
        f"{URL}/scenarios/{bau}/assumptions/{first}",
        json={"parameter": "output_growth", "from_year": 2025, "value_pct": 8, "note": "下调"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(audit_log.select()) if "pathway" in r.action]
    assert "pathway.assumption.change" in actions
    assert actions.count("pathway.scenario.create") == 2
