"""The analysis and data pages: overview, division/industry views, enterprise tabs, targets,
data entry, quarantine and reports. Figures shown equal the API's answers; scopes hold."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

from .web_helpers import Server, login, ready, settle, shoot

CST = timezone(timedelta(hours=8))
STATUS_ZH = {
    "quota_values_not_loaded": "在效版本限额值未录入",
    "no_quota_in_force": "无在效限额版本",
    "no_quota_standard": "无适用限额标准",
}


def period() -> tuple[str, str]:
    """The overview's default periods: the last complete CST month (never one with only a
    few days of data) and the year to it."""
    day = datetime.now(CST).replace(day=1) - timedelta(days=1)
    month = f"{day.year}-{day.month:02d}"
    ytd = f"{day.year}-01" if day.month == 1 else f"{day.year}-01..{month}"
    return month, ytd


def value(locator) -> float:
    return float(locator.get_attribute("data-value"))


def shown(number: float, digits: int = 2) -> str:
    return f"{number:,.{digits}f}"


def shown_tce(number: float) -> tuple[str, str]:
    """A tce figure as the dashboard writes it: 万tce with 2 decimals from 10 000 tce on."""
    return (shown(number / 10000), "万tce") if abs(number) >= 10000 else (shown(number), "tce")


def test_overview_figures_equal_the_api(page, server: Server) -> None:
    login(page, server, "regulator")
    page.wait_for_url(re.compile(r"/overview$"))
    ready(page, "overview")
    month, ytd = period()
    assert month in page.get_by_test_id("kpi-month-tce").inner_text()  # the default month
    year = server.api("regulator", "/stats/compare", period=ytd)["rows"][0]
    this_month = server.api("regulator", "/stats/compare", period=month)["rows"][0]
    for testid, figure in (
        ("kpi-ytd-tce", year["equivalent_tce"]),
        ("kpi-ytd-co2", year["tco2"]),
        ("kpi-month-tce", this_month["equivalent_tce"]),
        ("kpi-month-co2", this_month["tco2"]),
    ):
        card = page.get_by_test_id(testid)
        assert value(card.locator(".value")) == figure["current"], testid
        text, unit = (
            shown_tce(figure["current"]) if "tce" in testid else (shown(figure["current"]), "tCO2")
        )
        assert (card.locator(".value").inner_text(), card.locator(".unit").inner_text()) == (
            text,
            unit,
        )
    # 万tce can be switched off; the choice is remembered across a reload.
    ytd_card = page.get_by_test_id("kpi-ytd-tce")
    assert year["equivalent_tce"]["current"] >= 10000  # the demo city's year reads in 万tce
    assert ytd_card.locator(".unit").inner_text() == "万tce"
    page.get_by_test_id("wan-switch").click()
    assert ytd_card.locator(".unit").inner_text() == "tce"
    assert ytd_card.locator(".value").inner_text() == shown(year["equivalent_tce"]["current"])
    page.reload()
    ready(page, "overview")
    assert page.get_by_test_id("kpi-ytd-tce").locator(".unit").inner_text() == "tce"
    page.get_by_test_id("wan-switch").click()
    assert "e+" not in page.get_by_test_id("kpis").inner_text()
    ranking = server.api("regulator", "/stats/ranking", period=ytd, by="enterprise", limit=10)
    rows = page.get_by_test_id("ranking").locator(".el-table__body tr")
    assert rows.count() == len(ranking["rows"])
    first = ranking["rows"][0]
    assert first["name"] in rows.first.inner_text()
    assert value(rows.first.locator("[data-value]")) == first["value"]
    assert page.locator("[data-testid^=chart-] canvas").count() == 4
    shoot(page, "regulator-overview")
    # Another measure: the ranking follows the API's CO2 ranking.
    page.get_by_test_id("measure").click()
    page.get_by_role("option", name="二氧化碳排放").click()
    ready(page, "overview")
    co2 = server.api("regulator", "/stats/ranking", period=ytd, measure="tco2", limit=10)
    first_row = page.get_by_test_id("ranking").locator(".el-table__body tr").first
    assert value(first_row.locator("[data-value]")) == co2["rows"][0]["value"]


def test_district_sees_only_its_division(page, server: Server) -> None:
    division = server.api("district", "/auth/me")["user"]["division_code"]
    login(page, server, "district")
    page.wait_for_url(re.compile(r"/overview$"))
    ready(page, "overview")
    _, ytd = period()
    own = server.api("district", "/stats/compare", period=ytd)["rows"][0]["equivalent_tce"]
    city = server.api("admin", "/stats/compare", period=ytd)["rows"][0]["equivalent_tce"]
    mine = server.api("admin", "/stats/compare", period=ytd, division=division)["rows"][0]
    assert own["current"] == mine["equivalent_tce"]["current"] < city["current"]
    assert value(page.get_by_test_id("kpi-ytd-tce").locator(".value")) == own["current"]
    assert page.get_by_test_id("chart-divisions").count() == 0
    ranking = server.api("district", "/stats/ranking", period=ytd, limit=10)["rows"]
    inside = {e["name"] for e in server.api("admin", "/enterprises", division=division)["items"]}
    assert {r["name"] for r in ranking} <= inside
    table = page.get_by_test_id("ranking").inner_text()
    assert all(r["name"] in table for r in ranking)
    shoot(page, "district-overview")
    page.goto("/analysis/divisions")
    settle(page)
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == 1
    assert division in page.get_by_test_id("breakdown-table").inner_text()


def test_division_and_industry_views_with_export(page, server: Server) -> None:
    login(page, server, "regulator")
    _, ytd = period()
    for by, path in (("division", "/analysis/divisions"), ("industry", "/analysis/industries")):
        page.goto(path)
        settle(page)
        expected = server.api("regulator", "/stats/consumption", period=ytd, by=by)["rows"]
        assert int(page.get_by_test_id("total").get_attribute("data-total")) == len(expected)
        top = max(expected, key=lambda r: r["equivalent_tce"])
        first = page.get_by_test_id("breakdown-table").locator(".el-table__body tr").first
        assert str(top["key"]) in first.inner_text()
        assert value(first.locator("[data-value]")) == top["equivalent_tce"]
        shoot(page, f"regulator-{by}")
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"))))
    assert len(rows) - 1 == len(expected)
    # The month span asks the API for the month.
    page.get_by_test_id("span").get_by_text("当月").click()
    settle(page)
    month, _ = period()
    expected = server.api("regulator", "/stats/consumption", period=month, by="industry")["rows"]
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == len(expected)


def test_enterprise_detail_tabs(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    month, ytd = period()
    login(page, server, "enterprise")
    page.wait_for_url(re.compile(rf"/enterprises/{own}$"))
    page.get_by_role("tab", name="能耗分析").click()
    page.get_by_test_id("enterprise-analytics").wait_for()
    settle(page)
    expected = server.api("enterprise", "/stats/compare", period=ytd, by="enterprise")["rows"][0]
    card = page.get_by_test_id("ent-ytd-tce").locator(".value")
    assert value(card) == expected["equivalent_tce"]["current"]
    mix = server.api("enterprise", "/stats/mix", period=ytd, enterprise_id=own)["rows"]
    mix_rows = page.get_by_test_id("mix-table").locator(".el-table__body tr")
    assert mix_rows.count() == len(mix)
    assert value(mix_rows.first.locator("[data-value]")) == mix[0]["used_tce"]
    assert page.locator("[data-testid^=chart-] canvas").count() == 3
    shoot(page, "enterprise-detail-energy")
    page.get_by_role("tab", name="单位产品能耗").click()
    page.get_by_test_id("unit-products").wait_for()
    settle(page)
    answer = server.api("enterprise", f"/stats/enterprises/{own}/unit-products", period=month)
    rows = page.get_by_test_id("unit-table").locator(".el-table__body tr")
    assert rows.count() == len(answer["rows"])
    for i, row in enumerate(answer["rows"]):
        text = rows.nth(i).inner_text()
        if row["status"] == "assessed":
            assert row["quota"]["edition"] in text
            level = row["quota"]["level"]
            assert (f"{level[1]}级" if level != "above_limit" else "超限额") in text  # L3: 3级
        else:
            assert STATUS_ZH.get(row["status"], "") in text
    shoot(page, "enterprise-detail-quota")
    page.get_by_role("tab", name="数据上报").click()
    page.get_by_test_id("uploads").wait_for()
    settle(page)
    uploads = server.api("enterprise", f"/enterprises/{own}/uploads", page_size=10)
    shown_rows = page.get_by_test_id("uploads-table").locator(".el-table__body > tbody > tr")
    assert shown_rows.count() == len(uploads["items"])


def test_enterprise_user_cannot_reach_another_enterprise(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    other = next(e for e in server.api("admin", "/enterprises")["items"] if e["id"] != own)
    _, ytd = period()
    series = f"/stats/enterprises/{other['id']}/series?period={ytd}"
    assert server.status("enterprise", series) == 404
    assert server.status("enterprise", f"/enterprises/{other['id']}/uploads") == 404
    login(page, server, "enterprise")
    for tab in ("energy", "quota", "uploads"):
        page.goto(f"/enterprises/{other['id']}?tab={tab}")
        page.get_by_test_id("not-found").first.wait_for()
        assert other["name"] not in page.content()
    page.goto("/overview")
    page.get_by_test_id("forbidden").wait_for()
    # Its quarantine inbox holds its own entries only, and it has no enterprise choice.
    page.goto("/quarantine")
    settle(page)
    assert page.get_by_test_id("enterprise-picker").count() == 0
    expected = server.api("enterprise", "/quarantine", status="open")
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == expected["total"]
    assert all(e["enterprise_id"] == own for e in expected["items"])
    page.goto("/data-entry")
    page.get_by_test_id("filing").wait_for()
    assert page.get_by_test_id("enterprise-picker").count() == 0


def test_targets_progress_and_form(page, server: Server) -> None:
    year = (datetime.now(CST) - timedelta(days=1)).year
    city = server.api("admin", "/catalog/divisions")["items"]
    city_code = next(d["code"] for d in city if d["level"] == "prefecture")
    body = {
        "year": year,
        "level": "city",
        "subject": city_code,
        "total_energy_tce": 5_000_000,
        "total_co2_t": 20_000_000,
        "renewable_base_kwh": 0,
    }
    assert server.send("regulator", "PUT", "/targets", json=body).status_code in (200, 201)
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    body = {"year": year, "level": "enterprise", "subject": str(own), "total_energy_tce": 1}
    body["renewable_base_kwh"] = 0
    assert server.send("regulator", "PUT", "/targets", json=body).status_code in (200, 201)
    progress = server.api(
        "regulator", "/targets/progress", year=year, level="city", subject=city_code
    )
    login(page, server, "regulator")
    page.goto("/targets")
    ready(page, "target-table")
    table = page.get_by_test_id("target-table")
    table.locator(f"[data-testid=row-subject][data-subject='{city_code}']").first.click()
    card = page.locator(f"[data-testid=target-card][data-level=city][data-subject='{city_code}']")
    card.wait_for()
    assert card.get_attribute("data-warning") == progress["level"]
    indicator = progress["indicators"]["total_energy_tce"]
    first = card.get_by_test_id("indicators").locator(".el-table__body tr").first
    assert value(first.get_by_test_id("to-date")) == indicator["to_date"]
    assert float(first.get_by_test_id("ratio").get_attribute("data-value")) == indicator["ratio"]
    deductions = card.get_by_test_id("deductions").locator(".el-table__body tr")
    raw = progress["deductions"]["raw_material_tce"]["to_date"]
    assert value(deductions.first.locator("[data-value]")) == raw
    # The calculation is written in Chinese from the answer's fields, not its English text.
    method = progress["projection"]["gross_tce"]["explanation"]
    assert method not in card.get_by_test_id("projection").inner_text()
    assert "天" in card.get_by_test_id("explanation").first.inner_text()
    shoot(page, "regulator-targets")
    # The form (from the detail's edit button) replaces the city target.
    card.get_by_test_id("target-edit").click()
    dialog = page.get_by_test_id("target-dialog")
    dialog.get_by_label("能源消费总量（考核值） (tce)").fill("4500000")
    dialog.get_by_label("可再生电力 2020 年基数 (kWh)").fill("0")
    page.get_by_test_id("target-save").click()
    dialog.wait_for(state="hidden")
    settle(page)
    saved = server.api("regulator", "/targets", year=year, level="city")["items"][0]
    assert saved["total_energy_tce"] == 4_500_000
    # An enterprise user reads its own target only, without the form.
    login(page, server, "enterprise")
    page.goto("/targets")
    ready(page, "target-table")
    subjects = page.get_by_test_id("target-table").locator("[data-testid=row-subject]")
    listed = {subjects.nth(i).get_attribute("data-subject") for i in range(subjects.count())}
    assert listed == {
        t["subject"] for t in server.api("enterprise", "/targets", year=year)["items"]
    }
    assert listed == {str(own)}
    assert page.get_by_test_id("target-new").count() == 0
    shoot(page, "enterprise-targets")


def test_data_entry_import(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    before = server.api("enterprise", f"/enterprises/{own}/uploads")["total"]
    login(page, server, "enterprise")
    page.goto("/data-entry")
    page.get_by_test_id("filing").wait_for()
    settle(page)
    # File import: two rows, one refused; the report lists both.
    csv_text = (
        "item,period,start,value,unit\n"
        "ent.output_value,month,2025-06-01 00:00,4321,万元\n"
        "no.such_item,month,2025-06-01 00:00,1,t\n"
    )
    page.get_by_test_id("import-file").set_input_files(
        files=[{"name": "web-test.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}]
    )
    page.get_by_test_id("import-submit").click()
    summary = page.get_by_test_id("import-summary")
    summary.wait_for()
    assert summary.locator("[data-status=rejected]").get_attribute("data-count") == "1"
    table = page.get_by_test_id("import-results").inner_text()
    assert "unknown_item" in table
    assert "no.such_item" in table
    shoot(page, "enterprise-data-entry-results")
    with page.expect_download() as info:
        page.get_by_test_id("report-csv").click()
    report = list(csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"))))
    assert len(report) == 3
    with page.expect_download() as info:
        page.get_by_test_id("template-csv").click()
    assert "ent.added_value" in info.value.path().read_bytes().decode("utf-8-sig")
    # Both uploads are in the API's list, and the refused row is in quarantine.
    assert server.api("enterprise", f"/enterprises/{own}/uploads")["total"] == before + 1
    open_codes = {e["item_code"] for e in server.api("enterprise", "/quarantine")["items"]}
    assert "no.such_item" in open_codes


def test_quarantine_dismiss_and_read_only_auditor(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    record = {"item": "web.bogus", "period": "month", "start": "2025-05-01T00:00:00+08:00"}
    record |= {"value": 1, "unit": "t"}
    answer = server.send(
        "enterprise", "POST", f"/enterprises/{own}/filings", json={"records": [record]}
    )
    assert answer.json()["results"][0]["status"] == "rejected"
    login(page, server, "regulator")
    page.goto(f"/quarantine?enterprise={own}")
    settle(page)
    expected = server.api("regulator", "/quarantine", enterprise_id=own, status="open")
    assert int(page.get_by_test_id("total").get_attribute("data-total")) == expected["total"]
    newest = expected["items"][0]
    assert newest["item_code"] == "web.bogus"
    shoot(page, "regulator-quarantine")
    page.get_by_test_id("dismiss").first.click()
    page.get_by_role("dialog").locator("input").fill("web test: not a real item")
    page.get_by_role("dialog").get_by_role("button", name="确定").click()
    settle(page)
    entries = server.api("regulator", "/quarantine", enterprise_id=own, status="dismissed")["items"]
    assert any(e["id"] == newest["id"] for e in entries)
    login(page, server, "auditor")
    page.goto("/quarantine")
    settle(page)
    assert page.get_by_test_id("dismiss").count() == 0
    assert page.get_by_test_id("reprocess").count() == 0


def test_reports_download(page, server: Server) -> None:
    login(page, server, "regulator")
    page.goto("/reports")
    page.get_by_test_id("report-monthly").wait_for()
    shoot(page, "regulator-reports")
    with page.expect_download() as info:
        page.get_by_test_id("monthly-download").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert info.value.path().read_bytes()[:2] == b"PK"
    page.get_by_test_id("enterprise-picker").click()
    page.locator(".el-select-dropdown__item:visible").first.click()
    with page.expect_download() as info:
        page.get_by_test_id("annual-download").click()
    assert info.value.suggested_filename.endswith(".pdf")
    assert info.value.path().read_bytes()[:5] == b"%PDF-"
    # An enterprise user gets its own annual report and no city workbook.
    login(page, server, "enterprise")
    page.goto("/reports")
    page.get_by_test_id("report-annual").wait_for()
    assert page.get_by_test_id("report-monthly").count() == 0
    with page.expect_download() as info:
        page.get_by_test_id("annual-download").click()
    assert info.value.path().read_bytes()[:5] == b"%PDF-"
