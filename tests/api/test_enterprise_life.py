"""The whole life of a new enterprise over the API, as the admin, the enterprise and the district
regulator: register it, import its items and submit the plan, return, fix and approve the plan,
issue a device key and send a signed upload, see the figures, report a fault, file a month,
submit, return, resubmit and accept the annual report, send a notice and read it.
Runs on SQLite and PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone

import openpyxl
from api_support import PASSWORD

from nenghao.ingest.signing import signed_headers
from nenghao.store.credit_code import make_credit_code

CST = timezone(timedelta(hours=8))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREDIT = make_credit_code("210302", "MA0NEW001")
KWH_PER_HOUR = 1000.0
HOURS = 6
TCE_PER_KWH = 0.1229 / 1000  # GB/T 2589-2020 Appendix A: electricity, equivalent value
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PARTS = {
    "measures": ["空压机变频改造"],
    "projects": [],
    "management": {
        "manager_name": "李工",
        "phone": "13904120001",
        "certificate": "能源管理师 2024-001",
        "management_system": True,
        "metering_rate_pct": 95.0,
        "last_audit_year": 2024,
    },
    "statement_confirmed": True,
}


def _items_workbook() -> bytes:
    """Two items: grid electricity at the fence (hourly) and the output value (monthly,
    filed by hand)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据项"
    sheet.append(["数据项名称", "计量对象", "能源品种", "单位", "统计周期", "人工填报"])
    sheet.append(["全厂电力消耗", "能源", "电力", "kWh", "小时", "否"])
    sheet.append(["工业总产值", "工业总产值", None, "万元", "月", "是"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_the_life_of_an_enterprise(client, world) -> None:
    admin, district, regulator = (world.headers(r) for r in ("admin", "district", "regulator"))

    # 1. the admin registers the enterprise and its user
    firm = _ok(
        client.post(
            "/api/v1/enterprises",
            json={
                "credit_code": CREDIT,
                "name": "鞍山新材料有限公司",
                "division_code": "210302",
                "industry_code": "3089",
                "manager": {"name": "李工", "phone": "13904120001"},
            },
            headers=admin,
        ),
        201,
    )
    ent = firm["id"]
    _ok(
        client.post(
            "/api/v1/users",
            json={"username": "life", "password": PASSWORD, "role": "enterprise"}
            | {"enterprise_id": ent},
            headers=admin,
        ),
        201,
    )
    token = _ok(client.post("/api/v1/auth/login", json={"username": "life", "password": PASSWORD}))[
        "token"
    ]
    mine = {"Authorization": f"Bearer {token}"}

    # 2. the enterprise imports its items and submits the plan
    report = _ok(
        client.post(
            f"/api/v1/enterprises/{ent}/items/import",
            files={"file": ("items.xlsx", _items_workbook(), XLSX)},
            headers=mine,
        )
    )
    assert report["summary"]["accepted"] == 2, report["results"]
    items = _ok(client.get(f"/api/v1/enterprises/{ent}/items", headers=mine))["items"]
    codes = {i["name"]: i["code"] for i in items}
    assert all(i["approval"] == "draft" for i in items)
    plan = f"/api/v1/enterprises/{ent}/plan"
    _ok(client.post(f"{plan}/submit", json={}, headers=mine), 201)

    # 3. the district returns it, the enterprise fixes an item, the district approves
    _ok(client.post(f"{plan}/return", json={"comment": "电力名称请写明关口表"}, headers=district))
    assert _ok(client.get(plan, headers=mine))["status"] == "returned"
    meter = next(i for i in items if i["code"] == codes["全厂电力消耗"])
    _ok(
        client.patch(
            f"/api/v1/enterprises/{ent}/items/{meter['id']}",
            json={"name": "全厂电力消耗（关口表）", "reason": "按审核意见改名"},
            headers=mine,
        )
    )
    _ok(client.post(f"{plan}/submit", json={}, headers=mine), 201)
    _ok(client.post(f"{plan}/approve", json={"comment": "同意"}, headers=district))
    assert _ok(client.get(plan, headers=mine))["status"] == "approved"

    # 4. a device key and a signed upload of the last hours
    device = _ok(
        client.post(f"/api/v1/enterprises/{ent}/devices", json={"label": "网关1"}, headers=admin),
        201,
    )
    key_id, secret = device["key_id"], device["secret"]
    last = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    starts = [last - timedelta(hours=h) for h in range(HOURS)]
    records = [
        {"item": codes["全厂电力消耗"], "period": "hour", "start": s.isoformat()}
        | {"value": KWH_PER_HOUR, "unit": "kWh"}
        for s in starts
    ]
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": CREDIT,
            "device_id": key_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "message_id": "life-1",
            "records": records,
        }
    ).encode()
    headers = signed_headers(key_id, secret.encode(), "POST", "/api/v1/uplink", body)
    ack = _ok(client.post("/api/v1/uplink", content=body, headers=headers))
    assert [r["status"] for r in ack["results"]] == ["accepted"] * HOURS, ack

    # 5. the figures: tce of the uploaded kWh, per month of their CST start
    by_month: dict[str, float] = {}
    for s in starts:
        label = s.astimezone(CST).strftime("%Y-%m")
        by_month[label] = by_month.get(label, 0.0) + KWH_PER_HOUR
    for label, kwh in by_month.items():
        figures = _ok(
            client.get(
                f"/api/v1/stats/consumption?period={label}&enterprise_id={ent}", headers=mine
            )
        )
        assert abs(figures["total"]["equivalent_tce"] - kwh * TCE_PER_KWH) < 1e-6, figures
    seen = _ok(client.get("/api/v1/status/enterprises?division=210302", headers=district))
    assert ent in {row["enterprise_id"] for row in seen["items"]}

    # 6. a fault report, seen by the regulator
    started = datetime.now(UTC) - timedelta(hours=1)
    due = (datetime.now(CST) + timedelta(days=2)).date()
    fault = _ok(
        client.post(
            f"/api/v1/enterprises/{ent}/faults",
            json={"cause": "通信中断", "started_at": started.isoformat()}
            | {"expected_repair": due.isoformat()},
            headers=mine,
        ),
        201,
    )
    faults = _ok(client.get("/api/v1/faults", headers=regulator))["items"]
    assert fault["id"] in {f["id"] for f in faults}

    # 7. file last month's output value
    today = datetime.now(CST).date()
    previous = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    filed = _ok(
        client.post(
            f"/api/v1/enterprises/{ent}/filings/{previous}",
            json={"lines": [{"kind": "output_value", "unit": "万元", "value": 1250.0}]},
            headers=mine,
        )
    )
    assert filed["status"] == "filed"
    assert [line["value"] for line in filed["lines"]] == [1250.0]

    # 8. the annual report of last year: submit, return, resubmit, accept
    year = today.year - 1
    report_url = f"/api/v1/enterprises/{ent}/annual-reports/{year}"
    _ok(client.get(report_url, headers=mine))
    _ok(client.put(report_url, json=PARTS, headers=mine))
    _ok(client.post(f"{report_url}/submit", headers=mine))
    _ok(client.post(f"{report_url}/return", json={"comment": "请补充节能项目"}, headers=district))
    parts = PARTS | {"measures": [*PARTS["measures"], "余热回收"]}
    _ok(client.put(report_url, json=parts, headers=mine))
    _ok(client.post(f"{report_url}/submit", headers=mine))
    accepted = _ok(client.post(f"{report_url}/accept", json={}, headers=district))
    assert accepted["status"] == "accepted"
    pdf = client.get(f"{report_url}/pdf", headers=mine)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    # 9. a notice to the district, read by the enterprise; the receipt is kept
    notice = _ok(
        client.post(
            "/api/v1/notices",
            data={"title": "关于报送能源利用状况报告的通知", "body": "请按时报送。"}
            | {"audience": "divisions", "audience_codes": ["210302"]},
            files=[("files", ("通知.pdf", PDF, "application/pdf"))],
            headers=district,
        ),
        201,
    )
    assert _ok(client.get("/api/v1/notices/unread", headers=mine))["unread"] == 1
    _ok(client.get(f"/api/v1/notices/{notice['id']}", headers=mine))
    receipts = _ok(client.get(f"/api/v1/notices/{notice['id']}/receipts", headers=district))
    assert [r["enterprise_name"] for r in receipts["read"]] == [firm["name"]]
    assert _ok(client.get("/api/v1/notices/unread", headers=mine))["unread"] == 0
