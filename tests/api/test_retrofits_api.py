"""Retrofit projects and their M&V over HTTP, on both databases: registration, the verified
saving against a kiln worked by hand (tests/retrofit_kiln.py), adjustments, scoping, the
refusals in the error shape, the ledger XLSX and the verification PDF."""

from __future__ import annotations

import io

import pytest
from api_support import assert_error_shape
from openpyxl import load_workbook

from factories import add_item
from nenghao.store.rollups import rebuild
from retrofit_kiln import body, kiln

URL = "/api/v1/retrofits"


@pytest.fixture
def items(engine, world):
    with engine.begin() as conn:
        coal, output = kiln(conn, world.enterprise_ids["a"], "kiln3", reporting_rate=0.15)
        rebuild(conn)
    return coal, output


def _register(client, world, items, role="enterprise", **fields):
    coal, output = items
    sent = body(world.enterprise_ids["a"], coal, output, **fields)
    return client.post(URL, json=sent, headers=world.headers(role))


def test_a_kiln_that_saves_half_its_claim(client, world, items):
    made = _register(client, world, items)
    assert made.status_code == 201, made.text
    retrofit = made.json()
    assert (retrofit["baseline_from"], retrofit["reporting_to"]) == ("2024-01", "2025-07")
    assert retrofit["variables"][0]["role"] == "product"
    answer = client.get(
        f"{URL}/{retrofit['id']}/verification", headers=world.headers("regulator")
    ).json()
    model = answer["model"]
    # baseline: coal = 0.2·output + 50 t exactly, in tce: × 0.7143
    # slope 0.2 × 0.7143 = 0.14286 tce/t, intercept 50 × 0.7143 = 35.715 tce; CV(RMSE) = 0
    assert model["coefficients"]["intercept"] == pytest.approx(35.715, abs=1e-6)
    assert model["coefficients"]["kiln3.out"] == pytest.approx(0.14286, abs=1e-9)
    assert model["cvrmse"] == pytest.approx(0.0, abs=1e-9)
    assert (model["n"], model["accepted"]) == (12, True)
    savings = answer["savings"]
    # adjusted baseline: 6 months × (0.2·1500 + 50) t × 0.7143 = 6 × 350 × 0.7143 = 1500.03
    # actual: 6 × (0.15·1500 + 50) × 0.7143 = 6 × 275 × 0.7143 = 1178.595 tce
    # avoided 321.435 tce over 6 months; per year × 12/6 = 642.87 tce/a
    assert savings["adjusted_baseline_tce"] == pytest.approx(1500.03, abs=1e-6)
    assert savings["actual_tce"] == pytest.approx(1178.595, abs=1e-6)
    assert savings["avoided_tce"] == pytest.approx(321.435, abs=1e-6)
    assert savings["annual_avoided_tce"] == pytest.approx(642.87, abs=1e-6)
    # coal at equal value = equivalent value (GB/T 2589: equal value differs for electricity
    # and heat only)
    assert savings["avoided_equal_tce"] == pytest.approx(321.435, abs=1e-6)
    # tCO2 of 1 t raw coal: 20.908 GJ × 0.02618 tC/GJ × 0.93 × 44/12 = 1.866535 tCO2
    # avoided: (6 × 350 − 6 × 275) t × 1.866535 = 450 × 1.866535 = 839.941 tCO2
    assert savings["avoided_tco2"] == pytest.approx(839.941, abs=1e-2)
    assert savings["uncertainty_tce"] == pytest.approx(0.0, abs=1e-6)
    claim = answer["claim"]
    # claimed 1285.74 tce/a: 642.87 / 1285.74 = 0.5 < 0.8 -> flagged
    assert claim["ratio"] == pytest.approx(0.5, abs=1e-9)
    assert claim["flagged"] is True


