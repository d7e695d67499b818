"""The two-high ledger (两高项目台账) in the browser: a regulator registers a blast furnace of a
steel enterprise through 登记装置; the ledger shows it worse than the baseline (需整改, no plan
yet); on the installation's page a rectification plan is made; the ledger's XLSX downloads.

The furnace's boundary meters coke in and hot metal out, sent signed over the uplink in the
first hour of the last complete month: 485.7 t of coke (0.9714 kgce/kg, GB/T 2589-2020) over
971.4 t of hot metal = 485.7 x 971.4 kgce / 971.4 t = 485.7 kgce/t, worse than the hot-metal
baseline 435 kgce/t (发改产业〔2023〕723号, unverified).
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl

from nenghao.ingest.signing import signed_headers

from .review_steps import pick
from .web_helpers import Server, last_complete_month, login, settle, shoot

CST = ZoneInfo("Asia/Shanghai")
FURNACE = "9号高炉"
COKE_T, HOT_METAL_T = 485.7, 971.4


def _metered(server: Server, month: str) -> tuple[int, str]:
    """A steel enterprise without an installation, its coke and hot-metal items (boundary
    bf9) approved and one hourly reading of each sent signed; its id and name."""
    steel = server.api("regulator", "/two-high/unregistered", page_size=200)["items"]
    firm = next(e for e in steel if e["sector"] == "steel")
    own = firm["enterprise_id"]
    codes = []
    for item in (
        {"name": "9号高炉焦炭", "measures": "energy", "energy_kind": "coke", "unit": "t"},
        {"name": "9号高炉铁水", "measures": "product", "product_code": "hot_metal", "unit": "t"}
        | {"usage": "production"},
    ):
        body = item | {"period": "hour", "process": "bf9", "stage": "end_use"}
        body |= {"valid_from": f"{month}-01"}
        made = server.send("admin", "POST", f"/enterprises/{own}/items", json=body)
        assert made.status_code == 201, made.text
        codes.append(made.json()["code"])
    assert server.send("admin", "POST", f"/enterprises/{own}/plan/submit", json={}).is_success
    assert server.send("regulator", "POST", f"/enterprises/{own}/plan/approve", json={}).is_success
    issued = server.send("admin", "POST", f"/enterprises/{own}/devices", json={"label": "网关"})
    key_id, secret = issued.json()["key_id"], issued.json()["secret"]
    start = datetime.strptime(f"{month}-01", "%Y-%m-%d").replace(tzinfo=CST).isoformat()
    records = [
        {"item": code, "period": "hour", "unit": "t", "value": value, "start": start}
        for code, value in zip(codes, (COKE_T, HOT_METAL_T), strict=True)
    ]
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": server.api("admin", f"/enterprises/{own}")["credit_code"],
            "device_id": key_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "message_id": "two-high-ledger-1",
            "records": records,
        }
    ).encode()
    headers = signed_headers(key_id, secret.encode(), "POST", "/api/v1/uplink", body)
    answer = httpx.post(f"{server.url}/api/v1/uplink", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return own, firm["enterprise_name"]


def test_ledger_plan_and_xlsx(page: Any, server: Server) -> None:
    month = last_complete_month()
    own, name = _metered(server, month)
    login(page, server, "regulator")
    page.goto("/review/two-high")
    settle(page)
    page.get_by_test_id("register-installation").click()
    dialog = page.get_by_test_id("register-dialog")
    dialog.locator("#th-enterprise").click()
    page.keyboard.type(name[2:8])
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
    pick(page, dialog.get_by_test_id("reg-sector"), re.compile(r"^钢铁$"))
    dialog.get_by_test_id("reg-name").fill(FURNACE)
    pick(page, dialog.get_by_test_id("reg-product"), re.compile(r"^高炉工序"))
    dialog.get_by_test_id("reg-save").click()
    dialog.wait_for(state="hidden")

    # The ledger: worse than the baseline, needs a plan and has none.
    link = page.get_by_test_id("installation-link").filter(has_text=FURNACE)
    link.wait_for()
    row = page.locator("[data-testid=ledger-table] .el-table__body tr", has=link)
    assert row.get_by_test_id("position").get_attribute("data-position") == "worse_than_baseline"
    assert row.get_by_test_id("needs-plan").inner_text() == "需整改"
    assert "485.7" in row.inner_text()
    shoot(page, "two-high-ledger")

    # A rectification plan on the installation's page.
    link.click()
    page.locator("[data-testid=installation][data-plans='0']").wait_for()
    page.get_by_test_id("plan-new").click()
    plan = page.get_by_test_id("plan-dialog")
    plan.get_by_test_id("rp-measures").fill("更换高效热风炉，提高喷煤比")
    deadline = (date.today() + timedelta(days=180)).isoformat()
    plan.locator("#rp-deadline").fill(deadline)
    plan.locator("#rp-deadline").press("Enter")
    plan.get_by_test_id("rp-name").fill("张工")
    plan.get_by_test_id("rp-phone").fill("13904120002")
    plan.get_by_test_id("rp-save").click()
    plan.wait_for(state="hidden")
    page.locator("[data-testid=installation][data-plans='1']").wait_for()
    assert page.locator("[data-testid=rect-plan]").get_attribute("data-state") == "open"
    plans = server.api("regulator", "/two-high/plans", page_size=200)["items"]
    made = [p["target_unit_consumption"] for p in plans if p["enterprise_id"] == own]
    assert made == [435.0]
    shoot(page, "two-high-installation")

    # The ledger as XLSX.
    page.goto("/review/two-high")
    settle(page)
    with page.expect_download() as info:
        page.get_by_test_id("ledger-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    cells = [str(c) for sheet in book for r in sheet.iter_rows(values_only=True) for c in r if c]
    assert FURNACE in cells
