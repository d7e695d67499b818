"""Every quality rule on the hand-made enterprise (both backends): events, tallies, score,
idempotent re-runs, a back-fill that repairs a gap, and the live checks."""

from __future__ import annotations

from collections import Counter

import crafted
import pytest
from sqlalchemy import select

from nenghao.monitor.deadlines import repair_deadline
from nenghao.monitor.runner import month_window, run_window
from nenghao.monitor.series_checks import Window
from nenghao.monitor.service import Monitor
from nenghao.store import alerts as alert_store
from nenghao.store.rollups import rebuild
from nenghao.store.schema import quality_events, quality_item_days, quality_scores, readings
from nenghao.store.scope import Scope

AS_OF = crafted.at(10, 0, month=4)


@pytest.fixture
def ids(engine):
    with engine.begin() as conn:
        return crafted.build(conn)


def _events(engine):
    with engine.connect() as conn:
        rows = conn.execute(select(quality_events)).all()
    return [dict(r._mapping) for r in rows]


def _found(rows):
    return Counter((r["rule"], r["subject"]) for r in rows)


def test_each_rule_finds_its_fault(engine, ids):
    result = run_window(engine, month_window(2025, 3, AS_OF), kind="month")
    e, g, s = (f"item:{ids[k]}" for k in ("electricity", "gas", "steam"))
    found = _found(_events(engine))
    assert found == Counter(
        {
            ("completeness", e): 1,
            ("gap", e): 1,
            ("spike", e): 1,
            ("negative", e): 1,
            ("timeliness", e): 1,
            ("flat_line", e): 1,
            ("consistency", g): 1,
            ("time_tag", g): 1,
            ("register_backwards", s): 1,
            ("missing_filing", f"item:{ids['output_value']}"): 1,
            ("timeliness", f"item:{ids['added_value']}"): 1,
            ("missing_indicator", f"enterprise:{ids['enterprise']}"): 1,
        }
    )
    by_rule = {r["rule"]: r for r in _events(engine) if r["subject"] == e}
    assert by_rule["spike"]["start"] == crafted.at(10, 8)
    assert by_rule["negative"]["start"] == crafted.at(12, 3)
    assert by_rule["flat_line"]["start"] == crafted.at(25, 0)
    assert by_rule["flat_line"]["points"] == 15
    assert by_rule["completeness"]["value"] == pytest.approx(18 / 24)
    assert len(result.new_events) == sum(found.values())


def test_tallies_and_monthly_score(engine, ids):
    result = run_window(engine, month_window(2025, 3, AS_OF), kind="month")
    (score,) = result.scores
    hours = 31 * 24
    detail = score["detail"]
    assert detail["expected"] == 3 * hours + 2  # three hourly items and two monthly filings
    assert detail["received"] == 3 * hours - 6 + 1
    assert detail["on_time"] == detail["received"] - 24 - 1  # 20 March late, added value late
    # spike, negative, 15 stuck hours, register drop, early gas reading
    assert detail["invalid"] == 1 + 1 + 15 + 1 + 1
    assert score["completeness"] == pytest.approx(detail["received"] / detail["expected"])
    assert score["consistency"] == pytest.approx(0.5)  # 7 March off by 10 %, 8 March fine
    assert 0 < score["score"] < 100
    with engine.connect() as conn:
        stored = conn.execute(select(quality_scores)).all()
        days = conn.execute(select(quality_item_days)).all()
    assert len(stored) == 1
    assert len(days) == 3 * 31 + 2


def test_rerun_is_idempotent_and_a_backfill_repairs_the_gap(engine, ids):
    window = month_window(2025, 3, AS_OF)
    run_window(engine, window)
    before = _found(_events(engine))
    again = run_window(engine, window)
    assert again.new_events == []
    assert _found(_events(engine)) == before
    with engine.begin() as conn:
        crafted.backfill_gap(conn, ids["electricity"])
    run_window(engine, window)
    after = _found(_events(engine))
    electricity = f"item:{ids['electricity']}"
    assert ("completeness", electricity) not in after
    assert ("gap", electricity) not in after
    # the repair itself came after the deadline: 5 March now has late readings instead
    assert after[("timeliness", electricity)] == before[("timeliness", electricity)] + 1
    assert sum(after.values()) == sum(before.values()) - 1


def test_pending_points_are_not_gaps(engine, ids):
    """Judged at 31 March 20:00, the last hours are not due yet (6 h upload deadline)."""
    window = Window(crafted.at(31), crafted.APRIL, crafted.at(31, 20))
    result = run_window(engine, window)
    assert not [e for e in result.evaluation.events if e.rule == "completeness"]
    expected = {t.item_id: t.expected for t in result.evaluation.item_days}
    assert expected[ids["electricity"]] == 14  # hours ending by 14:00


def test_live_checks_offline_and_outage_over_qingming(engine, ids):
    """Readings stop at 1 April 00:00 (Tuesday). 4-6 April 2025 is the Qingming holiday, so
    the 3 working days are 2, 3 and 7 April: the outage is overdue from 8 April 00:00."""
    monitor = Monitor(engine)
    deadline = repair_deadline(crafted.APRIL, 3)
    assert deadline == crafted.at(8, 0, month=4)
    early = monitor.live(as_of=deadline - 1)
    assert {a["rule"] for a in early.opened} == {"device_offline"}
    late = monitor.live(as_of=deadline)
    assert sorted(a["subject"] for a in late.opened) == [
        f"item:{ids[k]}" for k in ("electricity", "gas", "steam")
    ]
    assert late.repeated == 1  # the device is still offline: counted, not re-opened
    with engine.begin() as conn:  # the gateway comes back
        conn.execute(
            readings.insert().values(
                item_id=ids["gas"],
                period="hour",
                period_start=deadline,
                value=10.0,
                source="test",
                received_at=deadline + 3600,
            )
        )
    back = monitor.live(as_of=deadline + 3600)
    assert back.cleared == 1
    with engine.connect() as conn:
        offline = alert_store.list_alerts(conn, Scope.all(), rule="device_offline")
    assert [a["status"] for a in offline.items] == ["resolved"]
    assert offline.items[0]["resolved_by"] == "monitor"


def test_monitor_raises_alerts_once_per_rule_and_subject(engine, ids):
    monitor = Monitor(engine)
    first = monitor.run_month(2025, 3, as_of=AS_OF)
    rules = Counter(a["rule"] for a in first.opened)
    assert rules["completeness"] == 1
    assert rules["spike"] == 1
    # a new day with another gap on the same item: the open alert counts it
    window = Window(crafted.at(6), crafted.at(7), AS_OF)
    with engine.begin() as conn:
        conn.execute(
            readings.delete().where(
                readings.c.item_id == ids["electricity"],
                readings.c.period_start.in_([crafted.at(6, h) for h in (1, 2, 3)]),
            )
        )
        rebuild(conn, [ids["electricity"]])
    second = monitor.run_window(window)
    assert second.opened == []
    assert second.repeated == 2  # the day's completeness and its 3-hour gap
    with engine.connect() as conn:
        page = alert_store.list_alerts(conn, Scope.all(), rule="completeness")
    assert page.items[0]["occurrences"] == 2
    assert page.total == 1
