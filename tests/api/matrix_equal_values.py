"""Role x route rows of the equal value of electricity by year."""

from __future__ import annotations

from matrix import Case, gate

READERS = {"admin", "regulator", "district", "auditor"}
BODY = {"value": 0.3055, "source": "test source"}


def cases(role: str | None) -> list[Case]:
    """Regulators read; only an administrator sets."""
    return [
        Case(role, "GET", "/api/v1/catalog/equal-values", gate(role, READERS, 200)),
        Case(
            role,
            "PUT",
            "/api/v1/catalog/equal-values/{year}",
            gate(role, {"admin"}, 201),
            body=BODY,
        ),
    ]
