"""Item lists from a hand-made XLSX workbook: template, row-by-row results, nothing half-stored."""

from __future__ import annotations

import io

import openpyxl
from api_support import assert_error_shape

from nenghao.ingest.item_import import ITEM_COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(header: list[str], rows: list[list[object]], sheet: str = "数据项") -> bytes:
    book = openpyxl.Workbook()
    page = book.active
    page.title = sheet
    page.append(header)
    for row in rows:
        page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, world, data: bytes, role: str = "enterprise"):
    path = f"/api/v1/enterprises/{world.enterprise_ids['a']}/items/import"
    files = {"file": ("items.xlsx", data, XLSX)}
    return client.post(path, files=files, headers=world.headers(role))


HEADER = ["数据项名称", "计量对象", "能源品种", "用途", "环节", "工序", "单位", "统计周期"]
HEADER += ["数据类型", "CT变比", "检定有效期"]


def test_rows_are_judged_one_by_one(client, world) -> None:
    rows = [
        # row 2: grid electricity at the fence, in Chinese words -> ent.electricity
        [
            "全厂电力消耗",
            "能源",
            "电力",
            "消耗",
            "进出用能单位",
            None,
            "kWh",
            "小时",
            "累计读数",
            200,
            "2027-06-30",
        ],
        # row 3: electricity in tonnes: wrong dimension, rejected at the 单位 column
        ["错误单位", "能源", "电力", "消耗", "进出用能单位", None, "t", "小时", None, None, None],
        # row 4: row 2 again: registered already, nothing stored
        [
            "全厂电力消耗",
            "能源",
            "电力",
            "消耗",
            "进出用能单位",
            None,
            "kWh",
            "小时",
            "累计读数",
            200,
            "2027-06-30",
        ],
        # row 5: raw coal used as feedstock in the coking process -> coking.raw_coal_feed
        ["炼焦原料煤", "能源", "原煤", "原料用", "最终使用", "coking", "t", "日", None, None, None],
        # row 6: an unknown stage word and a CT ratio that is no number: two problems
        ["坏行", "能源", "电力", "消耗", "车间", None, "kWh", "小时", None, "二百", None],
    ]
    answer = _upload(client, world, _workbook(HEADER, rows))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["rows"], body["format"], body["reference"]) == (5, "xlsx", None)
    assert body["summary"] == {"accepted": 2, "duplicate": 1, "revised": 0, "rejected": 2}
    by_row = [(r["row"], r["status"], r["item"], r["column"], r["code"]) for r in body["results"]]
    assert by_row == [
        (2, "accepted", "ent.electricity", None, None),
        (3, "rejected", None, "单位", "unit_dimension_mismatch"),
        (4, "duplicate", "ent.electricity", None, None),
        (5, "accepted", "coking.raw_coal_feed", None, None),
        (6, "rejected", None, "环节", "invalid_value"),
        (6, "rejected", None, "CT变比", "not_a_number"),
    ]
    listed = client.get(
        f"/api/v1/enterprises/{world.enterprise_ids['a']}/items",
        headers=world.headers("admin"),
    ).json()
    stored = {i["code"]: i for i in listed["items"]}
    assert set(stored) == {"ent.electricity", "coking.raw_coal_feed"}
    meter = stored["ent.electricity"]
    assert (meter["value_kind"], meter["ct_ratio"], meter["calibration_due"]) == (
        "register",
        200.0,
        "2027-06-30",
    )
    assert (
        stored["coking.raw_coal_feed"]["boundary"],
        stored["coking.raw_coal_feed"]["period"],
    ) == (
        "coking",
        "day",
    )


def test_template_round_trips_and_bad_files_are_refused(client, world) -> None:
    enterprise = world.enterprise_ids["a"]
    template = client.get(
        f"/api/v1/enterprises/{enterprise}/item-template", headers=world.headers("enterprise")
    )
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["数据项", "说明"]
    header = [cell.value for cell in book["数据项"][1]]
    assert header == [c.header for c in ITEM_COLUMNS]
    # the template's example row imports as it stands
    answer = _upload(client, world, template.content).json()
    assert [(r["status"], r["item"]) for r in answer["results"]] == [
        ("accepted", "ent.electricity")
    ]
    unknown = _upload(client, world, _workbook(["数据项名称", "颜色"], [["x", "红"]]))
    error = assert_error_shape(unknown, 422, "unknown_column")
    assert error["details"]["errors"][0]["column"] == "颜色"
    missing = _upload(client, world, _workbook(["数据项名称"], [["x"]]))
    assert_error_shape(missing, 422, "missing_column")
    assert_error_shape(_upload(client, world, b"not a workbook"), 422)
    assert_error_shape(_upload(client, world, template.content, role="auditor"), 403, "forbidden")
