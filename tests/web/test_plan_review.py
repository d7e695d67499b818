"""The collection plan (采集方案) in the browser: the enterprise submits its items; the district
finds the plan on 采集方案审核 and returns it with a comment; the enterprise sees the comment,
changes an item and submits again; the district approves it and the items lose their 待审核
tag."""

from __future__ import annotations

from typing import Any

import httpx

from .conftest import opened
from .review_steps import plan_card as _plan
from .review_steps import review_plan
from .web_helpers import Server, login, login_as, ready, shoot

USER, PASSWORD = "plan-energy-manager", "plan-review-7-long"
COMMENT = "请补充电能表的检定有效期"
ITEM = {"name": "三号变压器电力", "measures": "energy", "energy_kind": "电力"}
ITEM |= {"unit": "kWh", "period": "hour"}


def _manager(server: Server) -> tuple[int, dict[str, str]]:
    """An enterprise user of an enterprise in the district's division (created by the admin),
    and the headers of its session."""
    own = server.api("district", "/enterprises", page_size=1)["items"][0]["id"]
    user = {"username": USER, "password": PASSWORD, "role": "enterprise", "enterprise_id": own}
    made = server.send("admin", "POST", "/users", json=user)
    assert made.status_code == 201, made.text
    login = {"username": USER, "password": PASSWORD}
    token = httpx.post(f"{server.url}/api/v1/auth/login", json=login).json()["token"]
    return own, {"Authorization": f"Bearer {token}"}


def test_submit_return_resubmit_approve(page: Any, browser: Any, server: Server) -> None:
    own, manager = _manager(server)
    url = f"{server.url}/api/v1/enterprises/{own}"
    made = httpx.post(f"{url}/items", json=ITEM, headers=manager).json()
    assert made["approval"] == "draft"

    login_as(page, USER, PASSWORD)
    page.goto(f"/enterprises/{own}?tab=items")
    ready(page, "items")
    row = page.locator("[data-testid=items-table] .el-table__body tr", has_text=made["code"])
    assert row.first.get_by_test_id("item-approval").inner_text() == "待审核"
    _plan(page, "draft").get_by_test_id("plan-submit").click()
    assert _plan(page, "submitted").get_by_test_id("plan-status").inner_text() == "已提交"
    assert page.get_by_test_id("plan-approve").count() == 0  # not for its own plan

    with opened(browser, server, viewport={"width": 1440, "height": 900}) as district:
        login(district, server, "district")
        district.goto("/enterprises/plans")
        ready(district, "plans")
        listed = district.locator("[data-testid=plans-table] .el-table__body tr")
        assert listed.count() >= 1
        shoot(district, "plans-review")
        review_plan(district, own, "return", COMMENT)
        _plan(district, "returned")

        page.reload()
        card = _plan(page, "returned")
        assert COMMENT in card.get_by_test_id("plan-comment").inner_text()
        assert card.get_by_test_id("plan-status").inner_text() == "已退回"
        shoot(page, "plan-returned")
        changed = httpx.patch(
            f"{url}/items/{made['id']}",
            json={"calibration_due": "2027-06-30", "reason": "按审核意见补充"},
            headers=manager,
        )
        assert changed.status_code == 200, changed.text
        page.reload()
        _plan(page, "returned").get_by_test_id("plan-submit").click()
        assert "第 2 版" in _plan(page, "submitted").get_by_test_id("plan-version").inner_text()

        review_plan(district, own, "approve", "同意")
        _plan(district, "approved")

    page.reload()
    _plan(page, "approved")
    ready(page, "items")
    row = page.locator("[data-testid=items-table] .el-table__body tr", has_text=made["code"])
    assert row.first.get_by_test_id("item-approval").count() == 0
    versions = server.api("district", f"/enterprises/{own}/plan/versions")["items"]
    assert [(v["status"], v["comment"]) for v in versions[:2]] == [
        ("approved", "同意"),
        ("returned", COMMENT),
    ]
