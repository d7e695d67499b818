"""A deactivated item's stored readings stay in the statistics of their periods."""

from __future__ import annotations

from sqlalchemy import insert, update

from factories import add_enterprise, add_item
from nenghao.analytics.items import load_items
from nenghao.store.schema import data_items, rollups
from nenghao.store.scope import Scope


def test_deactivated_items_with_readings_are_still_selected(engine):
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0DEAC01", "210302", "3110")
        kept = add_item(conn, enterprise, "ent.electricity", unit="kWh", energy_kind="electricity")
        empty = add_item(
            conn, enterprise, "ent.electricity.2", unit="kWh", energy_kind="electricity"
        )
        conn.execute(
            insert(rollups).values(item_id=kept, grain="month", period_start=0, value=5.0, count=1)
        )
        conn.execute(update(data_items).values(active=False))
    with engine.connect() as conn:
        selected = [item.id for item in load_items(conn, Scope.all(), ["fence"])]
    assert selected == [kept]
    assert empty not in selected
