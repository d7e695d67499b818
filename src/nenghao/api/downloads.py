"""File answers: the ``Content-Disposition`` of a download, Chinese names included."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Response


def content_disposition(filename: str) -> str:
    """An ``attachment`` disposition: an ASCII ``filename`` for old clients and the exact
    name as ``filename*`` (RFC 5987/6266, UTF-8, percent-encoded)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def stored_file(found: dict[str, Any]) -> Response:
    """A stored file (``content``, ``content_type``, ``filename``) as a private download."""
    return Response(
        found["content"],
        media_type=found["content_type"],
        headers={
            "Content-Disposition": content_disposition(found["filename"]),
            "Cache-Control": "private, no-store",
        },
    )
