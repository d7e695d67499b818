"""CSV/XLSX parsing: every row becomes a record or a located row error; bad files are refused."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest

from hostile_workbooks import HOSTILE, workbook
from nenghao.ingest import workbook as workbook_reader
from nenghao.ingest.files.importing import parse_file
from nenghao.ingest.files.layout import FileLimits, FileRejected, RowError

HEADER = "数据项编码,统计周期,周期开始,数值,单位"


def csv_file(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *rows]).encode(encoding)


def xlsx_file(*rows: list, header: list | None = None, sheet: str = "数据") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header or HEADER.split(","))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def only_error(data: bytes, name: str = "f.csv") -> RowError:
    parsed = parse_file(data, name)
    assert not parsed.records, parsed.records
    assert len(parsed.errors) == 1, parsed.errors
    return parsed.errors[0]


def refused(data: bytes, name: str = "f.csv", **limits: int) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        parse_file(data, name, limits=FileLimits(**limits))
    return caught.value


def test_a_good_csv_row_becomes_a_record_in_cst() -> None:
    parsed = parse_file(csv_file("E-01,month,2026-10-01 00:00,1520.5,kWh"), "f.csv")
    assert parsed.errors == ()
    assert parsed.rows == (2,)
    (record,) = parsed.records
    assert record.item == "E-01"
    assert record.period == "month"
    assert record.start == datetime(2026, 9, 30, 16, tzinfo=UTC)
    assert (record.value, record.unit, record.register, record.quality) == (
        1520.5,
        "kWh",
        None,
        None,
    )


@pytest.mark.parametrize(
    "start",
    ["2026-10-01", "2026/10/01 00:00", "2026-10-01T00:00:00+08:00", "2026-09-30T16:00:00Z"],
)
def test_start_forms(start: str) -> None:
    parsed = parse_file(csv_file(f"E-01,月,{start},1,kWh"), "f.csv")
    assert parsed.records[0].period_start == int(datetime(2026, 9, 30, 16, tzinfo=UTC).timestamp())


def test_english_and_bilingual_headers_register_and_quality() -> None:
    header = "item,Period,START,数值 value,单位/unit,累计读数(register),quality,数据项名称 name"
    parsed = parse_file(
        csv_file(
            "G-1,15分钟,2026-10-01 00:15,,m3,80231.25,估算,高炉煤气",
            "G-1,15min,2026-10-01 00:30,,m3,80240,,",
            header=header,
        ),
        "f.csv",
    )
    assert parsed.errors == ()
    first, second = parsed.records
    assert (first.register, first.quality, first.value) == (80231.25, "estimated", None)
    assert second.quality is None
    assert parsed.headers["register"] == "累计读数(register)"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings(encoding: str) -> None:
    parsed = parse_file(csv_file("E-01,月,2026-10-01,1,万kWh", encoding=encoding), "f.csv")
    assert parsed.records[0].unit == "万kWh"


def test_broken_utf8_is_reported_at_its_line() -> None:
    data = csv_file("E-01,月,2026-10-01,1,万kWh") + "\nE-02,月,2026-10-01,1,万kWh".encode("gbk")
    error = refused(data).errors[0]
    assert (error.row, error.code) == (3, "bad_encoding")


def test_utf16_is_refused() -> None:
    assert refused(csv_file("E-01,月,2026-10-01,1,t", encoding="utf-16")).code == "bad_encoding"


def test_neither_utf8_nor_gb18030() -> None:
    error = refused(b"item,period\n\xff\xff\n").errors[0]
    assert (error.row, error.code) == (2, "bad_encoding")


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("E-01,月,2026-13-01,1,t", "周期开始", "invalid_datetime"),
        ("E-01,月,yesterday,1,t", "周期开始", "invalid_datetime"),
        ("E-01,月,2026-10-02 00:00,1,t", "周期开始", "misaligned_start"),
        ("E-01,hour,2026-10-01 08:30,1,t", "周期开始", "misaligned_start"),
        ("E-01,月,2026-10-01,abc,t", "数值", "not_a_number"),
        ("E-01,月,2026-10-01,1.2.3,t", "数值", "not_a_number"),
        ("E-01,月,2026-10-01,NaN,t", "数值", "not_finite"),
        ("E-01,月,2026-10-01,-inf,t", "数值", "not_finite"),
        ("E-01,月,2026-10-01,1e400,t", "数值", "not_finite"),
        ("E-01,weekly,2026-10-01,1,t", "统计周期", "invalid_value"),
        ("E-01,月,2026-10-01,,t", "数值", "no_value"),
        (",月,2026-10-01,1,t", "数据项编码", "missing_field"),
        ("E-01,月,2026-10-01,1,", "单位", "missing_field"),
        ("E 01,月,2026-10-01,1,t", "数据项编码", "invalid_value"),
    ],
)
def test_bad_cells_are_located(row: str, column: str, code: str) -> None:
    error = only_error(csv_file(row))
    assert (error.row, error.column, error.code) == (2, column, code), error
    assert error.message


def test_register_and_quality_cells() -> None:
    header = HEADER + ",累计读数,质量"
    negative = only_error(csv_file("G,15min,2026-10-01,,m3,-1,", header=header))
    assert (negative.column, negative.code) == ("累计读数", "negative_register")
    quality = only_error(csv_file("G,15min,2026-10-01,,m3,1,great", header=header))
    assert (quality.column, quality.code) == ("质量", "invalid_value")


def test_every_problem_of_a_row_is_listed_and_good_rows_survive() -> None:
    parsed = parse_file(
        csv_file("E-01,月,bad,abc,", "E-01,月,2026-10-01,2,t", "E-02,月,2026-10-01,3,t"), "f.csv"
    )
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "周期开始"), (2, "数值"), (2, "单位")]
    assert parsed.rows == (3, 4)
    assert parsed.data_rows == 3


def test_duplicate_rows_refer_to_the_first() -> None:
    parsed = parse_file(
        csv_file("E-01,月,2026-10-01,1,t", "E-01,month,2026-09-30T16:00:00Z,2,t"), "f.csv"
    )
    (error,) = parsed.errors
    assert (error.row, error.code) == (3, "duplicate_record")
    assert "row 2" in error.message
    assert parsed.rows == (2,)


def test_grouped_thousands_are_read_but_other_commas_are_not() -> None:
    parsed = parse_file(
        csv_file('E-01,月,2026-10-01,"1,234.5",t', 'E-02,月,2026-10-01,"1,2",t'), "f"
    )
    assert parsed.records[0].value == 1234.5
    assert (parsed.errors[0].row, parsed.errors[0].code) == (3, "not_a_number")


def test_blank_rows_are_skipped_and_a_cell_without_header_is_an_error() -> None:
    parsed = parse_file(csv_file("", ",,,,", "E-01,月,2026-10-01,1,t,surplus"), "f.csv")
    (error,) = parsed.errors
    assert (error.row, error.column, error.code) == (4, "F", "unknown_column")


@pytest.mark.parametrize(
    ("header", "column", "code"),
    [
        ("数据项编码,统计周期,周期开始,数值,单位,备注", "备注", "unknown_column"),
        ("数据项编码,统计周期,周期开始,数值", "单位", "missing_column"),
        ("数据项编码,统计周期,周期开始,数值,单位,unit", "unit", "duplicate_column"),
    ],
)
def test_header_problems(header: str, column: str, code: str) -> None:
    rejected = refused(csv_file("E-01,月,2026-10-01,1,t", header=header))
    assert [(e.row, e.column, e.code) for e in rejected.errors] == [(1, column, code)]


def test_all_missing_columns_are_listed() -> None:
    rejected = refused(b"item\nE-01\n")
    assert {e.column for e in rejected.errors} == {"统计周期", "周期开始", "数值", "单位"}


@pytest.mark.parametrize(
    ("data", "code", "row"),
    [
        (b"", "empty_file", 1),
        (b"  \r\n", "empty_file", 1),
        (HEADER.encode(), "empty_file", 2),
        (b'item,"period\n', "unreadable_file", 1),
    ],
)
def test_empty_and_unreadable_csv(data: bytes, code: str, row: int) -> None:
    error = refused(data).errors[0]
    assert (error.code, error.row) == (code, row)


def test_huge_files_are_refused_by_size_and_rows() -> None:
    rows = [f"E-{i},月,2026-10-01,1,t" for i in range(30)]
    assert refused(csv_file(*rows), max_bytes=200).code == "file_too_large"
    error = refused(csv_file(*rows), max_rows=10).errors[0]
    assert (error.code, error.row) == ("too_many_rows", 12)


def test_formats_by_content_and_name() -> None:
    assert refused(b"\xd0\xcf\x11\xe0rest", "old.xls").code == "unsupported_format"
    assert refused(b"a,b", "data.json").code == "unsupported_format"
    assert refused(b"not a zip", "data.xlsx").code == "unreadable_file"
    assert refused(b"PK\x03\x04broken", "data.xlsx").code == "unreadable_file"


def test_xlsx_cells_dates_numbers_and_sheet_choice() -> None:
    data = xlsx_file(
        ["E-01", "月", datetime(2026, 10, 1), 1520, "kWh"],
        [1001, "day", date(2026, 10, 2), 2.5, "t"],
        ["E-02", "月", "2026-10-01", True, "t"],
        ["E-03", "月", "2026-10-01", "#DIV/0!", "t"],
    )
    parsed = parse_file(data, "upload.xlsx")
    assert parsed.format == "xlsx"
    assert [r.item for r in parsed.records] == ["E-01", "1001"]
    assert parsed.records[0].start == datetime(2026, 9, 30, 16, tzinfo=UTC)
    assert [(e.row, e.column, e.code) for e in parsed.errors] == [
        (4, "数值", "not_a_number"),
        (5, "数值", "not_a_number"),
    ]


def test_xlsx_reads_the_data_sheet_and_checks_unpacked_size() -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["just words"])
    data_sheet = book.create_sheet("数据")
    data_sheet.append(HEADER.split(","))
    data_sheet.append(["E-01", "月", "2026-10-01", 1, "t"])
    out = io.BytesIO()
    book.save(out)
    assert len(parse_file(out.getvalue(), "x.xlsx").records) == 1
    assert refused(out.getvalue(), "x.xlsx", max_unzipped_bytes=1000).code == "file_too_large"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_workbooks_are_refused_as_unreadable(name: str) -> None:
    rejected = refused(HOSTILE[name](), "data.xlsx")
    assert (rejected.code, rejected.errors[0].row) == ("unreadable_file", 1)
    expected = "XML entities" if "entit" in name or "laughs" in name else "damaged|not a valid"
    assert re.search(expected, rejected.message), rejected.message


def test_the_valid_original_of_the_hostile_workbooks_is_read() -> None:
    assert [r.item for r in parse_file(workbook(), "data.xlsx").records] == ["E-01"]


def test_xml_parsing_is_defused() -> None:
    assert workbook_reader.xml_defused()


def test_without_defusedxml_no_workbook_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from xml.etree.ElementTree import iterparse

    import openpyxl.worksheet._reader as sheet_reader

    monkeypatch.setattr(sheet_reader, "iterparse", iterparse)
    rejected = refused(workbook(), "data.xlsx")
    assert rejected.code == "unsupported_format"
    assert "defusedxml" in rejected.message


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("E-01,月,2026-10-01,１５２０,kWh", "数值", "not_a_number"),
        ("E-01,月,２０２６-10-01,1,kWh", "周期开始", "invalid_datetime"),
    ],
)
def test_cells_with_other_scripts_digits_are_refused(row: str, column: str, code: str) -> None:
    error = only_error(csv_file(row))
    assert (error.column, error.code) == (column, code)
