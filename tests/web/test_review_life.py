"""A project's energy-saving review in the browser, from submission to the after-commissioning
alert: an enterprise user creates the project on 新建项目, uploads its energy report and
submits it; the city regulator finds it in 审查待办, accepts it, records an expert opinion and
approves it with conditions; the regulator links the project to the enterprise's electricity
item on the 投产后 tab (commissioned on the first day of the last complete month); a gateway
sends, signed over the real uplink, daily readings 20 % over the approved consumption; the
monitor's month pass raises ``project_deviation`` (on both bases), which shows on the
投产后 tab and in 告警.

Approved: electricity 730 万kWh/a = 20 000 kWh a day (365-day year), 7 300 000 x 0.1229 / 1000
= 897.17 tce (local review: electricity above 5 000 000 kWh). Metered: 24 000 kWh a day over
the whole month, annualised x 365 / days = 8 760 000 kWh = 1 076.60 tce: +20.00 %.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from calendar import monthrange
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from nenghao.ingest.signing import signed_headers

from .conftest import opened
from .review_steps import pick
from .web_helpers import Server, last_complete_month, login, login_as, settle, shoot

CST = ZoneInfo("Asia/Shanghai")
USER, PASSWORD = "review-energy-manager", "review-life-of-a-project-7"
PROJECT = "年产 20 万吨冷轧板技改配套项目"
CONDITIONS = "投产后一年内完成节能验收"
APPROVED_KWH_PER_DAY, METERED_KWH_PER_DAY = 20_000.0, 24_000.0
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
VIEWPORT = {"width": 1440, "height": 900}


def _firm(server: Server, month: str) -> tuple[int, int, str]:
    """An enterprise of the city (not the demo user's, not the district's first), its user,
    a daily electricity item approved in its collection plan from `month` on, and a device
    key; the enterprise id, the item id and the item code."""
    taken = {
        server.api("enterprise", "/auth/me")["user"]["enterprise_id"],
        server.api("district", "/enterprises", page_size=1)["items"][0]["id"],
    }
    listed = server.api("admin", "/enterprises", page_size=50)["items"]
    own = next(e for e in reversed(listed) if e["id"] not in taken)["id"]
    user = {"username": USER, "password": PASSWORD, "role": "enterprise", "enterprise_id": own}
    assert server.send("admin", "POST", "/users", json=user).status_code == 201
    item = {"name": "技改项目电力", "measures": "energy", "energy_kind": "electricity"}
    item |= {"unit": "kWh", "period": "day", "valid_from": f"{month}-01"}
    made = server.send("admin", "POST", f"/enterprises/{own}/items", json=item)
    assert made.status_code == 201, made.text
    token = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": USER, "password": PASSWORD}
    ).json()["token"]
    submitted = httpx.post(
        f"{server.url}/api/v1/enterprises/{own}/plan/submit",
        json={},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert submitted.status_code == 201, submitted.text
    approved = server.send("regulator", "POST", f"/enterprises/{own}/plan/approve", json={})
    assert approved.status_code == 200, approved.text
    return own, made.json()["id"], made.json()["code"]


def _uplink(server: Server, own: int, code: str, month: str) -> None:
    """As the gateway: a reading of every day of `month`, signed with a new device key."""
    issued = server.send("admin", "POST", f"/enterprises/{own}/devices", json={"label": "网关"})
    assert issued.status_code == 201, issued.text
    key_id, secret = issued.json()["key_id"], issued.json()["secret"]
    credit = server.api("admin", f"/enterprises/{own}")["credit_code"]
    first = datetime.strptime(f"{month}-01", "%Y-%m-%d").replace(tzinfo=CST)
    days = monthrange(first.year, first.month)[1]
    records = [
        {"item": code, "period": "day", "unit": "kWh", "value": METERED_KWH_PER_DAY}
        | {"start": (first + timedelta(days=d)).isoformat()}
        for d in range(days)
    ]
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": credit,
            "device_id": key_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "message_id": "review-life-1",
            "records": records,
        }
    ).encode()
    headers = signed_headers(key_id, secret.encode(), "POST", "/api/v1/uplink", body)
    answer = httpx.post(f"{server.url}/api/v1/uplink", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert {r["status"] for r in answer.json()["results"]} == {"accepted"}


def _monitor_pass(server: Server, month: str) -> None:
    """The monitor's month pass, as the scheduler runs it (the ``nenghao`` command)."""
    nenghao = shutil.which("nenghao", path=str(Path(sys.executable).parent)) or "nenghao"
    env = {**os.environ, "NENGHAO_DATA_DIR": str(server.data_dir)}
    env.pop("NENGHAO_DATABASE_URL", None)
    done = subprocess.run(
        [nenghao, "monitor", "run", "--month", month],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _status(page: Any, status: str) -> None:
    page.locator(f"[data-testid=project][data-status={status}]").wait_for()


def _step(page: Any, action: str, **fields: str) -> None:
    """Take a review step on the 审查流程 tab through its dialog."""
    page.get_by_test_id(f"act-{action}").click()
    dialog = page.get_by_test_id("action-dialog")
    for testid, text in fields.items():
        dialog.get_by_test_id(testid).fill(text)
    dialog.get_by_test_id("wf-confirm").click()
    dialog.wait_for(state="hidden")


def _create(page: Any) -> int:
    """As the enterprise: the project through the form; its id."""
    page.goto("/review/projects")
    settle(page)
    page.get_by_test_id("new-project").click()
    page.locator("[data-testid=project-form][data-ready=true]").wait_for()
    page.get_by_test_id("pj-name").fill(PROJECT)
    pick(page, page.get_by_test_id("pj-energy-kind-0"), re.compile(r"^电力$"))
    page.get_by_test_id("pj-energy-qty-0").locator("input").fill("730")
    page.get_by_test_id("pj-energy-unit-0").get_by_text("万kWh").wait_for()
    page.get_by_test_id("pj-save").click()
    page.wait_for_url(re.compile(r"/review/projects/\d+$"))
    _status(page, "draft")
    return int(page.url.rsplit("/", 1)[1])


def test_a_project_from_submission_to_the_deviation_alert(browser: Any, server: Server) -> None:
    month = last_complete_month()
    own, item, code = _firm(server, month)
    with ExitStack() as stack:
        firm, city = (stack.enter_context(opened(browser, server, viewport=VIEWPORT)) for _ in "12")

        # 1. The enterprise creates the project, uploads its energy report and submits it.
        login_as(firm, USER, PASSWORD)
        pid = _create(firm)
        project = server.api("regulator", f"/projects/{pid}")
        assert project["applicant_enterprise_id"] == own
        assert project["review_tier"] == "local"
        assert round(project["assessed_tce"], 2) == 897.17
        assert firm.get_by_test_id("assessed").inner_text() == "897.17 tce"
        assert firm.get_by_test_id("project-tier").get_attribute("data-tier") == "local"
        shoot(firm, "review-project-assessment")
        firm.goto(f"/review/projects/{pid}?tab=documents")
        firm.get_by_test_id("doc-file").set_input_files(
            {"name": "节能报告.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        firm.get_by_test_id("doc-send").click()
        firm.get_by_test_id("doc-name").filter(has_text="节能报告.pdf").wait_for()
        firm.goto(f"/review/projects/{pid}?tab=workflow")
        _step(firm, "submit")
        _status(firm, "submitted")

        # 2. The city regulator finds it in its inbox, accepts it, records an expert opinion
        # and approves it with conditions.
        login(city, server, "regulator")
        city.goto("/review/inbox")
        settle(city)
        city.locator(f"[data-testid=inbox-link][data-id='{pid}']").click()
        city.get_by_test_id("act-accept").wait_for()
        _step(city, "accept")
        _status(city, "under_review")
        _step(city, "opinion", **{"wf-expert": "王工", "wf-opinion": "同意，建议采用高效变压器"})
        _status(city, "expert_review")
        _step(city, "approve", **{"wf-conditions": CONDITIONS})
        _status(city, "approved")
        assert city.get_by_test_id("conditions").inner_text() == CONDITIONS
        city.get_by_test_id("step-approve").wait_for()
        shoot(city, "review-project-workflow")

        # 3. Commissioned on the first day of the last complete month; linked to its item.
        city.goto(f"/review/projects/{pid}?tab=operation")
        city.locator("[data-testid=operation][data-ready=true]").wait_for()
        city.get_by_test_id("op-link").click()
        dialog = city.get_by_test_id("link-dialog")
        pick(city, dialog.get_by_test_id("link-items"), "技改项目电力")
        dialog.locator("#op-date").fill(f"{month}-01")
        dialog.locator("#op-date").press("Enter")
        dialog.get_by_test_id("link-save").click()
        dialog.wait_for(state="hidden")
        city.get_by_test_id("commissioned-on").filter(has_text=f"{month}-01").wait_for()
        linked = server.api("regulator", f"/projects/{pid}/operation")
        assert [i["id"] for i in linked["items"]] == [item]

        # 4. The gateway's readings, 20 % over; the monitor's month pass.
        _uplink(server, own, code, month)
        _monitor_pass(server, month)
        operation = server.api("regulator", f"/projects/{pid}/operation")
        figure = operation["comparison"]["figures"][0]
        assert figure["key"] == "equivalent_tce"
        assert round(figure["deviation"], 4) == 0.2
        assert figure["over"] is True

        raised = server.api("regulator", "/alerts", rule="project_deviation")["items"]
        assert {a["detail"]["figure"] for a in raised if a["detail"]["project_id"] == pid} == {
            "equivalent_tce",
        }  # the approval counts at 当量值; 等价值 is compared, not alerted

        # 5. The alert on the 投产后 tab, for the regulator and the enterprise, and in 告警.
        city.reload()
        city.locator("[data-testid=operation][data-ready=true][data-alerts='1']").wait_for()
        deviation = city.get_by_test_id("op-deviation-equivalent_tce")
        assert deviation.get_attribute("data-over") == "yes"
        assert deviation.inner_text() == "+20.00 %"
        assert PROJECT in city.get_by_test_id("op-alert").first.inner_text()
        shoot(city, "review-project-operation")
        firm.goto(f"/review/projects/{pid}?tab=operation")
        firm.locator("[data-testid=operation][data-ready=true][data-alerts='1']").wait_for()
        assert firm.get_by_test_id("op-link").count() == 0  # the enterprise does not link
        city.goto("/alerts?rule=project_deviation")
        settle(city)
        city.get_by_text(re.compile(f"项目能耗超批复.*{PROJECT}")).first.wait_for()
