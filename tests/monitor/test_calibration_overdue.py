"""A meter past its calibration due date (检定有效期) raises a data-quality event."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from factories import add_enterprise, add_item
from nenghao.monitor.alerting import RULE_NAMES_ZH
from nenghao.monitor.runner import day_window, run_window
from nenghao.store.schema import data_items, quality_events

# 2026-03-31 00:00 CST = 2026-03-30 16:00 UTC = 1774886400 (worked out by hand:
# 2026-01-01 00:00 UTC is 1767225600; + 89 days * 86400 = 1774915200; - 8 h = 1774886400)
MARCH_31_CST = 1_774_886_400
DAY = 86_400


def _events(engine):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(quality_events)).all()]


def test_overdue_from_the_day_after_the_due_date(engine):
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0CALB01", "210302", "3110")
        late = add_item(conn, enterprise, "ent.electricity", unit="kWh")
        add_item(conn, enterprise, "ent.steam", unit="GJ", calibration_due=date(2026, 4, 30))
        add_item(conn, enterprise, "ent.natural_gas", unit="m3")  # no meter data: no event
        conn.execute(
            update(data_items)
            .where(data_items.c.id == late)
            .values(calibration_due=date(2026, 3, 29))
        )
    as_of = MARCH_31_CST + 2 * DAY
    # the day of 2026-03-29 itself: still valid, no event
    run_window(engine, day_window(date(2026, 3, 29), as_of))
    assert [e for e in _events(engine) if e["rule"] == "calibration_overdue"] == []
    # 2026-03-31: overdue since 2026-03-30 00:00 CST, two days by the end of the 31st
    run_window(engine, day_window(date(2026, 3, 31), as_of))
    (event,) = [e for e in _events(engine) if e["rule"] == "calibration_overdue"]
    assert event["subject"] == f"item:{late}"
    assert event["start"] == MARCH_31_CST - DAY
    assert event["end"] == MARCH_31_CST + DAY
    assert event["points"] == 2
    assert event["severity"] == "warning"
    assert event["message"].startswith(
        "ent.electricity：计量器具检定有效期至 2026-03-29，已过期 2 天"
    )
    # the next day extends the same event instead of adding one
    run_window(engine, day_window(date(2026, 4, 1), as_of))
    (event,) = [e for e in _events(engine) if e["rule"] == "calibration_overdue"]
    assert (event["points"], event["end"]) == (3, MARCH_31_CST + 2 * DAY)
    assert RULE_NAMES_ZH["calibration_overdue"] == "计量器具检定过期"
