"""Files for notice attachments, built in the test: allowed kinds and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from hostile_workbooks import LAUGHS, rewrite, workbook

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def png() -> bytes:
    """A 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """The start and end of a JPEG (the content check reads the start)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx() -> bytes:
    """A minimal Word document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
    return out.getvalue()


def xlsx() -> bytes:
    """A valid workbook (openpyxl)."""
    return workbook()


def zip_bomb() -> bytes:
    """A workbook with one more part of 64 MiB of zeros (it packs about 1000:1)."""
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\x00" * (64 * 1024 * 1024))
    return out.getvalue()


def laughing_types() -> bytes:
    """A workbook whose [Content_Types].xml declares the billion laughs."""
    return rewrite(workbook(), "[Content_Types].xml", lambda xml: LAUGHS + xml)


def plain_zip() -> bytes:
    """A zip archive that is no Office file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def macro_workbook() -> bytes:
    """A workbook carrying a VBA project."""
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()
