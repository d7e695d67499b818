"""A magnesia kiln whose retrofit saving is worked by hand (shared by the retrofit tests).

Raw coal [t] into the kiln and magnesia [t] out of it, one reading per month (in the month's
first hour). Baseline 2024-01 .. 2024-12: output 1000 + 100·k t (k = 0 … 11), coal
0.2 t/t · output + 50 t. Reporting 2025-02 .. 2025-07: output 1500 t, coal
``reporting_rate`` t/t · output + 50 t. Raw coal 0.7143 kgce/kg (GB/T 2589-2020, unverified).
"""

from __future__ import annotations

from sqlalchemy import Connection, insert

from factories import add_item
from nenghao.standards.calendar import month_start
from nenghao.store.schema import readings

BASELINE = [(2024, month) for month in range(1, 13)]
REPORTING = [(2025, month) for month in range(2, 8)]


def _put(conn: Connection, item: int, values: dict[tuple[int, int], float]) -> None:
    rows = [
        {
            "item_id": item,
            "period": "hour",
            "period_start": month_start(y, m),
            "value": v,
            "source": "test",
            "received_at": month_start(y, m),
        }
        for (y, m), v in values.items()
    ]
    conn.execute(insert(readings), rows)


def kiln(conn: Connection, enterprise: int, name: str, reporting_rate: float) -> tuple[int, int]:
    """A kiln's coal and output items with their readings; (coal item, output item)."""
    coal = add_item(
        conn, enterprise, f"{name}.coal", energy_kind="raw_coal", unit="t", boundary=name
    )
    output = add_item(
        conn,
        enterprise,
        f"{name}.out",
        measures="product",
        usage="production",
        product_code=None,
        unit="t",
        boundary=name,
    )
    made = {key: 1000.0 + 100.0 * k for k, key in enumerate(BASELINE)}
    made |= dict.fromkeys(REPORTING, 1500.0)
    burnt = {key: 0.2 * made[key] + 50.0 for key in BASELINE}
    burnt |= {key: reporting_rate * made[key] + 50.0 for key in REPORTING}
    _put(conn, coal, burnt)
    _put(conn, output, made)
    return coal, output


def body(enterprise: int, coal: int, output: int, **fields: object) -> dict[str, object]:
    """The registration of the kiln's retrofit."""
    return {
        "enterprise_id": enterprise,
        "name": "3号轻烧窑改造",
        "energy_items": [coal],
        "product_item": output,
        "baseline_from": "2024-01",
        "baseline_to": "2024-12",
        "installation_from": "2025-01",
        "installation_to": "2025-01",
        "reporting_from": "2025-02",
        "reporting_to": "2025-07",
        "claimed_saving_tce": 1285.74,
        "investment_wan": 860.0,
        "measures": {"kiln_before": "反射窑", "kiln_after": "悬浮窑", "fuel_before": "原煤"},
        **fields,
    }
