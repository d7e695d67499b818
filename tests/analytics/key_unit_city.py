"""A small city whose key-unit list changes between 2024 and 2025, worked out by hand.

Coke only (GB/T 2589-2020: 0.9714 kgce/kg, i.e. 0.9714 tce/t, 当量值), one hourly reading at
the start of a month. Key-unit threshold 10 000 tce, designation range from 5 000 tce.

========  ===========================  ===========================  =========
label     2024                         2025                         change
========  ===========================  ===========================  =========
leaves    Jan 12 000 t = 11 656.8 tce  Jan 6 000 t = 5 828.4 tce    removal
joins     Feb 9 000 t = 8 742.6 tce    Jan 11 000 t = 10 685.4 tce  addition
stays     Mar 20 000 t = 19 428 tce    Jan 15 000 t = 14 571 tce    none
small     -                            Jun 100 t = 97.14 tce        none
========  ===========================  ===========================  =========

Months with data: 2024 three (Jan, Feb, Mar); 2025 two (Jan, Jun).
"""

from __future__ import annotations

from sqlalchemy import Connection, insert

from factories import add_item
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings

COKE_T = {
    "leaves": {(2024, 1): 12_000.0, (2025, 1): 6_000.0},
    "joins": {(2024, 2): 9_000.0, (2025, 1): 11_000.0},
    "stays": {(2024, 3): 20_000.0, (2025, 1): 15_000.0},
    "small": {(2025, 6): 100.0},
}


def seed(conn: Connection, ids: dict[str, int]) -> None:
    """Coke readings of the labelled enterprises given (``ids``: label -> enterprise id)."""
    for label, enterprise in ids.items():
        amounts = COKE_T[label]
        item = add_item(conn, enterprise, "ent.coke", energy_kind="coke", unit="t")
        conn.execute(
            insert(readings),
            [
                {
                    "item_id": item,
                    "period": "hour",
                    "period_start": month_start(y, m),
                    "value": v,
                    "source": "test",
                    "received_at": month_start(y, m),
                }
                for (y, m), v in amounts.items()
            ],
        )
    rebuild(conn)
