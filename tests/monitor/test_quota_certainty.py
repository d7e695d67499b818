"""Severity follows certainty: a product above a limit whose values are unverified (the
local magnesia placeholders) raises an informational alert that says why; above a
confirmed limit, a critical one.

Worked by hand (GB/T 2589-2020: electricity 0.1229 kgce/kWh equivalent, coke 0.9714 kgce/kg):

* fused magnesia, 2026-08: 500 000 kWh x 0.1229 = 61 450 kgce over 100 t = 614.5 kgce/t,
  above the local placeholder Level 3 of 500 (status unverified) -> info;
* sinter, 2026-08: 10 t coke x 971.4 = 9 714 kgce over 100 t = 97.14 kgce/t, above
  GB 21256-2025 Level 3 of 52 (status confirmed) -> critical.
"""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from factories import add_enterprise, add_item
from nenghao.app.monitoring import quota_source
from nenghao.monitor.service import Monitor
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import alerts, readings

MAGNESIA_KGCE_PER_T = 500_000 * 0.1229 / 100  # 614.5
SINTER_KGCE_PER_T = 10 * 971.4 / 100  # 97.14


def _put(conn, item: int, value: float) -> None:
    start = month_start(2026, 8)
    conn.execute(
        insert(readings).values(
            item_id=item,
            period="hour",
            period_start=start,
            value=value,
            source="test",
            received_at=start,
        )
    )


def _boundary(conn, enterprise: int, boundary: str, kind: str, unit: str, amount: float, product):
    energy = add_item(
        conn, enterprise, f"{boundary}.in", energy_kind=kind, unit=unit, boundary=boundary
    )
    _put(conn, energy, amount)
    product_item = add_item(
        conn,
        enterprise,
        f"{boundary}.out",
        measures="product",
        usage="production",
        product_code=product,
        unit="t",
        boundary=boundary,
    )
    _put(conn, product_item, 100.0)
    return product_item


def test_alert_severity_follows_the_certainty_of_the_limit(engine):
    with engine.begin() as conn:
        mag = add_enterprise(conn, "MA0000001", "210381", "3089")
        steel = add_enterprise(conn, "MA0000002", "210302", "3110")
        fused = _boundary(conn, mag, "fusing", "electricity", "kWh", 500_000.0, "fused_magnesia")
        sinter = _boundary(conn, steel, "sintering", "coke", "t", 10.0, "sinter")
        rebuild(conn)
    Monitor(engine, sources=(quota_source,)).run_month(2026, 8, as_of=month_start(2026, 10))
    with engine.connect() as conn:
        rows = {
            row.item_id: row
            for row in conn.execute(select(alerts).where(alerts.c.rule == "quota_above_limit"))
        }
    assert set(rows) == {fused, sinter}
    placeholder, confirmed = rows[fused], rows[sinter]
    assert placeholder.severity == "info"
    assert placeholder.title.startswith("超出未核实限额（提示）")
    assert "占位值" in placeholder.message
    assert "仅作提示" in placeholder.message
    assert f"{MAGNESIA_KGCE_PER_T:.1f} kgce/t" in placeholder.message
    assert placeholder.detail["limit_status"] == "unverified"
    assert placeholder.detail["unit_consumption"] == pytest.approx(614.5)
    assert confirmed.severity == "critical"
    assert confirmed.title.startswith("超限额")
    assert f"{SINTER_KGCE_PER_T:.1f} kgce/t" in confirmed.message
    assert "GB 21256-2025" in confirmed.message
    assert confirmed.detail["limit_status"] == "confirmed"


def test_an_alert_raised_critical_before_comes_down_to_what_its_certainty_allows(engine):
    """An alert opened critical against the placeholder limit (as before severity followed
    certainty) is informational after the next run; a confirmed one stays critical."""
    with engine.begin() as conn:
        mag = add_enterprise(conn, "MA0000001", "210381", "3089")
        fused = _boundary(conn, mag, "fusing", "electricity", "kWh", 500_000.0, "fused_magnesia")
        rebuild(conn)
    monitor = Monitor(engine, sources=(quota_source,))
    monitor.run_month(2026, 8, as_of=month_start(2026, 10))
    with engine.begin() as conn:  # as an older version had stored it
        quota = (alerts.c.item_id == fused) & (alerts.c.rule == "quota_above_limit")
        conn.execute(alerts.update().where(quota).values(severity="critical"))
    monitor.run_month(2026, 8, as_of=month_start(2026, 10) + 3600)
    with engine.connect() as conn:
        (row,) = conn.execute(select(alerts).where(quota)).all()
    assert (row.severity, row.occurrences) == ("info", 2)
