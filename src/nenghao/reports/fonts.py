"""The Chinese font embedded in PDF reports.

ReportLab embeds TrueType-outline fonts only (not the CFF outlines of Noto CJK), so the
report uses WenQuanYi Zen Hei (Debian package ``fonts-wqy-zenhei``, TrueType collection) or
another TrueType CJK font named by ``NENGHAO_CJK_FONT`` (a .ttf, or .ttc with an optional
``#index``).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from nenghao.reports.errors import ReportFontError

FONT_NAME = "NenghaoCJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
INSTALL_HINT = (
    "install the Debian package fonts-wqy-zenhei or set NENGHAO_CJK_FONT=/path/to/font.ttf"
)


def _configured() -> list[tuple[Path, int]]:
    found: list[tuple[Path, int]] = []
    named = os.environ.get("NENGHAO_CJK_FONT")
    if named:
        path, _, index = named.partition("#")
        found.append((Path(path), int(index or 0)))
    found += [(Path(path), 0) for path in CANDIDATES]
    return found


@cache
def cjk_font() -> str:
    """Register the first CJK TrueType font found and return its ReportLab name.

    Raises
    ------
    ReportFontError
        When no candidate exists or none can be embedded.
    """
    tried = []
    for path, index in _configured():
        if not path.is_file():
            tried.append(str(path))
            continue
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=index))
        except Exception as exc:  # a CFF-outline or broken font: try the next one
            tried.append(f"{path} ({exc})")
            continue
        return FONT_NAME
    raise ReportFontError(f"no embeddable Chinese font found ({'; '.join(tried)}): {INSTALL_HINT}")
