"""Matrix rows of the uplink routes: uploads, filings, quarantine, and the device-signed
``POST /api/v1/uplink``, ``POST /api/v1/uplink/heartbeat`` and ``GET
/api/v1/uplink/items|readings`` (a user token is never a device signature: 401 for every
role)."""

from __future__ import annotations

from api_support import ROLES
from matrix import SEES, Case, gate

FILERS = {"admin", "regulator", "enterprise"}
QUARANTINE_WRITERS = {"admin", "regulator", "district", "enterprise"}
FILING = {
    "records": [
        {
            "item": "NOT-REGISTERED",
            "period": "month",
            "start": "2024-01-01T00:00:00+08:00",
            "value": 1.0,
            "unit": "kWh",
        }
    ]
}


def _in_scope(role: str | None, label: str, ok: int) -> int:
    if role is None:
        return 401
    return ok if label in SEES[role] else 404


def cases(role: str | None) -> list[Case]:
    """One row per uplink route for `role` (None: anonymous)."""
    everyone = gate(role, set(ROLES), 200)
    filing_status = gate(role, FILERS, 200)
    if filing_status == 200:
        filing_status = _in_scope(role, "a", 200)
    quarantine_write = gate(role, QUARANTINE_WRITERS, 404)  # entry 999999 does not exist
    return [
        Case(role, "POST", "/api/v1/uplink", 401, body={}),
        Case(role, "POST", "/api/v1/uplink/heartbeat", 401, body={}),
        Case(role, "GET", "/api/v1/uplink/items", 401),
        Case(role, "GET", "/api/v1/uplink/readings?range=2024-05", 401),
        Case(role, "GET", "/api/v1/enterprises/{a}/uploads", _in_scope(role, "a", everyone)),
        Case(role, "GET", "/api/v1/enterprises/{c}/uploads", _in_scope(role, "c", everyone)),
        Case(role, "POST", "/api/v1/enterprises/{a}/filings", filing_status, body=FILING),
        Case(role, "GET", "/api/v1/quarantine", everyone),
        Case(role, "POST", "/api/v1/quarantine/{quarantine}/reprocess", quarantine_write),
        Case(
            role,
            "POST",
            "/api/v1/quarantine/{quarantine}/dismiss",
            quarantine_write,
            body={"reason": "meter out of service"},
        ),
        Case(
            role,
            "POST",
            "/api/v1/devices/{key}/rotate",
            gate(role, {"admin", "regulator"}, 200),
        ),
    ]
