"""Shared pieces of the role x route matrix.

Each resource adds its rows in its own module ``tests/api/matrix_<resource>.py`` with a
function ``cases(role: str | None) -> list[Case]``; test_access_matrix collects them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api_support import ROLES

ANON = None
ALL_ROLES = (*ROLES, ANON)
SEES = {
    "admin": "abc",
    "regulator": "abc",
    "auditor": "abc",
    "district": "ab",
    "enterprise": "a",
}
WRITERS = {
    "enterprises": {"admin", "regulator"},
    "users": {"admin"},
    "devices": {"admin", "regulator"},
}
READERS = {"users": {"admin", "auditor"}, "audit": {"admin", "auditor"}}
READERS["devices"] = {"admin", "regulator", "auditor"}


@dataclass(frozen=True)
class Case:
    """One call: role (None: anonymous), method, path template, expected status."""

    role: str | None
    method: str
    path: str
    status: int
    visible: str | None = None  # enterprise labels a list answer must show, exactly
    body: Any = None

    @property
    def id(self) -> str:
        return f"{self.role or 'anon'}-{self.method}-{self.path}"


def gate(role: str | None, allowed: set[str], ok: int) -> int:
    if role is None:
        return 401
    return ok if role in allowed else 403
