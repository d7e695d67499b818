"""The review pages in the browser, in the user's language. 新建项目: a line the catalogue
cannot read is refused by the API at its field (``details.field`` ``energy[0].unit``) and the
form shows the Chinese message beside that line, naming it (第 1 行能源（电力）…). 评估: the
clause sources and the caveats are Chinese in Chinese and English in English."""

from __future__ import annotations

import re
from typing import Any

from .review_steps import pick
from .web_helpers import Server, login, settle


def test_a_wrong_unit_is_shown_beside_its_line(page: Any, server: Server) -> None:
    login(page, server, "enterprise")
    page.goto("/review/projects/new")
    settle(page)
    page.locator("[data-testid=project-form][data-ready=true]").wait_for()
    page.get_by_test_id("pj-name").fill("单位有误的项目")
    pick(page, page.get_by_test_id("pj-energy-kind-0"), re.compile(r"^电力$"))
    page.get_by_test_id("pj-energy-qty-0").locator("input").fill("730")
    unit = page.get_by_test_id("pj-energy-unit-0")
    unit.get_by_text("万kWh").wait_for()
    unit.click()
    unit.locator("input").fill("t")
    page.get_by_role("option", name=re.compile(r"^t$")).first.click()
    page.get_by_test_id("pj-save").click()
    beside = page.get_by_test_id("pj-energy-error-0")
    beside.wait_for()
    assert "第 1 行能源（电力）：计量单位“t”是质量单位，电力按能量计量" in beside.inner_text()
    assert re.search(r"/review/projects/new$", page.url)


def test_the_assessment_speaks_the_page_language(page: Any, server: Server) -> None:
    """评估: the clause's source and the caveats in Chinese in Chinese, in English in English."""
    projects = server.api("regulator", "/projects", status="approved", page_size=50)["items"]
    pid = projects[0]["id"]
    login(page, server, "regulator")
    page.goto(f"/review/projects/{pid}?tab=assessment")
    page.get_by_test_id("assess-tier").wait_for()
    assert "《固定资产投资项目节能审查办法》" in page.get_by_test_id("tier-source").inner_text()
    page.locator("details.notes summary").click()
    notes = page.get_by_test_id("assess-notes").inner_text()
    assert "待核实：" in notes
    assert "verify:" not in notes
    page.get_by_test_id("language").click()
    page.get_by_role("option", name="English").click()
    page.locator("html[lang=en]").wait_for()
    assert "Article" in page.get_by_test_id("tier-source").inner_text()
    notes = page.get_by_test_id("assess-notes").inner_text()
    assert "verify:" in notes
    assert "待核实" not in notes
