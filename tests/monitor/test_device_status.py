"""Device status on a small built city: the counters kept with every store equal a count
from scratch, and the states, today's completeness and online rates match hand-worked
figures (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, insert, select

from factories import add_enterprise, add_item, utc
from nenghao.monitor.alerting import live_candidates, settings
from nenghao.monitor.device_status import city, districts
from nenghao.store import archive, faults, rollups
from nenghao.store.rollups import ReadingChange, apply_changes
from nenghao.store.schema import data_items, readings, status_contacts, status_days
from nenghao.store.scope import Scope

AS_OF = utc(2025, 3, 12, 4, 0)  # Wednesday 12:00 CST
TODAY = date(2025, 3, 12)
CST = 8 * 3600


def midnight(day: date) -> int:
    return utc(day.year, day.month, day.day) - CST


def write(conn, item: int, period: str, starts: list[int], received: int) -> None:
    """Store readings through the writers' path: rows, then their rollup changes."""
    if not starts:
        return
    conn.execute(
        insert(readings),
        [
            {
                "item_id": item,
                "period": period,
                "period_start": s,
                "value": 1.0,
                "source": "test",
                "received_at": received,
            }
            for s in starts
        ],
    )
    apply_changes(conn, [ReadingChange(item, period, s, 1.0) for s in starts])


def day_slots(day: date, step: int, n: int) -> list[int]:
    return [midnight(day) + step * i for i in range(n)]


@pytest.fixture
def built(engine) -> dict[str, int]:
    """e1 online (28 of 30 days), e2 never, e3 silent 10 days, e4 silent 3 hours."""
    with engine.begin() as conn:
        e = {
            "e1": add_enterprise(conn, "T00000001", "210302", "3110"),
            "e2": add_enterprise(conn, "T00000002", "210302", "3110"),
            "e3": add_enterprise(conn, "T00000003", "210381", "3120"),
            "e4": add_enterprise(conn, "T00000004", "210381", "3120"),
        }
        q = add_item(conn, e["e1"], "Q", period="15min", unit="kWh")
        h = add_item(conn, e["e1"], "H", unit="kWh")
        d = add_item(conn, e["e1"], "D", period="day", unit="kWh")
        m = add_item(conn, e["e1"], "M", period="month", unit="kWh")
        x = add_item(conn, e["e1"], "X", unit="kWh", manual=True)
        add_item(conn, e["e2"], "H", unit="kWh")
        h3 = add_item(conn, e["e3"], "H", unit="kWh")
        h4 = add_item(conn, e["e4"], "H", unit="kWh", created_at=midnight(TODAY - timedelta(5)))
        for k in range(30, 0, -1):
            day = TODAY - timedelta(days=k)
            quarters = 80 if k in (3, 4) else 84 if k == 7 else 96
            write(conn, q, "15min", day_slots(day, 900, quarters), midnight(day) + 86_400)
            write(conn, h, "hour", day_slots(day, 3600, 24), midnight(day) + 86_400)
            write(conn, d, "day", [midnight(day)], midnight(day) + 86_400)
            write(conn, x, "hour", day_slots(day, 3600, 24), midnight(day) + 86_400)
            if k >= 10:
                write(conn, h3, "hour", day_slots(day, 3600, 24), midnight(day) + 86_400)
        write(conn, m, "month", [midnight(date(2025, 3, 1))], AS_OF - 900)
        write(conn, q, "15min", day_slots(TODAY, 900, 40), AS_OF - 600)
        write(conn, h, "hour", day_slots(TODAY, 3600, 12), AS_OF - 600)
        write(conn, h4, "hour", day_slots(TODAY - timedelta(1), 3600, 24), AS_OF - 3 * 3600)
        # a revision changes no count
        apply_changes(conn, [ReadingChange(h, "hour", midnight(TODAY), 0.5, count=0)])
        for label, at in (("e1", AS_OF - 600), ("e4", AS_OF - 3 * 3600)):
            archive.add(
                conn,
                body=b"{}",
                channel="http",
                enterprise_id=e[label],
                actor="nhk_x",
                received_at=at,
                status="processed",
            )
        archive.add(
            conn,
            body=b"{}",
            channel="file",
            enterprise_id=e["e2"],
            actor="someone",
            received_at=AS_OF,
            status="processed",
        )
        # e3's last contact: its last reading's receipt (set by a rebuild below)
        conn.execute(
            insert(status_contacts).values(
                enterprise_id=e["e3"], last_seen_at=midnight(TODAY - timedelta(9))
            )
        )
    return e


