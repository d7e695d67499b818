"""Attachments of notices, judged by their content, never by their name.

Allowed: PDF, PNG, JPEG, XLSX and DOCX. The type is read from the bytes (magic numbers and
structure); the name's extension must agree with it. An Office file is a zip: its central
directory is checked against the unpacked-size cap before anything is read, only
``[Content_Types].xml`` is read (with a cap, so a lying size header cannot inflate it) and
parsed with defusedxml (no DTD, no entities), and its main part decides between a workbook
and a document; macro-enabled files are refused. Anything else — executables, HTML, scripts,
archives — is refused.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), XLSX: (".xlsx",)}
EXTENSIONS[DOCX] = (".docx",)
KINDS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", XLSX: "XLSX", DOCX: "DOCX"}
_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
}
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_MAX = 1024 * 1024
_MAX_ENTRIES = 10_000
_MAX_RATIO = 200
"""Largest compression ratio of one zip member (a plain XML part packs 10-30 times)."""
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_LOOKS_LIKE = (
    (b"MZ", "windows"),
    (b"\x7fELF", "linux"),
    (b"\xca\xfe\xba\xbe", "java"),
    (b"\xcf\xfa\xed\xfe", "macos"),
    (b"#!", "script"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
)
_REFUSED = {
    "many_files": ("a zip of too many files", "文件数过多的压缩包"),
    "macros": ("an Office file with macros", "带宏的 Office 文件"),
    "damaged": ("a damaged Office file", "已损坏的 Office 文件"),
    "markup": ("a web page or markup (HTML/SVG/XML)", "网页或标记文件（HTML/SVG/XML）"),
    "unknown": ("of an unknown kind", "无法识别的类型"),
    "zip": ("a zip archive, not an Office file", "普通压缩包（不是 Office 文件）"),
    "big_list": ("an Office file whose content list is too large", "内容清单过大的 Office 文件"),
    "unsafe_zip": ("a damaged or unsafe zip/Office file", "已损坏或不安全的 Office 文件"),
    "no_main_part": ("a zip without a workbook or document part", "缺少工作簿或文档的压缩包"),
    "truncated_pdf": ("a truncated PDF (no end-of-file marker)", "不完整的 PDF（缺少结束标记）"),
    "windows": ("a Windows program", "Windows 可执行程序"),
    "linux": ("a Linux program", "Linux 可执行程序"),
    "java": ("a macOS or Java program", "macOS 或 Java 程序"),
    "macos": ("a macOS program", "macOS 可执行程序"),
    "script": ("a script", "脚本"),
    "ole": ("an old Office file (doc/xls)", "可能带宏的旧版 Office 文件（doc/xls）"),
    "rar": ("a RAR archive", "RAR 压缩包"),
    "7z": ("a 7z archive", "7z 压缩包"),
}
"""What a refused file is, in English and in Chinese."""
_MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


class AttachmentError(ValueError):
    """An attachment that is not stored; `code` is stable, the message says what to do."""

    def __init__(self, code: str, message: str, zh: str) -> None:
        super().__init__(message)
        self.code, self.message, self.zh = code, message, zh


@dataclass(frozen=True)
class Attachment:
    """A checked attachment: safe file name, detected type, size, SHA-256 and the bytes."""

    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def safe_filename(name: str | None, content_type: str) -> str:
    """`name` without directories, control or reserved characters, at most 120 characters
    with its extension kept; a neutral name when nothing is left."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = extension[:10]
    stem = stem[: 120 - len(extension) - 1] or "附件"
    return f"{stem}.{extension}" if extension else f"{stem}{EXTENSIONS[content_type][0]}"


def _refuse_type(reason: str) -> AttachmentError:
    what, what_zh = _REFUSED[reason]
    return AttachmentError(
        "attachment_type_forbidden",
        f"the file is {what}; only PDF, Word (.docx), Excel (.xlsx), PNG and JPEG are accepted",
        f"附件内容是{what_zh}，不允许上传；只接受 PDF、Word（.docx）、Excel（.xlsx）、"
        "PNG 和 JPEG 文件（按文件内容判断，不看扩展名）",
    )


def _office_type(data: bytes, max_unzipped: int) -> str:
    """XLSX or DOCX, from the zip's central directory and ``[Content_Types].xml``."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_ENTRIES:
                raise _refuse_type("many_files")
            unzipped = sum(info.file_size for info in members)
            packed = [i for i in members if i.file_size > _MAX_RATIO * max(1, i.compress_size)]
            if unzipped > max_unzipped or packed:
                raise AttachmentError(
                    "attachment_too_large",
                    f"the file unpacks to {unzipped} bytes or packs too densely"
                    f" (limit {max_unzipped}); it is refused as a possible zip bomb",
                    f"该文件解压后过大（{unzipped} 字节，上限 {max_unzipped} 字节）或压缩比异常，"
                    "可能是压缩炸弹，已拒收",
                )
            names = {info.filename for info in members}
            if _CONTENT_TYPES not in names:
                raise _refuse_type("zip")
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise _refuse_type("macros")
            with archive.open(_CONTENT_TYPES) as part:
                xml = part.read(_CONTENT_TYPES_MAX + 1)
        if len(xml) > _CONTENT_TYPES_MAX:
            raise _refuse_type("big_list")
        root = fromstring(xml, forbid_dtd=True)
    except AttachmentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, DefusedXmlException):
        raise _refuse_type("unsafe_zip") from None
    except Exception:  # ParseError and other XML faults of a hostile file
        raise _refuse_type("damaged") from None
    declared = {
        element.get("ContentType", ""): element.get("PartName", "")
        for element in root
        if element.tag.endswith("Override")
    }
    found = [(kind, name) for main, kind in _MAIN_PARTS.items() if (name := declared.get(main))]
    if len(found) != 1 or found[0][1].lstrip("/") not in names:
        raise _refuse_type("no_main_part")
    return found[0][0]


def detect(data: bytes, max_unzipped: int) -> str:
    """The media type of `data` when it is an allowed kind, else `AttachmentError`."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise _refuse_type("truncated_pdf")
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(data, max_unzipped)
    for magic, reason in _LOOKS_LIKE:
        if head.startswith(magic):
            raise _refuse_type(reason)
    if any(tag in head.lstrip().lower() for tag in _MARKUP):
        raise _refuse_type("markup")
    raise _refuse_type("unknown")


def check(data: bytes, name: str | None, *, max_bytes: int, max_unzipped: int) -> Attachment:
    """`data` named `name` as an `Attachment`, or `AttachmentError` saying why not."""
    if len(data) > max_bytes:
        raise AttachmentError(
            "attachment_too_large",
            f"{name or 'the file'} exceeds {max_bytes} bytes",
            f"附件“{name or ''}”超过大小上限 {max_bytes} 字节",
        )
    if not data:
        raise AttachmentError(
            "attachment_empty", f"{name or 'the file'} is empty", f"附件“{name or ''}”是空文件"
        )
    content_type = detect(data, max_unzipped)
    filename = safe_filename(name, content_type)
    extension = PurePosixPath(filename).suffix.lower()
    if extension not in EXTENSIONS[content_type]:
        kind = KINDS[content_type]
        raise AttachmentError(
            "attachment_type_mismatch",
            f"{filename} is named {extension or 'without an extension'} but its content is"
            f" {kind}; rename it {EXTENSIONS[content_type][0]} or attach the right file",
            f"附件“{filename}”的扩展名与内容不符：内容为 {kind} 文件",
        )
    digest = hashlib.sha256(data).hexdigest()
    return Attachment(filename, content_type, len(data), digest, data)
