"""Input is read with ASCII digits only: no ``\\d`` pattern or ``isdigit()`` in the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nenghao.standards.digits import is_digits

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nenghao"
HELPER = PACKAGE / "standards" / "digits.py"
UNICODE_DIGIT_CHECKS = re.compile(r"\\d|\.is(?:digit|decimal|numeric)\(")


def test_no_unicode_digit_checks_in_the_package() -> None:
    sources = [p for p in PACKAGE.rglob("*.py") if p != HELPER]
    assert len(sources) > 100, "no sources found"
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNICODE_DIGIT_CHECKS.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", True), ("2025", True), ("", False), ("１", False), ("٣", False), ("²", False)],
)
def test_is_digits(text: str, expected: bool) -> None:
    assert is_digits(text) is expected
