"""Rectification plans: the overdue alert from the deadline's next CST day, its severity by
the certainty of the baseline, progress and the completion rule — worked by hand.

4号高炉 (hot metal, baseline 435 unverified) was made a plan on 2026-08-15 (CST) with the
default target, the baseline 435 kgce/t, deadline 2026-12-10. Monthly coke over 971.4 t of
hot metal (see two_high_city): c t of coke -> c kgce/t.

* met: September 430, October 430, November 400 -> (430 + 430 + 400) x 971.4 / (3 x 971.4)
  = 420.00 <= 435: met;
* not met: 430, 430, 460 -> 1 320 / 3 = 440.00 > 435 although two months meet it;
* no output in November: not met whatever the figure.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from two_high_city import OUTPUT_T, furnace

from factories import add_enterprise
from nenghao.app.monitoring import rectification_source
from nenghao.monitor.series_checks import Window
from nenghao.monitor.service import Monitor
from nenghao.review import rectification
from nenghao.standards import get_catalog
from nenghao.standards.calendar import cst_midnight
from nenghao.store import common, two_high, two_high_plans
from nenghao.store.common import ConflictError
from nenghao.store.rollups import rebuild
from nenghao.store.schema import alerts
from nenghao.store.scope import Scope

TODAY = date(2026, 12, 5)
MADE = cst_midnight(date(2026, 8, 15)) + 3600
MET = {(2026, 9): 430.0, (2026, 10): 430.0, (2026, 11): 400.0}
NOT_MET = {(2026, 9): 430.0, (2026, 10): 430.0, (2026, 11): 460.0}


def _world(engine, monkeypatch, coke, output=None):
    monkeypatch.setattr(common, "now", lambda: MADE)
    with engine.begin() as conn:
        a = add_enterprise(conn, "MA0000001", "210302", "3110")
        item = furnace(conn, a, "bf4", {(2026, 8): 500.0, **coke}, output)
        rebuild(conn)
        installation = two_high.create(
            conn,
            Scope.all(),
            a,
            {"sector": "steel", "name": "4号高炉", "product": "hot_metal", "item_id": item},
            actor="test",
        )
        return rectification.create_plan(
            conn,
            Scope.all(),
            installation["id"],
            {
                "measures": "更换高效热风炉，提高喷煤比",
                "deadline": date(2026, 12, 10),
                "responsible_name": "王工",
                "responsible_phone": "13800000000",
            },
            today=date(2026, 8, 15),
            actor="regulator",
        )


def _candidates(engine, day: date, hour: int = 0):
    at = cst_midnight(day) + hour * 3600
    with engine.connect() as conn:
        return rectification_source(conn, Window(at, at, at), "live")


def test_default_target_is_the_baseline(engine, monkeypatch):
    plan = _world(engine, monkeypatch, MET)
    assert plan["target_unit_consumption"] == 435.0
    assert plan["version"] == 1


def test_overdue_from_the_deadlines_next_cst_day(engine, monkeypatch):
    plan = _world(engine, monkeypatch, MET)
    assert _candidates(engine, date(2026, 12, 10), hour=23) == []  # the deadline's last hour
    found = _candidates(engine, date(2026, 12, 11))  # 00:00 CST the day after
    assert [c.subject for c in found] == [f"rectification_plan:{plan['id']}"]
    candidate = found[0]
    assert candidate.rule == "rectification_overdue"
    assert candidate.title == "整改逾期：企业MA0000001 4号高炉"
    assert "2026-12-10" in candidate.message
    # the baseline of hot metal is unverified: a warning, never raised above it
    assert (candidate.severity, candidate.ceiling) == ("warning", "warning")


def test_critical_when_the_baseline_is_confirmed(engine, monkeypatch):
    _world(engine, monkeypatch, MET)
    catalog = get_catalog()
    confirmed = catalog.benchmark_levels["hot_metal"].model_copy(update={"status": "confirmed"})
    monkeypatch.setattr(
        catalog, "benchmark_levels", {**catalog.benchmark_levels, "hot_metal": confirmed}
    )
    (candidate,) = _candidates(engine, date(2026, 12, 11))
    assert (candidate.severity, candidate.ceiling) == ("critical", None)


def test_the_monitor_raises_it_and_completion_resolves_it(engine, monkeypatch):
    plan = _world(engine, monkeypatch, MET)
    Monitor(engine, sources=(rectification_source,)).live(as_of=cst_midnight(date(2026, 12, 11)))
    with engine.connect() as conn:
        raised = conn.execute(select(alerts).where(alerts.c.rule == "rectification_overdue")).one()
    assert (raised.severity, raised.status) == ("warning", "open")
    assert raised.title == "整改逾期：企业MA0000001 4号高炉"
    with engine.begin() as conn:
        done = rectification.complete_plan(
            conn,
            Scope.all(),
            plan["id"],
            version=1,
            note="复核达标",
            today=date(2026, 12, 11),
            actor="regulator",
        )
    assert (done["status"], done["version"], done["overdue"]) == ("completed", 2, False)
    with engine.connect() as conn:
        status = conn.execute(select(alerts.c.status).where(alerts.c.id == raised.id)).scalar()
    assert status == "resolved"
    assert _candidates(engine, date(2026, 12, 12)) == []


def test_completion_rule_met(engine, monkeypatch):
    plan = _world(engine, monkeypatch, MET)
    with engine.connect() as conn:
        answer = rectification.progress(conn, Scope.all(), plan, TODAY)
    check = answer["completion"]
    assert check["months"] == ["2026-09", "2026-10", "2026-11"]
    assert check["unit_consumption"] == pytest.approx(420.0)
    assert check["met"] is True
    # months since the plan was made (August 2026): 500, 430, 430, 400 against 435
    series = [(p["month"], p["meets_target"]) for p in answer["series"]]
    assert series == [
        ("2026-08", False),
        ("2026-09", True),
        ("2026-10", True),
        ("2026-11", True),
    ]
    assert answer["progress"] == "on_track"


def test_completion_refused_when_the_three_months_together_miss_the_target(engine, monkeypatch):
    plan = _world(engine, monkeypatch, NOT_MET)
    with engine.connect() as conn:
        answer = rectification.progress(conn, Scope.all(), plan, TODAY)
    assert answer["completion"]["unit_consumption"] == pytest.approx(440.0)
    assert answer["completion"]["met"] is False
    assert answer["progress"] == "not_yet"  # November 460 > 435
    with engine.begin() as conn, pytest.raises(ConflictError) as refused:
        rectification.complete_plan(
            conn, Scope.all(), plan["id"], version=1, note=None, today=TODAY, actor="regulator"
        )
    assert refused.value.code == "rectification_target_not_met"


def test_completion_needs_output_in_each_month(engine, monkeypatch):
    output = {(2026, 8): OUTPUT_T, (2026, 9): OUTPUT_T, (2026, 10): OUTPUT_T}
    plan = _world(engine, monkeypatch, {(2026, 9): 400.0, (2026, 10): 400.0}, output)
    with engine.connect() as conn:
        check = rectification.progress(conn, Scope.all(), plan, TODAY)["completion"]
    assert check["unit_consumption"] == pytest.approx(400.0)
    assert (check["output_each_month"], check["met"]) == (False, False)


def test_plan_rules(engine, monkeypatch):
    plan = _world(engine, monkeypatch, MET)
    with engine.begin() as conn:
        installation = two_high.get(conn, Scope.all(), plan["installation_id"])
        with pytest.raises(ConflictError) as twice:
            two_high_plans.create(
                conn,
                Scope.all(),
                installation,
                {**plan, "deadline": date(2027, 1, 1)},
                today=TODAY,
                actor="x",
            )
        assert twice.value.code == "rectification_plan_exists"
        with pytest.raises(ConflictError) as stale:
            two_high_plans.change(
                conn, Scope.all(), plan["id"], {"measures": "改"}, version=7, today=TODAY, actor="x"
            )
        assert stale.value.code == "rectification_plan_version_conflict"
        changed = two_high_plans.change(
            conn, Scope.all(), plan["id"], {"measures": "改"}, version=1, today=TODAY, actor="x"
        )
        assert (changed["measures"], changed["version"]) == ("改", 2)
    assert rectification.overdue(changed, date(2026, 12, 10)) is False
    assert rectification.overdue(changed, date(2026, 12, 11)) is True
