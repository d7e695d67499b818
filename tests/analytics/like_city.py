"""A small city for like-for-like comparisons: one reading a day, at 00:00-01:00 CST.

Enterprise ``a`` (electricity, hourly item): 1 000 kWh every day of 2025 except 1 July
(no reading: one day missing); 1 100 kWh every day of 2026 up to 30 November, 1 200 kWh on
1-4 December and 5 000 kWh on 5 December 2026 (the day still in progress when the tests
stand on 2026-12-05). Enterprise ``b`` (electricity): 1 000 kWh on each of 5-31 December
2024 (27 days) and every day of 2025. The values are returned so that the tests sum them.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert

from factories import add_enterprise, add_item
from nenghao.standards.calendar import cst_midnight
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings

TODAY = date(2026, 12, 5)
"""The CST day the tests stand on: its data is still coming in."""
KGCE_PER_KWH = 0.1229  # electricity, equivalent value (GB/T 2589-2020, appendix A)


def days(first: date, last: date) -> list[date]:
    """CST days from ``first`` to ``last``, both included."""
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def values_a() -> dict[date, float]:
    """Enterprise a's daily electricity [kWh]."""
    out = dict.fromkeys(days(date(2025, 1, 1), date(2025, 12, 31)), 1000.0)
    del out[date(2025, 7, 1)]
    out |= dict.fromkeys(days(date(2026, 1, 1), date(2026, 11, 30)), 1100.0)
    out |= dict.fromkeys(days(date(2026, 12, 1), date(2026, 12, 4)), 1200.0)
    out[date(2026, 12, 5)] = 5000.0
    return out


def values_b() -> dict[date, float]:
    """Enterprise b's daily electricity [kWh]."""
    return dict.fromkeys(days(date(2024, 12, 5), date(2025, 12, 31)), 1000.0)


def build(engine) -> dict[str, int]:
    """Enterprises a and b with their readings; rollups rebuilt. Returns the ids."""
    with engine.begin() as conn:
        ids = {
            "a": add_enterprise(conn, "MB0000001", "210302", "3110"),
            "b": add_enterprise(conn, "MB0000002", "210302", "3120"),
        }
        for name, values in (("a", values_a()), ("b", values_b())):
            item = add_item(conn, ids[name], "ent.elec", energy_kind="electricity", unit="kWh")
            conn.execute(
                insert(readings),
                [
                    {
                        "item_id": item,
                        "period": "hour",
                        "period_start": cst_midnight(day),
                        "value": value,
                        "source": "test",
                        "received_at": cst_midnight(day),
                    }
                    for day, value in values.items()
                ],
            )
        rebuild(conn)
    return ids


def in_span(values: dict[date, float], first: date, last: date) -> float:
    """The sum of ``values`` on the days ``first`` to ``last`` (both included) [kWh]."""
    return sum(v for day, v in values.items() if first <= day <= last)
