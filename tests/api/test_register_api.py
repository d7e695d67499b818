"""The enterprise register: energy manager and contacts through the API, on both backends."""

from __future__ import annotations

from typing import Any

from api_support import assert_error_shape
from sqlalchemy import select

from nenghao.store.schema import audit_log

ZH = {"Accept-Language": "zh-CN"}
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_char(first17: str) -> str:
    """GB 32100-2015 check character, written out here from the standard's formula."""
    total = sum(CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CHARS[(31 - total % 31) % 31]


CODE17 = "91210381MA0REG001"
CODE = CODE17 + check_char(CODE17)
MANAGER = {"name": "王能源", "phone": "13904121234", "certificate_number": "辽能管(2024)-0031"}
CONTACTS = [
    {"name": "李联络", "role": "能源科科长", "phone": "0412-5551234", "email": "li@example.cn"},
    {"name": "赵统计", "phone": "15841200000"},
]


def body(**extra: Any) -> dict[str, Any]:
    return {
        "credit_code": CODE,
        "name": "海城登记测试有限公司",
        "division_code": "210381",
        "industry_code": "3089",
        "key_unit_level": "designated",
        "address": "海城市腾鳌镇",
        **extra,
    }


def test_create_with_manager_and_contacts_and_read_back(client, world) -> None:
    admin = world.headers("admin")
    created = client.post(
        "/api/v1/enterprises", json=body(manager=MANAGER, contacts=CONTACTS), headers=admin
    )
    assert created.status_code == 201, created.text
    got = client.get(f"/api/v1/enterprises/{created.json()['id']}", headers=admin).json()
    assert got["credit_code"] == CODE
    assert got["key_unit_level"] == "designated"
    assert got["manager"] == {**MANAGER, "email": None}
    assert got["contacts"] == [
        CONTACTS[0],
        {"name": "赵统计", "role": None, "phone": "15841200000", "email": None},
    ]


def test_bad_phone_is_422_in_chinese_and_nothing_is_stored(client, world) -> None:
    admin = {**world.headers("admin"), **ZH}
    bad = [{"name": "李联络", "phone": "0412-5551234"}, {"name": "钱", "phone": "12345678901"}]
    response = client.post("/api/v1/enterprises", json=body(contacts=bad), headers=admin)
    error = assert_error_shape(response, 422, "invalid_phone")
    assert error["message"].startswith("第 2 位联系人电话：“12345678901”不是有效的电话号码")
    assert error["details"] == {"field": "contacts[1].phone"}
    listing = client.get(f"/api/v1/enterprises?q={CODE}", headers=admin).json()
    assert listing["total"] == 0


def test_full_width_digits_are_refused(client, world) -> None:
    """A full-width digit is not a digit of a phone number."""
    admin = {**world.headers("admin"), **ZH}
    enterprise = world.enterprise_ids["a"]
    response = client.patch(
        f"/api/v1/enterprises/{enterprise}/contacts",
        json={"manager": {"name": "王", "phone": "1390412123４"}},
        headers=admin,
    )
    error = assert_error_shape(response, 422, "invalid_phone")
    assert error["message"].startswith("能源管理负责人电话：")
    assert error["details"] == {"field": "manager.phone"}


def test_wrong_check_character_and_duplicates(client, world) -> None:
    admin = {**world.headers("admin"), **ZH}
    wrong = CODE17 + CHARS[(CHARS.index(CODE[-1]) + 1) % 31]
    response = client.post("/api/v1/enterprises", json=body(credit_code=wrong), headers=admin)
    assert assert_error_shape(response, 422, "invalid_credit_code")["message"].startswith(
        "统一社会信用代码"
    )
    assert client.post("/api/v1/enterprises", json=body(), headers=admin).status_code == 201
    again = client.post("/api/v1/enterprises", json=body(), headers=admin)
    assert "已登记" in assert_error_shape(again, 409, "duplicate_credit_code")["message"]
    unknown = client.post(
        "/api/v1/enterprises",
        json=body(
            credit_code="91210381MA0REG002" + check_char("91210381MA0REG002"), industry_code="9999"
        ),
        headers=admin,
    )
    assert_error_shape(unknown, 422, "unknown_industry")


def test_enterprise_keeps_its_own_manager_and_contacts(client, world, engine) -> None:
    own = world.enterprise_ids["a"]
    headers = world.headers("enterprise")
    changed = client.patch(
        f"/api/v1/enterprises/{own}/contacts", json={"manager": MANAGER}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["manager"]["certificate_number"] == MANAGER["certificate_number"]
    assert changed.json()["contacts"] == []
    # not another enterprise's, and not its own name through the regulators' route
    other = world.enterprise_ids["b"]
    response = client.patch(
        f"/api/v1/enterprises/{other}/contacts", json={"contacts": []}, headers=headers
    )
    assert_error_shape(response, 404, "enterprise_not_found")
    response = client.patch(f"/api/v1/enterprises/{own}", json={"name": "改名"}, headers=headers)
    assert_error_shape(response, 403, "forbidden")
    with engine.connect() as conn:
        row = conn.execute(
            select(audit_log.c.before, audit_log.c.after).where(
                audit_log.c.entity == "enterprise_contacts"
            )
        ).one()
    assert row.before == {"manager": None, "contacts": []}
    assert row.after["manager"]["name"] == "王能源"


def test_patch_replaces_contacts_wholesale_and_null_removes_manager(client, world) -> None:
    admin = world.headers("admin")
    url = f"/api/v1/enterprises/{world.enterprise_ids['c']}"
    client.patch(url, json={"manager": MANAGER, "contacts": CONTACTS}, headers=admin)
    answer = client.patch(url, json={"contacts": [{"name": "新联系人"}]}, headers=admin).json()
    assert [c["name"] for c in answer["contacts"]] == ["新联系人"]
    assert answer["manager"]["name"] == "王能源"
    answer = client.patch(url, json={"manager": None}, headers=admin).json()
    assert answer["manager"] is None
    assert client.get(url, headers=world.headers("auditor")).json()["contacts"][0]["name"] == (
        "新联系人"
    )
