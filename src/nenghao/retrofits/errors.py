"""Errors of retrofit projects and their M&V: store errors with a stable code, so the API
answers them in the one error shape (422, 404) and the command line exits 2."""

from __future__ import annotations

from typing import Any

from nenghao.store.common import InvalidInputError, NotFoundError


class MvInputError(InvalidInputError):
    """Data or periods that cannot give a baseline model or a saving (422).

    ``details`` holds the field (``baseline_period``, ``variables[0]``, …) and the figures.
    """

    def __init__(
        self, code: str, message: str, zh: str | None = None, field: str | None = None, **extra: Any
    ) -> None:
        details = {**({"field": field} if field else {}), **extra}
        super().__init__(message, code=code, details=details or None, zh=zh)


def retrofit_not_found(retrofit_id: int) -> NotFoundError:
    """No retrofit project of that id in the caller's scope (404, also outside scope)."""
    return NotFoundError(f"retrofit project {retrofit_id} not found", code="retrofit_not_found")