def from_scratch(conn) -> dict[tuple[int, int], int]:
    """Readings of automatic 15-min, hourly and daily items per enterprise and CST day."""
    rows = conn.execute(
        select(data_items.c.enterprise_id, readings.c.period_start)
        .join(data_items, data_items.c.id == readings.c.item_id)
        .where(
            data_items.c.manual.is_(False),
            data_items.c.period.in_(("15min", "hour", "day")),
            readings.c.period == data_items.c.period,
        )
    ).all()
    return dict(Counter((e, (s + CST) // 86_400 * 86_400 - CST) for e, s in rows))


def counters(conn) -> dict[tuple[int, int], int]:
    return {(e, d): n for e, d, n in conn.execute(select(status_days))}


def test_counters_equal_a_count_from_scratch_live_and_rebuilt(engine, built) -> None:
    with engine.begin() as conn:
        live = counters(conn)
        assert live == from_scratch(conn)
        assert live[(built["e1"], midnight(TODAY))] == 52
        assert live[(built["e1"], midnight(TODAY - timedelta(3)))] == 80 + 24 + 1
        conn.execute(delete(status_days))
        conn.execute(delete(status_contacts))
        rollups.rebuild(conn)
        assert counters(conn) == live
        contacts = dict(conn.execute(select(status_contacts)).all())
    assert contacts[built["e1"]] == AS_OF - 600
    assert contacts[built["e3"]] == midnight(TODAY - timedelta(10)) + 86_400
    assert built["e2"] not in contacts  # a file import is not device contact


def test_states_completeness_and_online_rates(engine, built) -> None:
    with engine.connect() as conn:
        rows = {r["enterprise_id"]: r for r in city(conn, Scope.all(), AS_OF)}
        grid = {g["division_code"]: g for g in districts(list(rows.values()))}
    e1, e2, e3, e4 = (rows[built[k]] for k in ("e1", "e2", "e3", "e4"))
    assert [e["state"] for e in (e1, e2, e3, e4)] == ["online", "never", "offline_long", "offline"]
    # 121 records a day due (96 + 24 + 1); 105 (80 quarters) < 0.9 x 121 <= 109 (84 quarters)
    assert (e1["online_days"], e1["counted_days"]) == (28, 30)
    # today to 12:00: 48 quarters + 12 hours due; 40 + 12 received
    assert (e1["today"]["received"], e1["today"]["expected"]) == (52, 60)
    assert e1["today"]["completeness"] == pytest.approx(52 / 60)
    assert e1["today"]["partial"] is True
    assert (e2["online_rate"], e2["last_seen_at"]) == (0.0, None)
    assert e3["online_rate"] == pytest.approx(21 / 30)
    assert (e4["online_days"], e4["counted_days"]) == (1, 5)  # registered 5 days ago
    assert grid["210302"]["online_rate"] == pytest.approx(28 / 60)
    assert grid["210381"]["online_rate"] == pytest.approx(22 / 35)
    assert (grid["210381"]["offline"], grid["210381"]["offline_long"]) == (1, 1)
    with engine.connect() as conn:
        district = city(conn, Scope("division", division_code="210381"), AS_OF)
        own = city(conn, Scope("enterprise", enterprise_id=built["e1"]), AS_OF)
    assert {r["enterprise_id"] for r in district} == {built["e3"], built["e4"]}
    assert [r["enterprise_id"] for r in own] == [built["e1"]]


def test_outage_alerts_name_the_open_fault_report(engine, built) -> None:
    with engine.begin() as conn:
        fault = faults.report(
            conn,
            Scope.all(),
            built["e3"],
            {
                "cause": "通信中断",
                "started_at": midnight(TODAY - timedelta(9)),
                "expected_repair": TODAY + timedelta(2),
            },
            actor="e3-user",
        )
        offline, outages = live_candidates(conn, AS_OF, settings(conn))
    e3_alerts = [c for c in offline + outages if c.enterprise_id == built["e3"]]
    assert {c.rule for c in e3_alerts} == {"device_offline", "outage_unrepaired"}
    for candidate in e3_alerts:
        assert candidate.detail is not None
        assert candidate.detail["fault_report_id"] == fault["id"]
        assert "已报备故障（通信中断），预计 2025-03-14 修复" in candidate.message
    others = [c for c in offline if c.enterprise_id == built["e4"]]
    assert others
    assert "已报备故障" not in others[0].message
