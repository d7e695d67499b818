"""Users, enterprises and project fields shared by the project tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from factories import add_enterprise
from nenghao.store.schema import users

FIELDS: dict[str, Any] = {
    "name": "年产 5 万吨涂料项目",
    "construction_type": "new",
    "first_full_year": 2027,
    "output_value": 50000.0,
    "added_value": 12000.0,
    "energy": [
        {"energy": "raw_coal", "quantity": 2000, "unit": "t"},
        {"energy": "electricity", "quantity": 100, "unit": "万kWh"},
    ],
    "products": [{"product": None, "name": "涂料", "capacity": 50000, "unit": "t"}],
}
"""1 428.6 tce of coal (2 000 t x 0.7143) + 122.9 tce of electricity (1e6 kWh x 0.1229
kgce/kWh) = 1 551.5 tce: the local tier."""


def add_user(conn: Connection, username: str, role: str, **scope: Any) -> dict[str, Any]:
    """Insert a user (no usable password) and return it as the services see it."""
    row = {"username": username, "role": role, "password_hash": "x", "created_at": 0}
    row |= {"password_changed_at": 0, **scope}
    user_id = conn.execute(insert(users).values(**row)).inserted_primary_key[0]
    return {
        "id": user_id,
        "display_name": None,
        "division_code": None,
        "enterprise_id": None,
        **row,
    }


def cast(conn: Connection) -> dict[str, Any]:
    """Two enterprises (铁东区, 铁西区) and a user of each role."""
    e1 = add_enterprise(conn, "P00000001", "210302", "2641")
    e2 = add_enterprise(conn, "P00000002", "210303", "2641")
    return {
        "e1": e1,
        "e2": e2,
        "ent1": add_user(conn, "ent1", "enterprise", enterprise_id=e1),
        "ent2": add_user(conn, "ent2", "enterprise", enterprise_id=e2),
        "dist1": add_user(conn, "dist1", "district", division_code="210302"),
        "dist2": add_user(conn, "dist2", "district", division_code="210303"),
        "city": add_user(conn, "city", "regulator"),
        "auditor": add_user(conn, "auditor", "auditor"),
    }