def test_adjustment_audited_and_counted(client, world, items):
    retrofit = _register(client, world, items).json()
    path = f"{URL}/{retrofit['id']}/adjustments"
    entry = {"month": "2025-03", "kind": "capacity", "amount_tce": 10.0, "reason": "新增一条生产线"}
    refused = client.post(path, json=entry, headers=world.headers("enterprise"))
    assert refused.status_code == 403
    made = client.post(path, json=entry, headers=world.headers("regulator"))
    assert made.status_code == 201, made.text
    outside = client.post(
        path, json=entry | {"month": "2024-03"}, headers=world.headers("regulator")
    )
    assert_error_shape(outside, 422, "adjustment_outside_reporting")
    answer = client.get(f"{URL}/{retrofit['id']}/verification", headers=world.headers("admin"))
    # avoided 321.435 + 10 = 331.435 tce
    assert answer.json()["savings"]["avoided_tce"] == pytest.approx(331.435, abs=1e-6)
    assert answer.json()["adjustments"][0]["reason"] == "新增一条生产线"
    log = client.get("/api/v1/audit?entity=retrofit_adjustment", headers=world.headers("auditor"))
    assert log.status_code == 200
    assert "新增一条生产线" in log.text


def test_bad_input_refused_in_the_error_shape(client, world, items, engine):
    bad_periods = [
        ({"baseline_to": "2024-06"}, "baseline_too_short", "baseline_to"),
        ({"installation_from": "2024-12"}, "retrofit_periods_overlap", "installation_from"),
        ({"reporting_from": "2025-01"}, "reporting_before_installation_end", "reporting_from"),
    ]
    for fields, code, field in bad_periods:
        made = _register(client, world, items, **fields)
        assert_error_shape(made, 422, code)
        assert made.json()["error"]["details"]["field"] == field
    # independent variables with no data: registered, refused when verified
    with engine.begin() as conn:
        empty = add_item(
            conn,
            world.enterprise_ids["a"],
            "kiln3.second",
            measures="product",
            usage="production",
            unit="t",
        )
    no_data = [
        {"name": "二号产品", "item_id": empty},
        {"name": "采暖度日数", "values": {"2024-01": 600.0}},  # one baseline month only
    ]
    for number, variable in enumerate(no_data):
        made = _register(client, world, items, name=f"改造{number}", variables=[variable])
        assert made.status_code == 201, made.text
        answer = client.get(
            f"{URL}/{made.json()['id']}/verification", headers=world.headers("admin")
        )
        assert_error_shape(answer, 422, "variable_without_data")
        assert answer.json()["error"]["details"]["field"] == "variables[1]"
    chinese = client.get(
        f"{URL}/{made.json()['id']}/verification",
        headers=world.headers("admin") | {"Accept-Language": "zh-CN"},
    )
    assert chinese.json()["error"]["message"] == "自变量“采暖度日数”在基准期没有数据"


def test_scope_ledger_and_documents(client, world, engine):
    with engine.begin() as conn:
        coal, output = kiln(conn, world.enterprise_ids["c"], "kiln3", reporting_rate=0.15)
        rebuild(conn)
    sent = body(world.enterprise_ids["c"], coal, output)
    refused = client.post(URL, json=sent, headers=world.headers("enterprise"))
    assert_error_shape(refused, 404, "enterprise_not_found")  # c is not the user's own
    retrofit = client.post(URL, json=sent, headers=world.headers("regulator")).json()
    # c lies in 210381: neither enterprise a's user nor the 210302 district sees it
    for role in ("enterprise", "district"):
        hidden = client.get(f"{URL}/{retrofit['id']}", headers=world.headers(role))
        assert_error_shape(hidden, 404, "retrofit_not_found")
        assert client.get(URL, headers=world.headers(role)).json()["items"] == []
    listed = client.get(URL, headers=world.headers("regulator")).json()
    assert (listed["total"], listed["flagged"]) == (1, 1)
    (line,) = listed["items"]
    assert (line["status"], line["flagged"]) == ("verified", True)
    assert line["verified_tce"] == pytest.approx(642.87, abs=1e-6)
    sheet = client.get(f"{URL}/ledger.xlsx", headers=world.headers("regulator"))
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][8] == "核验年节能量 (tce，当量值)"
    assert rows[2][2] == "3号轻烧窑改造"
    assert rows[2][8] == pytest.approx(642.87, abs=1e-6)
    assert rows[2][16] == "低于核验比例"
    pdf = client.get(f"{URL}/{retrofit['id']}/report.pdf", headers=world.headers("regulator"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
