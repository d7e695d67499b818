"""Role x route rows of an enterprise's data items.

Item paths use an item id that does not exist (``{item}``): a caller who may reach the route
and sees the enterprise gets 404 ``item_not_found``; behaviour with real items is in
test_items_api and test_items_import.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import SEES, Case, gate

ITEM_WRITERS = {"admin", "regulator", "district", "enterprise"}
BODY = {"name": "全厂电力消耗", "measures": "energy", "energy_kind": "电力"}
BODY |= {"unit": "kWh", "period": "hour"}
ITEM = "/api/v1/enterprises/{a}/items/{item}"


def cases(role: str | None) -> list[Case]:
    """One row per item route (and per scope for the listings) for `role`."""
    everyone = set(ROLES)
    rows = [
        Case(
            role, "POST", "/api/v1/enterprises/{a}/items", gate(role, ITEM_WRITERS, 201), body=BODY
        ),
        Case(
            role,
            "POST",
            "/api/v1/enterprises/{a}/items/code-proposal",
            gate(role, everyone, 200),
            body=BODY,
        ),
        Case(role, "POST", "/api/v1/enterprises/{a}/items/import", gate(role, ITEM_WRITERS, 422)),
        Case(role, "GET", ITEM, gate(role, everyone, 404)),
        Case(role, "GET", ITEM + "/versions", gate(role, everyone, 404)),
        Case(role, "PATCH", ITEM, gate(role, ITEM_WRITERS, 404), body={"name": "改名"}),
        Case(role, "POST", ITEM + "/deactivate", gate(role, ITEM_WRITERS, 404), body={}),
    ]
    for label in "ac":
        status = 401 if role is None else 200 if label in SEES[role] else 404
        for path in ("items", "item-template"):
            rows.append(Case(role, "GET", f"/api/v1/enterprises/{{{label}}}/{path}", status))
    return rows
