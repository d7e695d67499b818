"""Register items lose, move or invent no energy: gaps across day and month boundaries, one
refused reading among good ones, a meter replaced without its event.

The expected figures are worked out by hand in each test. Service tests run on SQLite and
PostgreSQL (the ``engine`` fixture).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from uplink_site import HOUR0, NOW, Site, body, make_site, rec

from nenghao.ingest.registers import Flag, Interval, Reading, apportion, decode_registers
from nenghao.monitor.service import Monitor
from nenghao.standards.calendar import CST
from nenghao.standards.reason_codes import ReasonCode
from nenghao.store import quality
from nenghao.store.schema import alerts, data_items, quarantine, readings, rollups
from nenghao.store.scope import Scope

H = 3600
JAN31_23 = int(datetime(2024, 1, 31, 23, tzinfo=CST).timestamp())
FEB1_05 = int(datetime(2024, 2, 1, 5, tzinfo=CST).timestamp())


@pytest.fixture
def site(engine) -> Site:
    return make_site(engine)


def send(site: Site, *records, message_id: str = "m-1"):
    message = body(site, *records, message_id=message_id)
    return site.uplink.ingest(message, sender=site.sender, now=NOW).ack()


def at(instant: int) -> str:
    return datetime.fromtimestamp(instant, CST).isoformat()


def m01(engine, site: Site) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(readings)
            .where(readings.c.item_id == site.item_ids["M01"])
            .order_by(readings.c.period_start)
        )
        return [dict(r._mapping) for r in rows]


def rollup(engine, site: Site, grain: str, year: int, month: int, day: int = 1) -> float:
    start = int(datetime(year, month, day, tzinfo=CST).timestamp())
    with engine.connect() as conn:
        return conn.execute(
            select(rollups.c.value).where(
                rollups.c.item_id == site.item_ids["M01"],
                rollups.c.grain == grain,
                rollups.c.period_start == start,
            )
        ).scalar_one()


# --- a gap across a day and month boundary ----------------------------------------------


def test_apportion_shares_a_gap_by_time_and_sums_exactly() -> None:
    # 280 kWh over 6 h (23:00 on 31 Jan to 05:00 on 1 Feb): 46.667 kWh/h
    interval = Interval(JAN31_23, FEB1_05, 6, 280.0, frozenset({Flag.GAP_SPANNED}), 0, 1)
    parts = apportion(interval, "hour")
    assert [s for s, _ in parts] == [JAN31_23 + k * H for k in range(6)]
    assert [v for _, v in parts] == pytest.approx([280 / 6] * 6)
    assert sum(v for _, v in parts) == 280.0
    january = sum(v for s, v in parts if s < JAN31_23 + H)
    assert january == pytest.approx(46.667, abs=5e-4)  # 1 h
    assert 280.0 - january == pytest.approx(233.333, abs=5e-4)  # 5 h


def test_apportion_over_calendar_months_follows_their_length() -> None:
    # monthly item, 31 Jan to 1 Apr 2024 (leap year): 31 + 29 = 60 days in Feb and Mar
    jan = int(datetime(2024, 1, 1, tzinfo=CST).timestamp())
    feb = int(datetime(2024, 2, 1, tzinfo=CST).timestamp())
    mar = int(datetime(2024, 3, 1, tzinfo=CST).timestamp())
    apr = int(datetime(2024, 4, 1, tzinfo=CST).timestamp())
    interval = Interval(jan, apr, 3, 910.0, frozenset({Flag.GAP_SPANNED}), 0, 1)
    parts = apportion(interval, "month")
    # 91 days: 31, 29, 31 days -> 910 * 31/91 = 310, 910 * 29/91 = 290, 310
    assert parts == [(jan, pytest.approx(310.0)), (feb, pytest.approx(290.0)), (mar, 310.0)]
    assert sum(v for _, v in parts) == pytest.approx(910.0, abs=1e-9)


def test_a_gap_across_a_month_boundary_counts_in_each_day_and_month(engine, site) -> None:
    ack = send(
        site,
        rec("M01", start=at(JAN31_23), register=100.0),
        rec("M01", start=at(FEB1_05), register=380.0),
    )
    assert [r.status.value for r in ack.results] == ["accepted", "accepted"]
    stored = m01(engine, site)
    assert [r["period_start"] for r in stored] == [JAN31_23 + k * H for k in range(6)]
    assert {(r["flags"], r["quality"]) for r in stored} == {("gap_spanned", "estimated")}
    assert [r["register_value"] for r in stored] == [100.0, None, None, None, None, None]
    # by hand: 280 kWh / 6 h = 46.667 kWh/h; January 1 h, February 5 h
    assert rollup(engine, site, "month", 2024, 1) == pytest.approx(46.667, abs=5e-4)
    assert rollup(engine, site, "month", 2024, 2) == pytest.approx(233.333, abs=5e-4)
    assert rollup(engine, site, "day", 2024, 1, 31) == pytest.approx(46.667, abs=5e-4)
    assert rollup(engine, site, "day", 2024, 2, 1) == pytest.approx(233.333, abs=5e-4)
    total = rollup(engine, site, "month", 2024, 1) + rollup(engine, site, "month", 2024, 2)
    assert total == pytest.approx(380.0 - 100.0, abs=1e-9)


# --- one refused reading among good ones ------------------------------------------------


def test_one_bad_revision_refuses_only_itself(engine, site) -> None:
    send(site, *(rec("M01", n, register=r) for n, r in ((-40, 100.0), (-39, 110.0), (-38, 120.0))))
    # a revision of -39 to 130 would put the stored 120 at -38 backwards; 32 good new readings
    good = [rec("M01", -37 + k, register=125.0 + 5.0 * k) for k in range(32)]  # 125 ... 280
    ack = send(site, rec("M01", -39, register=130.0), *good, message_id="m-2")
    assert ack.results[0].code == ReasonCode.REGISTER_BACKWARDS
    assert [r.status.value for r in ack.results[1:]] == ["accepted"] * 32
    stored = m01(engine, site)
    # by hand: 10 + 10 from the stored readings, then 32 intervals of 5 kWh: 180 = 280 - 100
    assert [r["value"] for r in stored] == [10.0, 10.0] + [5.0] * 32
    assert sum(r["value"] for r in stored) == 180.0
    with engine.connect() as conn:
        codes = conn.execute(select(quarantine.c.record_index, quarantine.c.code)).all()
    assert codes == [(0, "register_backwards")]


# --- a meter replaced without its event -------------------------------------------------


def test_decode_rejects_an_implausible_rollover_as_a_suspected_replacement() -> None:
    t0 = 1_700_000_000 - 1_700_000_000 % H
    readings_ = [Reading(t0, 99_990.0), Reading(t0 + H, 5.0), Reading(t0 + 2 * H, 40.0)]
    kwargs = {"register_max": 99_999.99, "max_rate": 20.0}
    # 99 990 -> 5: 100 000 - 99 990 + 5 = 15 <= 20 per hour: a rollover
    decoded = decode_registers(readings_[:2], "hour", **kwargs)
    assert [(i.value, i.flags) for i in decoded.intervals] == [
        (pytest.approx(15.0), {Flag.ROLLOVER})
    ]
    # 63 670 -> 30: 100 000 - 63 670 + 30 = 36 360 > 20 per hour: suspected replacement
    drop = [Reading(t0, 63_670.0), Reading(t0 + H, 30.0), Reading(t0 + 3 * H, 63_700.0)]
    decoded = decode_registers(drop, "hour", **kwargs)
    assert [(r.position, r.code) for r in decoded.rejected] == [
        (1, ReasonCode.REPLACEMENT_SUSPECTED)
    ]
    # the baseline stays 63 670: 63 700 two hours later gives 30 over 2 h (gap)
    assert [(i.value, i.periods) for i in decoded.intervals] == [(pytest.approx(30.0), 3)]


def test_a_replacement_without_event_is_quarantined_not_a_rollover(engine, site) -> None:
    history = [rec("M01", n, register=63_640.0 + 10.0 * (n + 6)) for n in range(-6, -2)]
    send(site, *history)  # 63 640 ... 63 670: 10 kWh an hour, maximum rate 2 x 10 = 20
    ack = send(site, rec("M01", -2, register=30.0), message_id="m-2")
    assert ack.results[0].code == ReasonCode.REPLACEMENT_SUSPECTED
    assert "63670" in ack.results[0].message
    stored = m01(engine, site)
    assert [r["value"] for r in stored] == [10.0, 10.0, 10.0]  # nothing invented
    assert not any(r["flags"] for r in stored)
    with engine.connect() as conn:
        assert conn.execute(select(quarantine.c.code)).scalars().all() == ["replacement_suspected"]
    # with the event the same reading is taken: (63 675 - 63 670) + (30 - 0) = 35 kWh
    event = {"kind": "replacement", "old_final": 63_675.0, "new_initial": 0.0}
    ack = send(site, rec("M01", -2, register=30.0, register_event=event), message_id="m-3")
    assert ack.results[0].status.value == "accepted"
    assert [r["value"] for r in m01(engine, site)] == [10.0, 10.0, 10.0, 35.0]


def test_the_registered_maximum_is_the_items_rate(engine, site) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(data_items)
            .where(data_items.c.id == site.item_ids["M01"])
            .values(max_value=5000.0)
        )
    values = ((-6, 94_000.0), (-5, 98_000.0), (-4, 20_000.0), (-3, 1_000.0))
    ack = send(site, *(rec("M01", n, register=r) for n, r in values))
    # 98 000 -> 20 000 as a rollover: 100 000 - 98 000 + 20 000 = 22 000 > 5 000 in 1 h
    assert [r.status.value for r in ack.results] == ["accepted", "accepted", "rejected", "accepted"]
    assert ack.results[2].code == ReasonCode.REPLACEMENT_SUSPECTED
    # 98 000 -> 1 000 two hours later: 100 000 - 98 000 + 1 000 = 3 000 <= 2 x 5 000, a
    # rollover over a gap, 1 500 in each hour
    assert [(r["value"], r["flags"]) for r in m01(engine, site)] == [
        (4000.0, None),
        (pytest.approx(1500.0), "gap_spanned,rollover"),
        (pytest.approx(1500.0), "gap_spanned,rollover"),
    ]


# --- the quality page and the alerts show what the uplink could not derive --------------


def _monitored(engine, site: Site) -> tuple[list[dict], set[tuple[str, int]]]:
    """Run the monitor over 1 May 2024 (CST); the quality events of M01 and the alerts."""
    Monitor(engine).run_day(date(2024, 5, 1), as_of=int(NOW.timestamp()))
    with engine.connect() as conn:
        events = quality.list_events(conn, Scope.all(), item_id=site.item_ids["M01"]).items
        raised = conn.execute(select(alerts.c.rule, alerts.c.item_id)).all()
    return events, {(rule, item) for rule, item in raised}


def test_a_reset_without_its_final_reading_is_a_quality_event_and_an_alert(engine, site) -> None:
    # 06:00 reads 100, then a reset without its final reading at 07:00: 06:00-07:00 unknown
    reset = {"kind": "reset"}
    ack = send(
        site, rec("M01", -2, register=100.0), rec("M01", -1, register=5.0, register_event=reset)
    )
    assert ack.results[1].code == ReasonCode.RESET_UNBRIDGED
    events, raised = _monitored(engine, site)
    (unknown,) = [e for e in events if e["rule"] == "reset_unbridged"]
    six, seven = (int((HOUR0 + timedelta(hours=n)).timestamp()) for n in (-2, -1))
    assert (unknown["start"], unknown["end"], unknown["points"]) == (six, seven, 1)
    assert "能耗未知" in unknown["message"]
    assert "2024-05-01 06:00 至 2024-05-01 07:00" in unknown["message"]
    assert ("reset_unbridged", site.item_ids["M01"]) in raised
    assert m01(engine, site) == []  # nothing derived for the unknown span


def test_a_suspected_replacement_is_a_quality_event_and_an_alert(engine, site) -> None:
    send(site, *(rec("M01", n, register=63_640.0 + 10.0 * (n + 6)) for n in range(-6, -2)))
    send(site, rec("M01", -2, register=30.0), message_id="m-2")
    events, raised = _monitored(engine, site)
    (suspect,) = [e for e in events if e["rule"] == "replacement_suspected"]
    six = int((HOUR0 + timedelta(hours=-2)).timestamp())
    assert (suspect["start"], suspect["end"], suspect["value"]) == (six, six + H, 30.0)
    assert "疑似换表" in suspect["message"]
    assert ("replacement_suspected", site.item_ids["M01"]) in raised
