"""An approved project of enterprise e1 (铁东区) metered by three daily items, for the
after-commissioning tests.

The project (`project_support.FIELDS` with a planned unit consumption): 2 000 t raw coal and
100 万kWh a year; counted consumption 1 428.6 + 122.9 = 1 551.5 tce (当量值), equal value
1 428.6 + 1e6 kWh x 0.404 kgce/kWh = 1 832.6 tce (等价值); 涂料 50 000 t at a planned
31.03 kgce/t (1 551.5 tce / 50 000 t).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from project_support import FIELDS
from sqlalchemy import insert

from factories import add_item
from nenghao.review import commissioning, register, workflow
from nenghao.standards.calendar import cst_midnight
from nenghao.store import projects as store
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings
from nenghao.store.scope import Scope

PDF = {
    "filename": "r.pdf",
    "content_type": "application/pdf",
    "size": 3,
    "sha256": "0" * 64,
    "content": b"%PDF",
}
PLANNED = {
    **FIELDS,
    "products": [
        {
            "product": None,
            "name": "涂料",
            "capacity": 50000,
            "unit": "t",
            "planned_unit_consumption": 31.03,
        }
    ],
}


def approved_project(conn: Any, people: dict[str, Any]) -> int:
    """The project, applied for by e1, through the review to approval."""
    ent, city = people["ent1"], people["city"]
    pid = register.create(conn, ent, Scope.for_user(ent), PLANNED)
    store.add_document(conn, pid, "energy_report", PDF, ent["id"])
    for user, action, payload in (
        (ent, "submit", {}),
        (city, "accept", {}),
        (city, "opinion", {"expert": "王工", "opinion": "同意"}),
        (city, "approve", {"conditions": "投产后一年内完成节能验收"}),
    ):
        workflow.act(conn, user, Scope.for_user(user), pid, action, payload)
    return pid


def metering_items(conn: Any, enterprise: int) -> dict[str, int]:
    """Coal [t], electricity [kWh] and the product [t], read daily."""
    day = {"period": "day", "boundary": "coating_line"}
    return {
        "coal": add_item(conn, enterprise, "P.COAL", energy_kind="raw_coal", unit="t", **day),
        "elec": add_item(conn, enterprise, "P.ELEC", energy_kind="electricity", unit="kWh", **day),
        "out": add_item(
            conn,
            enterprise,
            "P.OUT",
            name="涂料",
            measures="product",
            usage="production",
            unit="t",
            **day,
        ),
    }


def put_days(conn: Any, item: int, first: date, last: date, value: float) -> None:
    """One daily reading of `value` on each CST day from `first` to `last` (inclusive)."""
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    conn.execute(
        insert(readings),
        [
            {
                "item_id": item,
                "period": "day",
                "period_start": cst_midnight(d),
                "value": value,
                "source": "test",
                "received_at": cst_midnight(d),
            }
            for d in days
        ],
    )


def operating(conn: Any, people: dict[str, Any], *, jan_feb: bool = True) -> tuple[int, dict]:
    """The approved project commissioned on 2025-01-01, linked to its three items; with
    `jan_feb`, January and February 2025 metered at 7 t coal, 1 000 kWh and 140 t a day."""
    pid = approved_project(conn, people)
    items = metering_items(conn, people["e1"])
    if jan_feb:
        for key, value in (("coal", 7.0), ("elec", 1000.0), ("out", 140.0)):
            put_days(conn, items[key], date(2025, 1, 1), date(2025, 2, 28), value)
        rebuild(conn, items.values())
    city = people["city"]
    commissioning.link(
        conn, city, Scope.all(), pid, list(items.values()), commissioned_on=date(2025, 1, 1)
    )
    return pid, items
