"""Notice attachments are judged by their content: allowed kinds, spoofed names, bombs."""

from __future__ import annotations

import hashlib

import pytest

from nenghao.ingest.attachments import AttachmentError, check, safe_filename
from notice_files import (
    EXE,
    HTML,
    PDF,
    docx,
    jpeg,
    laughing_types,
    macro_workbook,
    plain_zip,
    png,
    xlsx,
    zip_bomb,
)

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_unzipped": 100 * MB}


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (PDF, "通知.pdf", "application/pdf"),
        (png(), "map.PNG", "image/png"),
        (jpeg(), "photo.jpeg", "image/jpeg"),
        (jpeg(), "photo.jpg", "image/jpeg"),
        (xlsx(), "表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            docx(),
            "说明.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_kinds_are_detected_with_size_and_digest(data, name, media_type) -> None:
    checked = check(data, name, **LIMITS)
    assert checked.content_type == media_type
    assert checked.filename == name
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (EXE, "通知.pdf", "attachment_type_forbidden"),
        (HTML, "通知.pdf", "attachment_type_forbidden"),
        (b"#!/bin/sh\nrm -rf /\n", "run.pdf", "attachment_type_forbidden"),
        (b"<svg onload=alert(1)>", "a.png", "attachment_type_forbidden"),
        (b"just some text", "a.pdf", "attachment_type_forbidden"),
        (PDF[:-7], "cut.pdf", "attachment_type_forbidden"),
        (png(), "map.pdf", "attachment_type_mismatch"),
        (PDF, "report.docx", "attachment_type_mismatch"),
        (plain_zip(), "a.xlsx", "attachment_type_forbidden"),
        (macro_workbook(), "a.xlsx", "attachment_type_forbidden"),
        (laughing_types(), "a.xlsx", "attachment_type_forbidden"),
        (b"", "empty.pdf", "attachment_empty"),
    ],
)
def test_refused_by_content_whatever_the_name(data, name, code) -> None:
    with pytest.raises(AttachmentError) as refused:
        check(data, name, **LIMITS)
    assert refused.value.code == code
    assert refused.value.zh  # a Chinese message for the page


def test_zip_bomb_is_refused_from_its_directory_without_unpacking() -> None:
    bomb = zip_bomb()
    assert len(bomb) < MB  # 64 MiB packed in well under 1 MiB
    with pytest.raises(AttachmentError) as refused:
        check(bomb, "bomb.xlsx", **LIMITS)
    assert refused.value.code == "attachment_too_large"
    with pytest.raises(AttachmentError) as refused:
        check(xlsx(), "book.xlsx", max_bytes=MB, max_unzipped=1024)
    assert refused.value.code == "attachment_too_large"


def test_oversize_file_is_refused() -> None:
    with pytest.raises(AttachmentError) as refused:
        check(PDF + b"\n" * 2048 + b"%%EOF", "big.pdf", max_bytes=1024, max_unzipped=MB)
    assert refused.value.code == "attachment_too_large"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/通知.pdf", "通知.pdf"),
        ("C:\\Users\\张三\\文件.pdf", "文件.pdf"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ("..pdf", "pdf.pdf"),
        ("...", "附件.pdf"),
        ("", "附件.pdf"),
        (None, "附件.pdf"),
        ("no-extension", "no-extension.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("bad\x00name\n.pdf", "bad_name_.pdf"),
    ],
)
def test_file_names_are_sanitised(name, expected) -> None:
    assert safe_filename(name, "application/pdf") == expected
