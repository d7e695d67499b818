"""The two-high ledger and rectification plans over HTTP, on both databases: scoping, the
refusals, and the XLSX against figures worked by hand.

Today is fixed at 2026-12-05 10:00 CST: the ledger reads 2025-12-01 .. 2026-11-30.
Enterprise ``a``'s 4号高炉: 500 t coke x 971.4 kgce/t = 485 700 kgce over 971.4 t of hot
metal = 500.00 kgce/t > baseline 435 (benchmark 361, both unverified) -> 低于基准水平.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from api_support import assert_error_shape
from openpyxl import load_workbook

from nenghao.standards.calendar import cst_midnight
from nenghao.store import common
from nenghao.store.rollups import rebuild
from two_high_city import furnace

NOW = cst_midnight(date(2026, 12, 5)) + 10 * 3600
URL = "/api/v1/two-high"
PLAN = {
    "measures": "更换高效热风炉",
    "deadline": "2027-06-30",
    "responsible_name": "王工",
    "responsible_phone": "13800000000",
}


@pytest.fixture
def seeded(engine, world, monkeypatch):
    monkeypatch.setattr(common, "now", lambda: NOW)
    with engine.begin() as conn:
        item = furnace(conn, world.enterprise_ids["a"], "bf4", {(2026, 8): 500.0})
        rebuild(conn)
    return item


def _add(client, world, role, label, **fields):
    body = {"enterprise_id": world.enterprise_ids[label], "sector": "steel", "name": "4号高炉"}
    return client.post(f"{URL}/installations", json=body | fields, headers=world.headers(role))


def test_ledger_plan_and_progress(client, world, seeded):
    made = _add(client, world, "regulator", "a", product="hot_metal", item_id=seeded)
    assert made.status_code == 201, made.text
    installation = made.json()
    assert (installation["sector_name"], installation["enterprise_name"]) == (
        "钢铁",
        "鞍钢示范钢铁有限公司",
    )
    page = client.get(f"{URL}/installations", headers=world.headers("regulator")).json()
    assert (page["start"], page["end"], page["partial"]) == ("2025-12-01", "2026-11-30", False)
    (row,) = page["items"]
    assert row["unit_consumption"] == 500.0
    assert (row["position"], row["flag_zh"]) == ("worse_than_baseline", "需整改，未制定方案")
    assert page["unregistered_enterprises"] == 1  # b (3120) has no installation
    unregistered = client.get(f"{URL}/unregistered", headers=world.headers("regulator")).json()
    assert [r["enterprise_name"] for r in unregistered["items"]] == ["铁东轧钢有限公司"]
    plan = client.post(
        f"{URL}/installations/{installation['id']}/plans",
        json=PLAN,
        headers=world.headers("district"),
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    assert plan.json()["target_unit_consumption"] == 435.0
    note = client.post(
        f"{URL}/plans/{plan_id}/updates",
        json={"on_date": "2026-12-01", "text": "热风炉已招标"},
        headers=world.headers("enterprise"),
    )
    assert note.status_code == 201, note.text
    notes = client.get(f"{URL}/plans/{plan_id}/updates", headers=world.headers("enterprise"))
    assert notes.json()["total"] == 1
    detail = client.get(f"{URL}/plans/{plan_id}", headers=world.headers("enterprise")).json()
    assert detail["state"] == "open"
    assert detail["completion"]["met"] is False  # no data in September-November
    refused = client.post(f"{URL}/plans/{plan_id}/complete", headers=world.headers("regulator"))
    assert_error_shape(refused, 409, "rectification_target_not_met")
    stale = client.patch(
        f"{URL}/plans/{plan_id}",
        json={"version": 9, "measures": "改"},
        headers={**world.headers("regulator"), "Accept-Language": "zh-CN"},
    )
    error = assert_error_shape(stale, 409, "rectification_plan_version_conflict")
    assert "刷新" in error["message"]
    page = client.get(f"{URL}/installations", headers=world.headers("regulator")).json()
    assert (page["items"][0]["flag_zh"], page["items"][0]["open_plan_id"]) == (None, plan_id)
    single = client.get(
        f"{URL}/installations/{installation['id']}", headers=world.headers("enterprise")
    ).json()
    assert len(single["series"]) == 12
    august = next(p for p in single["series"] if p["month"] == "2026-08")
    assert august["unit_consumption"] == 500.0


def test_scoping(client, world, seeded):
    own = _add(client, world, "regulator", "a").json()
    other = _add(client, world, "regulator", "c", sector="ferroalloy", name="1号矿热炉").json()
    hidden = client.get(f"{URL}/installations/{other['id']}", headers=world.headers("enterprise"))
    assert_error_shape(hidden, 404, "installation_not_found")
    seen = client.get(f"{URL}/installations/{own['id']}", headers=world.headers("enterprise"))
    assert seen.status_code == 200
    district = client.get(f"{URL}/installations", headers=world.headers("district")).json()
    assert [row["id"] for row in district["items"]] == [own["id"]]
    outside = _add(client, world, "district", "c", name="2号矿热炉", sector="ferroalloy")
    assert_error_shape(outside, 404, "enterprise_not_found")
    closed = client.patch(
        f"{URL}/installations/{other['id']}",
        json={"status": "closed"},
        headers=world.headers("district"),
    )
    assert_error_shape(closed, 404, "installation_not_found")
    forbidden = client.post(
        f"{URL}/installations/{own['id']}/plans", json=PLAN, headers=world.headers("enterprise")
    )
    assert_error_shape(forbidden, 403)


def test_refusals(client, world, seeded):
    _add(client, world, "regulator", "a")
    assert_error_shape(_add(client, world, "regulator", "a"), 409, "duplicate_installation")
    unknown = _add(client, world, "regulator", "a", name="x", sector="nonsense")
    assert_error_shape(unknown, 422, "unknown_two_high_sector")
    product = _add(client, world, "regulator", "a", name="y", product="widgets")
    assert_error_shape(product, 422, "unknown_quota_product")
    mismatch = _add(client, world, "regulator", "a", name="z", product="sinter", item_id=seeded)
    assert_error_shape(mismatch, 422, "installation_item_mismatch")
    no_level = _add(client, world, "regulator", "a", name="烧结机", product="sinter").json()
    target = client.post(
        f"{URL}/installations/{no_level['id']}/plans",
        json=PLAN,
        headers=world.headers("regulator"),
    )
    assert_error_shape(target, 422, "rectification_target_required")
    past = client.post(
        f"{URL}/installations/{no_level['id']}/plans",
        json=PLAN | {"deadline": "2026-12-04", "target_unit_consumption": 50.0},
        headers=world.headers("regulator"),
    )
    assert_error_shape(past, 422, "rectification_deadline_past")
    made = client.post(
        f"{URL}/installations/{no_level['id']}/plans",
        json=PLAN | {"target_unit_consumption": 50.0},
        headers=world.headers("regulator"),
    )
    assert made.status_code == 201
    gone = client.delete(f"{URL}/installations/{no_level['id']}", headers=world.headers("admin"))
    assert_error_shape(gone, 409, "installation_has_plans")


def test_ledger_xlsx_matches_the_hand_computation(client, world, seeded):
    _add(client, world, "regulator", "a", product="hot_metal", item_id=seeded)
    response = client.get(f"{URL}/ledger.xlsx", headers=world.headers("district"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["两高装置台账"]
    title = sheet["A1"].value
    assert "铁东区存量两高项目台账" in title
    assert "2025-12-01 至 2026-11-30" in title
    assert "导出日期 2026-12-05" in title
    headers = [cell.value for cell in sheet[3]]
    assert headers[9] == "单位产品能耗 (kgce/t)"
    row = [cell.value for cell in sheet[4]]
    assert row[1:5] == ["鞍钢示范钢铁有限公司", "铁东区", "钢铁", "4号高炉"]
    # 485 700 kgce / 971.4 t = 500.00 kgce/t; benchmark 361, baseline 435 (unverified)
    assert row[9:15] == [
        500.0,
        361.0,
        435.0,
        "发改产业〔2023〕723号",
        "未核实",
        "低于基准水平（需整改）",
    ]
    assert row[15] == "需整改，未制定方案"
    missing = book["未登记装置"]
    assert [missing.cell(3, 2).value, missing.cell(3, 6).value] == [
        "铁东轧钢有限公司",
        "未登记装置",
    ]
