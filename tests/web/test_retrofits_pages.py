"""节能改造项目 as the city regulator, in Chinese: a kiln retrofit registered through the API
is listed under 双碳管理 with its claim; its page shows the project and, on the M&V tab, the
refusal in Chinese (the 5-day demo has no data in a year-long baseline).

The verified figures are pinned by tests/api/test_retrofits_api.py; this checks the pages."""

from __future__ import annotations

from .web_helpers import Server, login, settle, shoot


def test_a_kiln_retrofit_from_the_list_to_its_mv_tab(page, server: Server) -> None:
    enterprises = server.api("regulator", "/enterprises", q="牌楼", page_size=5)["items"]
    enterprise = enterprises[0]["id"]
    items = server.api("regulator", f"/enterprises/{enterprise}/items", page_size=200)["items"]
    codes = {item["code"]: item["id"] for item in items}
    body = {
        "enterprise_id": enterprise,
        "name": "1号轻烧窑改造（页面检查）",
        "energy_items": [codes["kiln.raw_coal"]],
        "product_item": codes["kiln.light_burned_magnesia"],
        "baseline_from": "2020-01",
        "baseline_to": "2020-12",
        "installation_from": "2021-01",
        "installation_to": "2021-01",
        "reporting_from": "2021-02",
        "reporting_to": "2021-12",
        "claimed_saving_tce": 3012.2,
        "measures": {"kiln_before": "反射窑", "kiln_after": "悬浮窑"},
    }
    made = server.send("regulator", "POST", "/retrofits", json=body)
    assert made.status_code == 201, made.text
    retrofit = made.json()["id"]
    login(page, server, "regulator")
    page.goto("/carbon/retrofits")
    settle(page)
    assert page.get_by_text("双碳管理").first.is_visible()
    link = page.locator(f"[data-testid=retrofit-link][data-id='{retrofit}']")
    assert link.inner_text() == "1号轻烧窑改造（页面检查）"
    row = link.locator("xpath=ancestor::tr")
    assert "3,012.2" in row.inner_text()
    assert row.get_by_test_id("retrofit-status").get_attribute("data-status") == "no_data"
    shoot(page, "retrofits-list")
    link.click()
    settle(page)
    assert page.get_by_role("tab", name="测量和验证").get_attribute("aria-selected") == "true"
    assert "基准期内项目的能源数据项没有数据" in page.get_by_test_id("retrofit").inner_text()
    page.get_by_role("tab", name="项目信息").click()
    project = page.get_by_test_id("retrofit-project").inner_text()
    assert "反射窑 / 悬浮窑" in project
    assert "2020-01 – 2020-12" in project
    shoot(page, "retrofit-detail")
