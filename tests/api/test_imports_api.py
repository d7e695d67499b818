"""File import over the API: templates, uploads answered row by row, reports, scope, errors."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from api_support import assert_error_shape
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from hostile_workbooks import HOSTILE
from nenghao.app import create_app
from nenghao.store.schema import data_items, quarantine, readings, uplink_archive

ITEMS = (("E-01", "全厂用电量", "kWh", "month"), ("S-01", "蒸汽", "t", "day"))
HEADER = "数据项编码,统计周期,周期开始,数值,单位\n"


@pytest.fixture
def items(engine, world) -> None:
    with engine.begin() as conn:
        for code, name, unit, period in ITEMS:
            conn.execute(
                insert(data_items).values(
                    enterprise_id=world.enterprise_ids["a"],
                    code=code,
                    name=name,
                    measures="energy",
                    usage="consumption",
                    unit=unit,
                    period=period,
                    created_at=0,
                )
            )


def upload(client, world, content: bytes, name: str = "data.csv", role: str = "enterprise", **q):
    return client.post(
        world.fill("/api/v1/enterprises/{a}/imports"),
        headers=world.headers(role),
        files={"file": (name, content)},
        params=q,
    )


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_xlsx_template_round_trip(client, world, engine, items) -> None:
    response = client.get(
        world.fill("/api/v1/enterprises/{a}/import-template"), headers=world.headers("enterprise")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["数据", "数据项", "说明"]
    sheet = book["数据"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["E-01", "S-01"]
    sheet["E2"], sheet["E3"] = 1520.5, 12
    filled = io.BytesIO()
    book.save(filled)

    first = upload(client, world, filled.getvalue(), "filled.xlsx")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["format"] == "xlsx"
    assert body["summary"] == {"accepted": 2, "duplicate": 0, "revised": 0, "rejected": 0}
    assert [r["row"] for r in body["results"]] == [2, 3]
    assert body["reference"].startswith("file-")
    again = upload(client, world, filled.getvalue(), "filled.xlsx").json()
    assert again["summary"]["duplicate"] == 2
    assert count(engine, readings) == 2
    assert count(engine, uplink_archive) == 2


def test_csv_template_lists_items_with_a_bom(client, world, items) -> None:
    response = client.get(
        world.fill("/api/v1/enterprises/{a}/import-template?format=csv"),
        headers=world.headers("regulator"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["数据项编码 item", "数据项名称 name"]
    assert [(r[0], r[1], r[2], r[5]) for r in rows[1:]] == [
        ("E-01", "全厂用电量", "month", "kWh"),
        ("S-01", "蒸汽", "day", "t"),
    ]


def test_rows_are_answered_one_by_one_and_rejections_quarantined(
    client, world, engine, items
) -> None:
    content = (
        HEADER
        + "E-01,月,2025-01-01,100,kWh\n"  # accepted
        + "E-01,月,2025-02-01,100,t\n"  # unit of another dimension: service rejection
        + "X-99,月,2025-01-01,1,kWh\n"  # not registered: service rejection
        + "S-01,日,2025-01-01 12:00,3,t\n"  # misaligned: row error
        + "E-01,月,2025-03-01,NaN,kWh\n"  # not finite: row error
    ).encode("gb18030")
    body = upload(client, world, content).json()
    by_row = {r["row"]: r for r in body["results"]}
    assert by_row[2]["status"] == "accepted"
    assert by_row[2]["start"] == "2025-01-01T00:00:00+08:00"
    assert (by_row[3]["code"], by_row[3]["column"]) == ("unit_mismatch", "单位")
    assert (by_row[4]["code"], by_row[4]["column"]) == ("unknown_item", "数据项编码")
    assert (by_row[5]["code"], by_row[5]["column"]) == ("misaligned_start", "周期开始")
    assert (by_row[6]["code"], by_row[6]["column"]) == ("not_finite", "数值")
    assert body["summary"] == {"accepted": 1, "duplicate": 0, "revised": 0, "rejected": 4}
    assert count(engine, quarantine) == 2  # the records the service refused

    revised = upload(client, world, (HEADER + "E-01,月,2025-01-01,101,kWh\n").encode()).json()
    assert revised["results"][0]["status"] == "revised"
    assert revised["results"][0]["revision"] == 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_report_download(client, world, items, file_format) -> None:
    content = (HEADER + "E-01,月,2025-01-01,1,kWh\nE-01,月,bad,1,kWh\n").encode()
    response = upload(client, world, content, report=file_format)
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [
            [("" if c is None else str(c)) for c in r] for r in sheet.iter_rows(values_only=True)
        ]
    assert rows[0][0] == "行号 row"
    assert [(r[0], r[1]) for r in rows[1:]] == [("2", "accepted"), ("3", "rejected")]
    assert rows[2][7] == "invalid_datetime"


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.csv", "empty_file"),
        (
            "数据项编码,统计周期,周期开始,数值\nE-01,月,2025-01-01,1\n".encode(),
            "a.csv",
            "missing_column",
        ),
        (b"\xd0\xcf\x11\xe0...", "old.xls", "unsupported_format"),
    ],
)
def test_unusable_files_are_refused_with_located_errors(client, world, items, content, name, code):
    error = assert_error_shape(upload(client, world, content, name), 422, code)
    assert error["details"]["errors"][0]["row"] == 1


def test_too_large_a_file_is_413(client, world, settings, items) -> None:
    client.app.state.settings = settings.model_copy(update={"import_max_bytes": 1024})
    content = (HEADER + "E-01,月,2025-01-01,1,kWh\n" * 60).encode()
    assert_error_shape(upload(client, world, content), 413, "file_too_large")


def test_scope_and_permission(client, world, items) -> None:
    content = (HEADER + "E-01,月,2025-01-01,1,kWh\n").encode()
    other = client.post(
        world.fill("/api/v1/enterprises/{c}/imports"),
        headers=world.headers("enterprise"),
        files={"file": ("x.csv", content)},
    )
    assert_error_shape(other, 404, "enterprise_not_found")
    assert_error_shape(upload(client, world, content, role="district"), 403, "forbidden")
    assert_error_shape(upload(client, world, content, role="auditor"), 403, "forbidden")
    assert upload(client, world, content, role="regulator").status_code == 200


def test_upload_without_a_file_is_a_validation_error(client, world) -> None:
    response = client.post(
        world.fill("/api/v1/enterprises/{a}/imports"), headers=world.headers("admin")
    )
    assert_error_shape(response, 422, "validation_error")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_workbooks_are_refused_and_nothing_is_stored(
    client, world, items, engine, name
) -> None:
    response = upload(client, world, HOSTILE[name](), "data.xlsx")
    error = assert_error_shape(response, 422, "unreadable_file")
    assert error["details"]["errors"][0]["row"] == 1
    assert count(engine, uplink_archive) == count(engine, readings) == 0


@pytest.mark.parametrize(("tolerance_s", "status"), [(300, "rejected"), (2 * 86400, "accepted")])
def test_file_imports_validate_with_the_configured_uplink_limits(
    settings, engine, world, items, tolerance_s, status
) -> None:
    """Today's steam (a day in progress) ends in the future: refused ``future_period`` under a
    clock tolerance of 300 s, accepted once the configured tolerance covers the rest of the
    day (at most 24 h), as over HTTPS and MQTT."""
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    configured = settings.model_copy(update={"uplink_clock_tolerance_s": tolerance_s})
    with TestClient(create_app(configured, engine), raise_server_exceptions=False) as client:
        answer = upload(client, world, (HEADER + f"S-01,日,{today},3,t\n").encode()).json()
    (result,) = answer["results"]
    assert result["status"] == status
    assert result.get("code") == (None if status == "accepted" else "future_period")
