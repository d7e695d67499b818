"""Blast furnaces whose unit consumption is worked by hand (shared by the two-high tests).

Each line is one boundary: coke [t] into it, hot metal [t] out of it, one hourly reading each
in the first hour of a month. Coke 0.9714 kgce/kg (GB/T 2589-2020), so ``c`` t of coke over
971.4 t of hot metal is c x 971.4 kgce / 971.4 t = ``c`` kgce/t (before rounding to 2
decimals). Hot metal levels (发改产业〔2023〕723号, unverified): benchmark 361, baseline 435.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert

from factories import add_item
from nenghao.standards.calendar import month_start
from nenghao.store.schema import readings

OUTPUT_T = 971.4


def _put(conn: Connection, item: int, values: dict[tuple[int, int], float]) -> None:
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
            for (y, m), v in values.items()
        ],
    )


def furnace(
    conn: Connection,
    enterprise: int,
    boundary: str,
    coke_t: dict[tuple[int, int], float],
    output_t: dict[tuple[int, int], float] | None = None,
    product: str = "hot_metal",
) -> int:
    """A boundary with coke in and `product` out (971.4 t in each month of `coke_t` unless
    `output_t` says otherwise); returns the product item's id."""
    coke = add_item(
        conn, enterprise, f"{boundary}.coke", energy_kind="coke", unit="t", boundary=boundary
    )
    _put(conn, coke, coke_t)
    item = add_item(
        conn,
        enterprise,
        f"{boundary}.out",
        measures="product",
        usage="production",
        product_code=product,
        unit="t",
        boundary=boundary,
    )
    _put(conn, item, output_t if output_t is not None else dict.fromkeys(coke_t, OUTPUT_T))
    return item
