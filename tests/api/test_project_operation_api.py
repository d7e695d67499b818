"""An operating project over the API, on SQLite and PostgreSQL: link, monthly comparison,
acceptance report; who may, and who sees.

Enterprise ``a`` (铁东区, the district user's division) applies; its project (1 551.5 tce,
see test_projects_api.BODY) is approved and linked to a daily coal and electricity item
metered in January and February 2025 at 7 t and 1 000 kWh a day: 5.1230 tce a day, 365 x
5.1230 = 1 869.895 tce annualised, +20.52 % over the approval.
"""

from __future__ import annotations

from datetime import date

import pytest
from api_support import assert_error_shape
from test_projects_api import create, step, upload

from factories import add_item
from nenghao.standards.calendar import cst_midnight
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings


def _approved(client, world) -> int:
    pid = create(client, world).json()["id"]
    assert upload(client, world, pid, "energy_report").status_code == 201
    assert step(client, world, pid, "submit", role="enterprise").status_code == 200
    assert step(client, world, pid, "accept").status_code == 200
    assert step(client, world, pid, "opinion", expert="王工", opinion="同意").status_code == 200
    assert step(client, world, pid, "approve", conditions="投产后一年内节能验收").status_code == 200
    return pid


def _metered(engine, enterprise: int) -> list[int]:
    with engine.begin() as conn:
        coal = add_item(conn, enterprise, "L.COAL", energy_kind="raw_coal", unit="t", period="day")
        elec = add_item(
            conn, enterprise, "L.ELEC", energy_kind="electricity", unit="kWh", period="day"
        )
        rows = []
        for k in range(59):  # 2025-01-01 .. 2025-02-28
            start = cst_midnight(date(2025, 1, 1)) + k * 86_400
            for item, value in ((coal, 7.0), (elec, 1000.0)):
                rows.append(
                    {
                        "item_id": item,
                        "period": "day",
                        "period_start": start,
                        "value": value,
                        "source": "test",
                        "received_at": start,
                    }
                )
        conn.execute(readings.insert(), rows)
        rebuild(conn, [coal, elec])
    return [coal, elec]


def test_link_compare_and_print(client, world, engine, monkeypatch) -> None:
    import nenghao.review.operation as operation_module

    monkeypatch.setattr(operation_module, "today_cst", lambda: date(2025, 3, 1))
    pid = _approved(client, world)
    items = _metered(engine, world.enterprise_ids["a"])
    url = f"/api/v1/projects/{pid}"
    # the enterprise reads but does not link; a link needs the commissioning date first
    refused = client.post(
        url + "/items", json={"item_ids": items}, headers=world.headers("enterprise")
    )
    assert_error_shape(refused, 403, "forbidden")
    undated = client.post(
        url + "/items", json={"item_ids": items}, headers=world.headers("district")
    )
    assert_error_shape(undated, 422, "project_step_incomplete")
    with engine.begin() as conn:
        foreign = add_item(
            conn, world.enterprise_ids["c"], "C.ELEC", energy_kind="electricity", unit="kWh"
        )
    body = {"item_ids": [foreign], "commissioned_on": "2025-01-01"}
    other = client.post(url + "/items", json=body, headers=world.headers("regulator"))
    assert_error_shape(other, 422, "project_item_not_linkable")
    body = {"item_ids": items, "commissioned_on": "2025-01-01"}
    linked = client.post(url + "/items", json=body, headers=world.headers("district"))
    assert linked.status_code == 200, linked.text
    assert linked.json()["commissioned_on"] == "2025-01-01"
    assert [i["id"] for i in linked.json()["items"]] == items
    answer = client.get(url + "/operation", headers=world.headers("enterprise"))
    assert answer.status_code == 200, answer.text
    got = answer.json()
    assert got["state"] == "compared"
    assert got["enterprise_name"] == "鞍钢示范钢铁有限公司"
    first = got["comparison"]["figures"][0]
    assert first["name_zh"] == "年综合能源消费量（当量值）"
    assert first["approved"] == pytest.approx(1551.5)
    assert first["actual"] == pytest.approx(1869.895)
    assert first["over"] is True
    assert got["comparison"]["severity"] == "warning"
    assert [m["month"] for m in got["months"]] == ["2025-01", "2025-02"]
    pdf = client.get(url + "/acceptance.pdf", headers=world.headers("auditor"))
    if pdf.status_code == 503:
        pytest.skip("no Chinese font installed")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_outside_scope_looks_missing_and_a_draft_does_not_operate(client, world, engine) -> None:
    pid = create(client, world).json()["id"]
    url = f"/api/v1/projects/{pid}"
    assert_error_shape(
        client.get(url + "/operation", headers=world.headers("enterprise")),
        409,
        "project_not_commissionable",
    )
    with engine.begin() as conn:
        item = add_item(
            conn, world.enterprise_ids["a"], "D.ELEC", energy_kind="electricity", unit="kWh"
        )
    body = {"item_ids": [item], "commissioned_on": "2025-01-01"}
    assert_error_shape(
        client.post(url + "/items", json=body, headers=world.headers("regulator")),
        409,
        "project_not_commissionable",
    )
    # a project of enterprise c (海城市) is outside the district's division (铁东区)
    other = create(
        client, world, role="regulator", applicant_enterprise_id=world.enterprise_ids["c"]
    )
    assert other.status_code == 201, other.text
    hidden = f"/api/v1/projects/{other.json()['id']}/operation"
    assert_error_shape(
        client.get(hidden, headers=world.headers("district")), 404, "project_not_found"
    )
    assert_error_shape(
        client.get(hidden, headers=world.headers("enterprise")), 404, "project_not_found"
    )
