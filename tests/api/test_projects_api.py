"""The project register and its review over the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from api_support import PASSWORD, assert_error_shape, credit_code

from nenghao.store import tokens, users
from notice_files import EXE, PDF

BODY = {
    "name": "年产 5 万吨涂料项目",
    "industry_code": "2641",
    "construction_type": "new",
    "first_full_year": 2030,
    "output_value": 50000,
    "added_value": 12000,
    "energy": [
        {"energy": "raw_coal", "quantity": 2000, "unit": "t"},
        {"energy": "electricity", "quantity": 100, "unit": "万kWh"},
    ],
    "products": [{"name": "涂料", "capacity": 50000, "unit": "t"}],
}
"""1 428.6 + 122.9 = 1 551.5 tce (local tier, reviewed by the city)."""


def enterprise_user(engine, world, label: str) -> dict[str, str]:
    with engine.begin() as conn:
        row = users.create(
            conn,
            username=f"user-{label}",
            password=PASSWORD,
            role="enterprise",
            enterprise_id=world.enterprise_ids[label],
            actor="test",
        )
        token = tokens.issue(conn, row["id"], 30).token
    return {"Authorization": f"Bearer {token}"}


def create(client, world, role="enterprise", **fields):
    return client.post("/api/v1/projects", json={**BODY, **fields}, headers=world.headers(role))


def step(client, world, pid, action, role="regulator", **body):
    return client.post(f"/api/v1/projects/{pid}/{action}", json=body, headers=world.headers(role))


def upload(client, world, pid, kind, name="报告.pdf", data=PDF, role="enterprise"):
    return client.post(
        f"/api/v1/projects/{pid}/documents",
        data={"kind": kind},
        files={"file": (name, data, "application/octet-stream")},
        headers=world.headers(role),
    )


def test_a_project_through_every_state(client, world, engine) -> None:
    made = create(client, world)
    assert made.status_code == 201, made.text
    project = made.json()
    pid = project["id"]
    assert project["status"] == "draft"
    assert project["status_zh"] == "草稿"
    assert project["review_tier"] == "local"
    assert project["review_level"] == "city"
    assert project["applicant"] == "鞍钢示范钢铁有限公司"
    assert project["division_name"] == "铁东区"
    assert project["industry_name"] == "涂料制造"
    assert project["assessment"]["counted_tce"] == pytest.approx(1551.5)
    assert project["actions"] == ["submit", "withdraw"]
    assert project["explanation"]
    assert {s["level"] for s in project["headroom"]["subjects"]} == {"city", "division"}
    refused = step(client, world, pid, "submit", role="enterprise")
    assert_error_shape(refused, 409, "project_document_missing")
    assert upload(client, world, pid, "energy_report").status_code == 201
    assert step(client, world, pid, "submit", role="enterprise").status_code == 200
    assert_error_shape(
        step(client, world, pid, "accept", role="district"), 403, "project_action_forbidden"
    )
    returned = step(client, world, pid, "return", comment="补充设备清单")
    assert returned.json()["status"] == "draft"
    edited = client.put(
        f"/api/v1/projects/{pid}",
        json={**BODY, "name": "改名"},
        headers=world.headers("enterprise"),
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["name"] == "改名"
    assert step(client, world, pid, "submit", role="enterprise").status_code == 200
    inbox = client.get("/api/v1/review/inbox", headers=world.headers("regulator")).json()
    assert [p["id"] for p in inbox["items"]] == [pid]
    assert inbox["items"][0]["actions"] == ["return", "accept"]
    accepted = step(client, world, pid, "accept").json()
    assert accepted["status"] == "under_review"
    assert accepted["due_at"] is not None
    assert accepted["overdue"] is False
    opinion = step(client, world, pid, "opinion", expert="王工", opinion="同意")
    assert opinion.json()["status"] == "expert_review"
    approved = step(client, world, pid, "approve", conditions="投产后一年内节能验收").json()
    assert approved["status"] == "approved"
    assert approved["status_zh"] == "审查通过"
    history = client.get(f"/api/v1/projects/{pid}/steps", headers=world.headers("auditor")).json()
    assert [s["action"] for s in history["items"]] == [
        "create",
        "document",
        "submit",
        "return",
        "update",
        "submit",
        "accept",
        "opinion",
        "approve",
    ]
    assert history["items"][-1]["action_zh"] == "审查通过"
    late = step(client, world, pid, "withdraw", role="enterprise")
    body = assert_error_shape(late, 409, "project_transition_not_allowed")
    assert body["details"]["allowed"] == ["commission"]
    done = step(client, world, pid, "commission", role="enterprise", commissioned_on="2029-06-30")
    assert done.json()["commissioned_on"] == "2029-06-30"


def test_scope_another_enterprise_and_district_limits(client, world, engine) -> None:
    pid = create(client, world).json()["id"]
    other = enterprise_user(engine, world, "c")
    assert_error_shape(
        client.get(f"/api/v1/projects/{pid}", headers=other), 404, "project_not_found"
    )
    assert client.get("/api/v1/projects", headers=other).json()["total"] == 0
    far = create(client, world, role="regulator", applicant_enterprise_id=world.enterprise_ids["c"])
    assert far.status_code == 201, far.text
    district = world.headers("district")
    assert_error_shape(client.get(f"/api/v1/projects/{far.json()['id']}", headers=district), 404)
    mine = client.get("/api/v1/projects", headers=district).json()
    assert [p["id"] for p in mine["items"]] == [pid]
    outside = create(
        client, world, role="district", applicant_enterprise_id=world.enterprise_ids["c"]
    )
    assert_error_shape(outside, 422, "unknown_enterprise")
    assert client.get("/api/v1/review/inbox", headers=district).json()["total"] == 0


def test_a_new_applicant_and_exempt_filing_by_the_district(client, world) -> None:
    small = [{"energy": "raw_coal", "quantity": 100, "unit": "t"}]
    made = create(
        client,
        world,
        role="district",
        applicant_name="新建涂料有限公司",
        applicant_credit_code=credit_code("y", "210302"),
        division_code="210302",
        energy=small,
    )
    assert made.status_code == 201, made.text
    project = made.json()
    assert (project["applicant"], project["review_tier"], project["review_level"]) == (
        "新建涂料有限公司",
        "exempt",
        "district",
    )
    pid = project["id"]
    assert upload(client, world, pid, "commitment", role="district").status_code == 201
    assert step(client, world, pid, "submit", role="district").status_code == 200
    assert_error_shape(
        step(client, world, pid, "accept", role="district"), 409, "project_transition_not_allowed"
    )
    assert_error_shape(step(client, world, pid, "file", role="regulator"), 403)
    filed = step(client, world, pid, "file", role="district").json()
    assert (filed["status"], filed["status_zh"]) == ("filed", "已备案")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"energy": [{"energy": "raw_coal", "quantity": -1, "unit": "t"}]}, "validation_error"),
        ({"energy": [{"energy": "moonshine", "quantity": 1, "unit": "t"}]}, "unknown_energy_kind"),
        ({"construction_type": "reconstruction"}, "existing_consumption_required"),
        ({"industry_code": "9999"}, "unknown_industry"),
    ],
)
def test_bad_input_is_a_clear_422(client, world, change, code) -> None:
    assert_error_shape(create(client, world, **change), 422, code)


COAL, POWER = BODY["energy"]
"""The body's two lines: raw coal [t] and electricity [万kWh]."""


