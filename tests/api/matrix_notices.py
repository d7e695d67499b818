"""Matrix rows of the notice routes (通知公告).

The matrix sends JSON, so a notice without its form fields is a 422 for the roles that may
send (authorisation comes first); notices with fields and files are in test_notices_api.
Notice and attachment ids use the ``{quarantine}`` placeholder (a missing id, 999999).
"""

from __future__ import annotations

from api_support import ROLES
from matrix import Case, gate

SENDERS = {"admin", "regulator", "district"}


def cases(role: str | None) -> list[Case]:
    """One row per notice route for `role` (None: anonymous)."""
    everyone = set(ROLES)
    return [
        Case(role, "POST", "/api/v1/notices", gate(role, SENDERS, 422), body={"title": "x"}),
        Case(role, "GET", "/api/v1/notices", gate(role, everyone, 200)),
        Case(role, "GET", "/api/v1/notices?unread=true", gate(role, everyone, 200)),
        Case(role, "GET", "/api/v1/notices/unread", gate(role, everyone, 200)),
        Case(role, "GET", "/api/v1/notices/{quarantine}", gate(role, everyone, 404)),
        Case(role, "GET", "/api/v1/notices/{quarantine}/receipts", gate(role, SENDERS, 404)),
        Case(role, "GET", "/api/v1/notices/attachments/{quarantine}", gate(role, everyone, 404)),
    ]
