"""Refresh the pictures of docs/web.md from the browser tests' screenshots.

The browser tests save a full-page screenshot of every menu page, per role, in zh-CN at
1440 px (``tests/web/test_zh_walk.py``: ``zh-walk-<role>-<page>.png``) and at 390 px
(``tests/web/test_layout_narrow.py``: ``narrow-<role>-<page>.png``) under
``test-artifacts/web/``. This script takes, for each page, the shot of the role that asks the
page's question, keeps the top of the page (what the user sees first) and writes a JPEG into
``docs/images/web/``: ``<page>.jpg`` (1440 px, scaled to 960) and ``<page>-390.jpg``.

    make test            # or: .venv/bin/python -m pytest tests/web/test_zh_walk.py \\
                         #       tests/web/test_layout_narrow.py
    .venv/bin/python scripts/docs_screenshots.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "web"
OUT = ROOT / "docs" / "images" / "web"

ASKER = {
    "overview": "regulator",
    "divisions": "regulator",
    "industries": "regulator",
    "exceeders": "regulator",
    "benchmarking": "regulator",
    "targets": "regulator",
    "enterprises": "regulator",
    "key-units": "regulator",
    "data-entry": "enterprise",
    "quarantine": "regulator",
    "quality": "district",
    "alerts": "regulator",
    "reports": "regulator",
    "review-projects": "district",
    "review-inbox": "district",
    "two-high": "district",
    "convert": "enterprise",
    "catalog": "regulator",
    "users": "admin",
    "devices": "admin",
    "audit": "auditor",
}
"""Page name (web/src/router/pages.ts) -> the demo role whose question the page answers."""

DETAIL = {
    "enterprise": "enterprise-detail-energy.png",
    "review-project": "review-project-assessment.png",  # tests/web/test_review_life.py
    "review-operation": "review-project-operation.png",
    "two-high-installation": "two-high-installation.png",  # tests/web/test_two_high_ledger.py
}
"""Pages outside the menu -> the shot of them at 1440 px (tests/web/test_analytics.py and the
review tests)."""

WIDE = (960, 1200)
"""Width the 1440 px shot is scaled to, and the height kept after scaling."""
NARROW = (390, 1300)
"""The 390 px shot is kept at its width; the height kept."""


def _write(source: Path, target: Path, size: tuple[int, int]) -> None:
    width, keep = size
    with Image.open(source) as shot:
        image = shot.convert("RGB")
    if image.width != width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.crop((0, 0, width, min(keep, image.height))).save(target, quality=80, optimize=True)


def main() -> int:
    """Write the pictures; name the shots that are missing."""
    OUT.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    for number, (name, role) in enumerate(ASKER.items(), 1):
        for prefix, suffix, size in (("zh-walk", "", WIDE), ("narrow", "-390", NARROW)):
            source = SHOTS / f"{prefix}-{role}-{name}.png"
            if source.exists():
                _write(source, OUT / f"{name}{suffix}.jpg", size)
            else:
                missing.append(source.name)
        print(f"[{number}/{len(ASKER)}] {name} ({role})", flush=True)
    for name, shot in DETAIL.items():
        if (SHOTS / shot).exists():
            _write(SHOTS / shot, OUT / f"{name}.jpg", WIDE)
        else:
            missing.append(shot)
    for name in missing:
        print(f"missing: {SHOTS / name} (run the browser tests first)", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
