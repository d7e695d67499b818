"""A hand-made enterprise with one fault of each kind in March 2025 (CST).

Items: hourly fence electricity (kWh) and natural gas (m3), an hourly steam register (t),
monthly output value and added value (万元). Faults:

* electricity: 6 h missing on 5 March (18 of 24: a gap and an incomplete day), a spike of
  900 on 10 March 08:00, -50 on 12 March 03:00, every hour of 20 March received 7 h late,
  15 h stuck at 101.5 from 25 March 00:00;
* natural gas: a daily filing for 7 March 10 % above the metered sum (and a correct one for
  8 March), 28 March 10:00 received at 10:30, before its hour ended;
* steam register: drops on 15 March 06:00;
* output value: no March filing; added value: March filed on 9 April (deadline 5 April).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, insert

from factories import add_enterprise, add_item
from nenghao.standards.calendar import CST, cst_midnight
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings

MARCH = cst_midnight(date(2025, 3, 1))
APRIL = cst_midnight(date(2025, 4, 1))
HOUR = 3600


def at(day: int, hour: int = 0, month: int = 3) -> int:
    """Unix seconds of 2025-<month>-<day> <hour>:00 CST."""
    return int(datetime(2025, month, day, hour, tzinfo=CST).timestamp())


def _row(item: int, start: int, value: float, received: int | None = None, **extra) -> dict:
    return {
        "item_id": item,
        "period": extra.pop("period", "hour"),
        "period_start": start,
        "value": value,
        "register_value": extra.pop("register_value", None),
        "source": "test",
        "received_at": start + HOUR if received is None else received,
        **extra,
    }


def build(conn: Connection) -> dict[str, int]:
    """Insert the enterprise, its items and readings; returns the ids by name."""
    ent = add_enterprise(conn, "MA0CRAFT1", "210302", "3120")
    ids = {"enterprise": ent}
    ids["electricity"] = add_item(
        conn,
        ent,
        "ent.electricity",
        energy_kind="electricity",
        unit="kWh",
        created_at=MARCH - 86_400,
    )
    ids["gas"] = add_item(
        conn,
        ent,
        "ent.natural_gas",
        energy_kind="natural_gas",
        unit="m3",
        created_at=MARCH - 86_400,
    )
    ids["steam"] = add_item(
        conn,
        ent,
        "ent.steam",
        energy_kind="steam",
        unit="t",
        value_kind="register",
        created_at=MARCH - 86_400,
    )
    for name in ("output_value", "added_value"):
        ids[name] = add_item(
            conn,
            ent,
            f"ent.{name}",
            measures=name,
            usage="value",
            unit="万元",
            period="month",
            manual=True,
            created_at=0,
        )
    rows = []
    start = MARCH
    while start < APRIL:
        hour = (start - MARCH) // HOUR
        register = 1000.0 + 5.0 * hour - (40.0 if start >= at(15, 6) else 0.0)
        rows.append(_row(ids["gas"], start, 10.0 + (hour % 4) * 0.1))
        rows.append(_row(ids["steam"], start, 5.0, register_value=register))
        rows.append(_row(ids["electricity"], start, 100.0 + hour % 3))
        start += HOUR
    faults = {
        **{at(5, h): None for h in range(10, 16)},  # gap
        at(10, 8): 900.0,
        at(12, 3): -50.0,
        **{at(25, h): 101.5 for h in range(15)},
    }
    electricity = []
    for row in rows:
        if row["item_id"] == ids["electricity"] and row["period_start"] in faults:
            value = faults[row["period_start"]]
            if value is None:
                continue
            row = {**row, "value": value}
        if row["item_id"] == ids["electricity"] and at(20) <= row["period_start"] < at(21):
            row = {**row, "received_at": row["period_start"] + 8 * HOUR}
        if row["item_id"] == ids["gas"] and row["period_start"] == at(28, 10):
            row = {**row, "received_at": at(28, 10) + 1800}
        electricity.append(row)
    conn.execute(insert(readings), electricity)
    metered_day = sum(10.0 + (h % 4) * 0.1 for h in range(24))
    conn.execute(
        insert(readings),
        [
            _row(ids["gas"], at(7), metered_day * 1.10, at(8), period="day"),
            _row(ids["gas"], at(8), metered_day * 1.01, at(9), period="day"),
            _row(ids["added_value"], MARCH, 1234.0, at(9, 10, month=4), period="month"),
        ],
    )
    rebuild(conn, [v for k, v in ids.items() if k != "enterprise"])
    return ids


def backfill_gap(conn: Connection, item: int) -> None:
    """File the six missing hours of 5 March (as a late manual repair)."""
    rows = [_row(item, at(5, h), 100.0 + h % 3, at(6, 12)) for h in range(10, 16)]
    conn.execute(insert(readings), rows)
    rebuild(conn, [item])