@pytest.mark.parametrize(
    ("change", "code", "field", "zh"),
    [
        (
            {"energy": [COAL, POWER, {"energy": "moonshine", "quantity": 1, "unit": "t"}]},
            "unknown_energy_kind",
            "energy[2].energy",
            "第 3 行能源：未知的能源品种“moonshine”",
        ),
        (
            {"energy": [COAL, POWER, {**COAL, "unit": "furlong"}]},
            "unknown_unit",
            "energy[2].unit",
            "第 3 行能源（原煤）：未知的计量单位“furlong”，可用 kg、g、t、万t",
        ),
        (
            {"energy": [COAL, {**POWER, "unit": "t"}]},
            "unit_dimension_mismatch",
            "energy[1].unit",
            "第 2 行能源（电力）：计量单位“t”是质量单位，电力按能量计量",
        ),
        (
            {"construction_type": "reconstruction", "existing": [{**COAL, "unit": "kWh"}]},
            "unit_dimension_mismatch",
            "existing[0].unit",
            "改建前第 1 行能源（原煤）：计量单位“kWh”是能量单位，原煤按质量计量",
        ),
        (
            {
                "products": [
                    {"name": "涂料", "capacity": 1},
                    {"product": "paint", "name": "漆", "capacity": 1},
                ]
            },
            "unknown_key",
            "products[1].product",
            "第 2 个产品（漆）：能耗限额目录中没有产品“paint”，可选：烧结工序、球团工序",
        ),
    ],
)
def test_a_line_the_catalogue_cannot_read_is_refused_at_its_field(
    client, world, change, code, field, zh
) -> None:
    chinese = {**world.headers("enterprise"), "Accept-Language": "zh-CN"}
    answer = client.post("/api/v1/projects", json={**BODY, **change}, headers=chinese)
    error = assert_error_shape(answer, 422, code)
    assert error["details"]["field"] == field
    assert zh in error["message"]
    english = create(client, world, **change).json()["error"]
    assert english["details"]["field"] == field
    assert english["message"].startswith(f"{field}: ")


def test_documents_are_checked_by_content(client, world) -> None:
    pid = create(client, world).json()["id"]
    assert_error_shape(
        upload(client, world, pid, "other", "a.pdf", EXE), 422, "attachment_type_forbidden"
    )
    assert_error_shape(
        upload(client, world, pid, "other", "a.docx", PDF), 422, "attachment_type_mismatch"
    )
    ok = upload(client, world, pid, "other")
    assert ok.json()["kind_zh"] == "其他"
    listed = client.get(f"/api/v1/projects/{pid}/documents", headers=world.headers("regulator"))
    doc = listed.json()["items"][0]
    got = client.get(
        f"/api/v1/projects/{pid}/documents/{doc['id']}", headers=world.headers("enterprise")
    )
    assert got.content == PDF
