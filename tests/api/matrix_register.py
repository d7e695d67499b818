"""Role x route rows of an enterprise's energy manager and contacts.

Admin and regulator change any enterprise's; the enterprise its own only (another one, like
a missing one, is 404); district and auditor may not.
"""

from __future__ import annotations

from matrix import SEES, Case, gate

CONTACT_WRITERS = {"admin", "regulator", "enterprise"}
BODY = {"manager": {"name": "王能源", "phone": "13904121234"}, "contacts": [{"name": "李联络"}]}


def cases(role: str | None) -> list[Case]:
    """One row per enterprise label for `role`."""
    rows = []
    for label in "ac":
        path = f"/api/v1/enterprises/{{{label}}}/contacts"
        status = gate(role, CONTACT_WRITERS, 200)
        if status == 200 and role is not None and label not in SEES[role]:
            status = 404
        rows.append(Case(role, "PATCH", path, status, body=BODY))
    return rows
