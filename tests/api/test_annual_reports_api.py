"""The annual report filing over HTTP: open, fill in, submit, return, resubmit, accept, the
document of the accepted version, the city's list with deadlines, on both backends."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone

import pytest
from api_support import assert_error_shape
from matrix_analytics import worked_city

from environment import skip_outside_ci

CST = timezone(timedelta(hours=8))
YEAR = 2024  # the worked city's full year; due 31 March 2025 (a Monday, a working day)
PARTS = {
    "measures": ["空压站改造为变频控制", "加热炉余热回收"],
    "projects": [
        {
            "name": "烧结余热发电",
            "investment_10k_yuan": 1200.5,
            "saving_tce": 3500,
            "status": "completed",
        }
    ],
    "management": {
        "manager_name": "王工",
        "phone": "0412-5551234",
        "certificate": "能源管理师 2023-017",
        "management_system": True,
        "metering_rate_pct": 98.5,
        "last_audit_year": 2023,
    },
    "figures_note": "3月检修停产两周。",
    "statement_confirmed": True,
}


@pytest.fixture
def seeded(engine, world):
    with engine.begin() as conn:
        worked_city().seed(conn, world.enterprise_ids["a"], world.enterprise_ids["b"])
    return world


def _url(world, label: str = "a", year: int = YEAR, tail: str = "") -> str:
    return f"/api/v1/enterprises/{world.enterprise_ids[label]}/annual-reports/{year}{tail}"


def test_open_prefills_the_figures_and_states_the_deadline(client, seeded):
    response = client.get(_url(seeded), headers=seeded.headers("enterprise"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["status"], report["version"], report["figures_source"]) == (
        "draft",
        0,
        "live",
    )
    # 2024 by hand (GB/T 2589-2020 equivalent coefficients): 12 x 1 000 000 kWh x
    # 0.1229 kgce/kWh = 1 474.8 tce; 12 x 100 t raw coal x 0.7143 kgce/kg = 857.16 tce.
    totals = report["figures"]["totals"]
    assert totals["equivalent_tce"] == pytest.approx(1474.8 + 857.16, abs=1e-3)
    kinds = {row["energy_kind"]: row for row in report["figures"]["energy_kinds"]}
    assert kinds["raw_coal"]["used_tce"] == pytest.approx(857.16, abs=1e-3)
    # no monitor scores in the worked city: every month of the year is unassessed
    coverage = report["figures"]["coverage"]
    assert len(coverage["not_assessed"]) == 12
    assert coverage["not_assessed"][0] == "2024-01"
    assert report["deadline"]["due"] == "2025-03-31"
    assert report["deadline"]["overdue"] is True  # a draft after the deadline
    assert "measures" in report["missing"]
    assert "statement_confirmed" in report["missing"]


def test_submit_return_resubmit_accept(client, seeded, engine):
    enterprise, district = seeded.headers("enterprise"), seeded.headers("district")
    regulator = seeded.headers("regulator")
    assert client.get(_url(seeded), headers=enterprise).status_code == 200

    early = client.post(_url(seeded, tail="/submit"), headers=enterprise)
    error = assert_error_shape(early, 422, "report_incomplete")
    assert {d["field"] for d in error["details"]} >= {"measures", "management.manager_name"}

    saved = client.put(_url(seeded), json=PARTS, headers=enterprise)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.json()["missing"]) == (1, [])

    assert_error_shape(
        client.post(_url(seeded, tail="/accept"), headers=regulator), 409, "report_not_submitted"
    )
    submitted = client.post(_url(seeded, tail="/submit"), headers=enterprise)
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()
    assert (body["status"], body["version"], body["figures_source"]) == (
        "submitted",
        2,
        "submitted",
    )
    assert body["deadline"]["overdue"] is False
    assert_error_shape(
        client.put(_url(seeded), json=PARTS, headers=enterprise), 409, "report_not_editable"
    )
    assert_error_shape(
        client.post(_url(seeded, tail="/submit"), headers=enterprise), 409, "report_not_editable"
    )
    assert_error_shape(
        client.post(_url(seeded, tail="/accept"), headers=enterprise), 403, "forbidden"
    )
    no_comment = client.post(_url(seeded, tail="/return"), json={"comment": ""}, headers=district)
    assert_error_shape(no_comment, 422, "validation_error")

    returned = client.post(
        _url(seeded, tail="/return"), json={"comment": "请补充项目节能量测算依据"}, headers=district
    )
    assert returned.status_code == 200, returned.text
    assert (returned.json()["status"], returned.json()["review_comment"]) == (
        "returned",
        "请补充项目节能量测算依据",
    )
    assert returned.json()["deadline"]["overdue"] is True  # returned counts as not submitted
    assert_error_shape(
        client.get(_url(seeded, tail="/pdf"), headers=enterprise), 409, "report_not_accepted"
    )

    edited = {**PARTS, "figures_note": "3月检修停产两周；项目节能量按第三方监测报告。"}
    assert client.put(_url(seeded), json=edited, headers=enterprise).json()["version"] == 3
    assert client.post(_url(seeded, tail="/submit"), headers=enterprise).json()["version"] == 4
    accepted = client.post(_url(seeded, tail="/accept"), headers=district)
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["accepted_version"]) == ("accepted", 4)

    versions = client.get(_url(seeded, tail="/versions"), headers=regulator).json()
    assert versions["total"] == 4
    rows = versions["items"]
    assert [(v["version"], v["event"], v["review"]) for v in rows] == [
        (1, "saved", None),
        (2, "submitted", "returned"),
        (3, "saved", None),
        (4, "submitted", "accepted"),
    ]
    assert rows[1]["review_comment"] == "请补充项目节能量测算依据"
    assert rows[1]["figures"]["totals"]["equivalent_tce"] == pytest.approx(2331.96, abs=1e-3)
    assert rows[0]["figures"] is None
    audit = client.get("/api/v1/audit?entity=annual_report", headers=seeded.headers("admin"))
    actions = [row["action"] for row in audit.json()["items"]]
    assert sorted(actions) == sorted(
        ["annual_report.open"]
        + ["annual_report.save"] * 2
        + ["annual_report.submit"] * 2
        + ["annual_report.return", "annual_report.accept"]
    )

    document = client.get(_url(seeded, tail="/pdf"), headers=enterprise)
    if document.status_code == 503:
        skip_outside_ci(document.json()["error"]["message"])
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        skip_outside_ci("poppler-utils (pdftotext) not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=document.content, capture_output=True, check=True
    ).stdout.decode()
    accepted_on = datetime.fromtimestamp(accepted.json()["reviewed_at"], UTC).astimezone(CST)
    assert f"第 4 版，{accepted_on.year}年{accepted_on.month}月{accepted_on.day}日审核通过" in text
    assert "烧结余热发电" in text
    assert "项目节能量按第三方监测报告" in text
    assert "2,331.96" in text


def test_city_list_marks_the_overdue(client, seeded):
    enterprise, regulator = seeded.headers("enterprise"), seeded.headers("regulator")
    client.get(_url(seeded), headers=enterprise)
    client.put(_url(seeded), json=PARTS, headers=enterprise)
    client.post(_url(seeded, tail="/submit"), headers=enterprise)
    ids = seeded.enterprise_ids
    listed = client.get(f"/api/v1/annual-reports?year={YEAR}", headers=regulator).json()
    assert (listed["due"], listed["deadline_passed"], listed["total"]) == ("2025-03-31", True, 3)
    by_id = {row["enterprise_id"]: row for row in listed["items"]}
    assert (by_id[ids["a"]]["status"], by_id[ids["a"]]["overdue"]) == ("submitted", False)
    assert (by_id[ids["b"]]["status"], by_id[ids["b"]]["overdue"]) == ("not_started", True)
    late = client.get(f"/api/v1/annual-reports?year={YEAR}&overdue=true", headers=regulator)
    assert {row["enterprise_id"] for row in late.json()["items"]} == {ids["b"], ids["c"]}
    fine = client.get(f"/api/v1/annual-reports?year={YEAR}&overdue=false", headers=regulator)
    assert [row["enterprise_id"] for row in fine.json()["items"]] == [ids["a"]]
    mine = client.get(
        f"/api/v1/annual-reports?year={YEAR}&status=submitted",
        headers=seeded.headers("district"),
    )
    assert [row["enterprise_id"] for row in mine.json()["items"]] == [ids["a"]]
    district = client.get(f"/api/v1/annual-reports?year={YEAR}", headers=seeded.headers("district"))
    assert {row["enterprise_id"] for row in district.json()["items"]} == {ids["a"], ids["b"]}
    # a year whose deadline is ahead: nobody is overdue yet
    ahead = datetime.now(CST).year + 1
    future = client.get(f"/api/v1/annual-reports?year={ahead}&overdue=true", headers=regulator)
    assert (future.json()["deadline_passed"], future.json()["total"]) == (False, 0)


def test_year_not_ended_and_scope(client, seeded):
    enterprise = seeded.headers("enterprise")
    this_year = datetime.now(CST).year
    error = assert_error_shape(
        client.get(_url(seeded, year=this_year), headers=enterprise), 422, "year_not_ended"
    )
    assert error["details"]["from"] == f"{this_year + 1}-01-01"
    zh = client.get(
        _url(seeded, year=this_year), headers={**enterprise, "Accept-Language": "zh-CN"}
    )
    assert "尚未结束" in zh.json()["error"]["message"]
    assert_error_shape(
        client.get(_url(seeded, "c"), headers=enterprise), 404, "enterprise_not_found"
    )
    assert_error_shape(
        client.get(_url(seeded), headers=seeded.headers("regulator")),
        404,
        "annual_report_not_found",
    )
    client.get(_url(seeded), headers=enterprise)
    outside = client.get(_url(seeded), headers=seeded.headers("regulator"))
    assert outside.status_code == 200
    helped = client.put(_url(seeded), json=PARTS, headers=seeded.headers("admin"))
    assert helped.json()["version"] == 1  # an admin may help with an opened report
    assert_error_shape(
        client.get(_url(seeded, "b"), headers=seeded.headers("admin")),
        404,
        "annual_report_not_found",  # but never opens one for the enterprise
    )
    assert_error_shape(
        client.get(_url(seeded, "c"), headers=seeded.headers("district")),
        404,
        "enterprise_not_found",
    )


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"measures": ["长" * 2001]}, "body.measures.0"),
        ({"projects": [{**PARTS["projects"][0], "investment_10k_yuan": -1}]}, None),
        ({"projects": [{**PARTS["projects"][0], "status": "abandoned"}]}, None),
        ({"management": {**PARTS["management"], "metering_rate_pct": 100.5}}, None),
        ({"management": {**PARTS["management"], "phone": "电话"}}, None),
        ({"unknown": 1}, None),
    ],
)
def test_parts_out_of_bounds_are_refused_with_where(client, seeded, change, where):
    enterprise = seeded.headers("enterprise")
    client.get(_url(seeded), headers=enterprise)
    response = client.put(_url(seeded), json={**PARTS, **change}, headers=enterprise)
    error = assert_error_shape(response, 422, "validation_error")
    if where is not None:
        assert error["details"][0]["location"] == where
    assert client.get(_url(seeded), headers=enterprise).json()["version"] == 0  # nothing stored
