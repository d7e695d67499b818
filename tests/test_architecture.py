"""Guard rails of the code's shape (docs/architecture.md): small modules, one home each."""

from __future__ import annotations

from pathlib import Path

import nenghao

SRC = Path(nenghao.__file__).parent
MAX_LINES = 500
EXEMPT = ("store/migrations",)
"""Migrations are a history of the schema, written once and never edited."""


def _modules() -> list[Path]:
    found = [
        path
        for path in SRC.rglob("*.py")
        if not any(path.relative_to(SRC).as_posix().startswith(e) for e in EXEMPT)
    ]
    assert len(found) > 100, "the package's modules were not found"
    return found


def test_no_module_is_over_500_lines() -> None:
    long = {
        path.relative_to(SRC).as_posix(): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (at most {MAX_LINES} lines each): {long}"


def test_every_package_directory_is_a_package() -> None:
    """A directory of modules without ``__init__.py`` escapes the import contracts."""
    missing = sorted(
        path.parent.relative_to(SRC).as_posix()
        for path in _modules()
        if not (path.parent / "__init__.py").is_file()
    )
    assert missing == []
