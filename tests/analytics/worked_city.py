"""A tiny city whose statistics are worked out by hand in the tests.

Readings sit in the first hour of each month (00:00-01:00 CST on the 1st), so every figure
is a short sum. Enterprise ``a`` (registered key unit):

* ``ent.elec`` electricity: 1 000 000 kWh in every month of 2024; 1 100 000 / 1 200 000 /
  1 300 000 kWh in January / February / March 2025;
* ``ent.coal`` raw coal: 100 t every month of 2024 and January-March 2025;
* ``ent.heat`` heat: 1 000 GJ in January 2025 (no equal-value coefficient);
* ``ent.feed`` natural gas used as raw material: 10 000 m3 in January 2025;
* ``ent.green`` renewable electricity: 100 000 kWh in February 2025;
* ``ent.added`` added value: 1 000 万元 each month of 2024, 1 100 万元 January-March 2025;
  ``ent.output`` output value four times that;
* sintering boundary: ``sintering.coke`` 4 t, ``sintering.elec`` 10 000 kWh and
  ``sintering.sinter`` 100 t of sinter in each month January-March 2025.

Enterprise ``b`` (registered key unit): ``ent.coke`` 600 t of coke every month of 2024 and
January-March 2025; EAF boundary ``eaf.elec`` 50 000 kWh and ``eaf.steel`` 100 t of
``eaf_steel_ge70`` in January 2025. Enterprise ``c`` has no data.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, insert, update

from factories import add_item
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import enterprises, readings

MONTHS_2024 = [(2024, m) for m in range(1, 13)]
Q1_2025 = [(2025, m) for m in (1, 2, 3)]


def _put(conn: Connection, item: int, values: dict[tuple[int, int], float], period: str = "hour"):
    conn.execute(
        insert(readings),
        [
            {
                "item_id": item,
                "period": period,
                "period_start": month_start(y, m),
                "value": v,
                "source": "test",
                "received_at": month_start(y, m),
            }
            for (y, m), v in values.items()
        ],
    )


def seed(conn: Connection, a: int, b: int) -> dict[str, int]:
    """Items and readings of the worked city on enterprises ``a`` and ``b``; rollups rebuilt."""
    item = {}

    def add(enterprise: int, code: str, **values) -> int:
        item[code if enterprise == a else f"b:{code}"] = add_item(conn, enterprise, code, **values)
        return item[code if enterprise == a else f"b:{code}"]

    elec = add(a, "ent.elec", energy_kind="electricity", unit="kWh")
    _put(
        conn,
        elec,
        {**dict.fromkeys(MONTHS_2024, 1e6), (2025, 1): 1.1e6, (2025, 2): 1.2e6, (2025, 3): 1.3e6},
    )
    coal = add(a, "ent.coal", energy_kind="raw_coal", unit="t")
    _put(conn, coal, dict.fromkeys(MONTHS_2024 + Q1_2025, 100.0))
    heat = add(a, "ent.heat", energy_kind="heat", unit="GJ")
    _put(conn, heat, {(2025, 1): 1000.0})
    feed = add(a, "ent.feed", energy_kind="natural_gas", unit="m3", usage="raw_material")
    _put(conn, feed, {(2025, 1): 10000.0})
    green = add(a, "ent.green", energy_kind="electricity", unit="kWh", renewable=True)
    _put(conn, green, {(2025, 2): 100000.0})
    for code, measures, amount in (
        ("ent.added", "added_value", 1.0),
        ("ent.output", "output_value", 4.0),
    ):
        value = add(a, code, measures=measures, usage="value", unit="万元", period="month")
        _put(
            conn,
            value,
            {
                **dict.fromkeys(MONTHS_2024, 1000.0 * amount),
                **dict.fromkeys(Q1_2025, 1100.0 * amount),
            },
            "month",
        )
    for code, kind, unit, amount in (
        ("sintering.coke", "coke", "t", 4.0),
        ("sintering.elec", "electricity", "kWh", 10000.0),
    ):
        sub = add(a, code, energy_kind=kind, unit=unit, boundary="sintering")
        _put(conn, sub, dict.fromkeys(Q1_2025, amount))
    sinter = add(
        a,
        "sintering.sinter",
        measures="product",
        usage="production",
        product_code="sinter",
        unit="t",
        boundary="sintering",
    )
    _put(conn, sinter, dict.fromkeys(Q1_2025, 100.0))
    coke = add(b, "ent.coke", energy_kind="coke", unit="t")
    _put(conn, coke, dict.fromkeys(MONTHS_2024 + Q1_2025, 600.0))
    eaf = add(b, "eaf.elec", energy_kind="electricity", unit="kWh", boundary="eaf")
    _put(conn, eaf, {(2025, 1): 50000.0})
    steel = add(
        b,
        "eaf.steel",
        measures="product",
        usage="production",
        product_code="eaf_steel_ge70",
        unit="t",
        boundary="eaf",
    )
    _put(conn, steel, {(2025, 1): 100.0})
    conn.execute(
        update(enterprises).where(enterprises.c.id.in_((a, b))).values(key_unit_level="key")
    )
    rebuild(conn)
    return item


AS_OF = date(2025, 3, 31)

# Hand-worked figures (GB/T 2589-2020 coefficients: electricity 0.1229 kgce/kWh equivalent,
# 0.404 kgce/kWh equal value (fallback); raw coal 0.7143 kgce/kg; heat 0.03412 kgce/MJ;
# coke 0.9714 kgce/kg; natural gas 1.2143 kgce/m3).
A_JAN_2025_EQUIVALENT = 1.1e6 * 0.1229 / 1000 + 71.43 + 34.12 + 12.143  # 252.883 tce
A_JAN_2025_EQUAL = 1.1e6 * 0.404 / 1000 + 71.43 + 12.143  # 527.973 tce (heat left out)
A_MONTH_2024_EQUIVALENT = 122.9 + 71.43  # 194.33 tce
B_MONTH_EQUIVALENT = 582.84  # 600 t coke x 0.9714


def build(engine) -> tuple[dict[str, int], dict[str, int]]:
    """Enterprises a (210302/3110), b (210302/3120), c (210381/3089) and the worked data."""
    from factories import add_enterprise

    with engine.begin() as conn:
        ids = {
            "a": add_enterprise(conn, "MA0000001", "210302", "3110"),
            "b": add_enterprise(conn, "MA0000002", "210302", "3120"),
            "c": add_enterprise(conn, "MA0000003", "210381", "3089"),
        }
        items = seed(conn, ids["a"], ids["b"])
    return ids, items
