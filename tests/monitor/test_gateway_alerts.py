"""Live alerts on gateway heartbeats: stale after N announced intervals (configurable), clock
skew beyond the protocol's ±300 s; both named by enterprise and device, both clearing (both
backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factories import add_enterprise
from nenghao.monitor.service import Monitor
from nenghao.store import alerts, devices, heartbeats
from nenghao.store.schema import alerts as alert_table
from nenghao.store.scope import Scope

T0 = 1_780_000_000  # 2026-05-29 04:26:40 CST
INTERVAL_S = 300


@pytest.fixture
def gateway(engine) -> tuple[int, str]:
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0BEAT01", "210302", "3120")
        issued = devices.issue(
            conn, Scope.all(), enterprise, master_key=b"k" * 32, label="1号网关", actor="test"
        )
    assert issued is not None
    return enterprise, issued[0]["key_id"]


def beat(engine, gateway, received_at: int, sent_at: int, reported: float | None = None) -> None:
    enterprise, key_id = gateway
    with engine.begin() as conn:
        heartbeats.record(
            conn,
            key_id=key_id,
            enterprise_id=enterprise,
            channel="mqtt",
            received_at=received_at,
            sent_at=sent_at,
            gateway_version="0.1.0",
            interval_s=INTERVAL_S,
            queue_depth=0,
            rejected_count=0,
            reported_skew_s=reported,
            meters=[],
        )


def active(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(alert_table).where(alert_table.c.status.in_(("open", "acknowledged")))
        ).mappings()
        return {row["rule"]: dict(row) for row in rows if row["rule"].startswith("gateway_")}


def test_a_stale_heartbeat_alerts_and_clears(engine, gateway) -> None:
    monitor = Monitor(engine)
    beat(engine, gateway, T0, T0)
    # 3 intervals of 300 s = 900 s: at 900 s the heartbeat is not stale yet, at 901 s it is
    monitor.live(as_of=T0 + 900)
    assert active(engine) == {}
    monitor.live(as_of=T0 + 901)
    stale = active(engine)["gateway_heartbeat_stale"]
    assert stale["severity"] == "warning"
    assert stale["subject"] == f"device:{gateway[1]}"
    assert stale["title"] == "网关心跳超时：企业MA0BEAT01 1号网关"
    # 901 s = 15 min; the limit 3 × 300 s = 15 min
    assert "已 15 分钟，超过 3 个心跳间隔（15 分钟）" in stale["message"]
    # the next heartbeat arrives: cleared
    beat(engine, gateway, T0 + 1000, T0 + 1000)
    report = monitor.live(as_of=T0 + 1001)
    assert report.cleared == 1
    assert active(engine) == {}


def test_the_number_of_intervals_is_configurable(engine, gateway) -> None:
    with engine.begin() as conn:
        alerts.put_rule(
            conn,
            "gateway_heartbeat_stale",
            {"enabled": True, "severity": "warning", "params": {"intervals": 2}},
            actor="test",
        )
    beat(engine, gateway, T0, T0)
    Monitor(engine).live(as_of=T0 + 601)  # 601 s > 2 × 300 s
    assert set(active(engine)) == {"gateway_heartbeat_stale"}


def test_clock_skew_beyond_300_s_alerts_and_clears(engine, gateway) -> None:
    monitor = Monitor(engine)
    # received 300 s after the gateway's sent_at: platform − gateway = +300 s, at the tolerance
    beat(engine, gateway, T0, T0 - 300)
    monitor.live(as_of=T0 + 10)
    assert active(engine) == {}
    # +301 s: the gateway's clock is 301 s behind the platform's
    beat(engine, gateway, T0 + 60, T0 + 60 - 301)
    monitor.live(as_of=T0 + 70)
    skew = active(engine)["gateway_clock_skew"]
    assert skew["title"] == "网关时钟偏差：企业MA0BEAT01 1号网关"
    assert "时钟比平台慢 301 秒，超过协议容差 ±300 秒" in skew["message"]
    # measured skew 0, but the gateway reports −400 s from the platform's answers: ahead
    beat(engine, gateway, T0 + 120, T0 + 120, reported=-400.0)
    monitor.live(as_of=T0 + 130)
    skew = active(engine)["gateway_clock_skew"]
    assert "时钟比平台快 400 秒" in skew["message"]
    # clock set: cleared
    beat(engine, gateway, T0 + 180, T0 + 180, reported=0.5)
    assert monitor.live(as_of=T0 + 190).cleared == 1
    assert active(engine) == {}
