"""Matrix rows of the file-import routes.

The matrix sends JSON, so an upload without a file is a 422 for the roles that may import
(authorisation comes first); uploads with files are in test_imports_api.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import SEES, Case, gate

IMPORTERS = {"admin", "regulator", "enterprise"}


def cases(role: str | None) -> list[Case]:
    """One row per import route (and per scope) for `role` (None: anonymous)."""
    rows = [Case(role, "POST", "/api/v1/enterprises/{a}/imports", gate(role, IMPORTERS, 422))]
    for label in "ac":
        status = 401 if role is None else 200 if label in SEES[role] else 404
        for query in ("", "?format=csv"):
            path = f"/api/v1/enterprises/{{{label}}}/import-template{query}"
            rows.append(Case(role, "GET", path, gate(role, set(ROLES), status)))
    return rows
