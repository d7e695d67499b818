"""Simulated meters → gateway → a real platform: every simulated kWh arrives exactly once.

The Modbus simulator (pymodbus's server, in this process) and the gateway (a subprocess, as
``nenghao gateway run`` but on a `FastClock`: a 15-minute period every 0.5 s) share one clock
origin. On the way: one meter is replaced (declared on the gateway, sent as the next
reading's ``register_event``), the platform is stopped and started again (an outage: the
gateway keeps reading into its queue), the gateway is killed with SIGKILL and started again,
and one meter's register wraps at its maximum. Then, per item, the sum of the intervals the
platform derived equals the energy the simulator really measured between the first and the
last reading the platform holds, to the register's resolution (0.01 kWh per reading), and no
slot is stored twice.
The same run goes over HTTPS (SQLite and PostgreSQL) and over MQTT through a private Mosquitto.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from platform_site import Platform, free_port, mqtt_env

from nenghao.gateway.clock import FastClock
from nenghao.gateway.config import load_config
from nenghao.gateway.example import item_code
from nenghao.gateway.queue import Queue
from nenghao.gateway.simulate_modbus import MeterSimulator
from nenghao.gateway.uploader import Uploader

POINTS = 3
SPEED = 1800.0  # 15 simulated minutes per real half second
RAW_MAX = 249_999  # wraps at 2 500.00 kWh: meter 2 (2 000 kWh at 157 kW) wraps within hours
REPLACED = 2  # meter 3 is replaced during the run
BOUND_S = 120  # an upper bound for a loaded machine, never a wait
HERE = Path(__file__).parent


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def start_gateway(config: Path, clock: FastClock) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(HERE / "gateway_proc.py"),
            str(config),
            repr(clock.origin),
            repr(clock.real_origin),
            repr(clock.speed),
        ],
        stderr=subprocess.PIPE,
    )


def replace_meter(simulator: MeterSimulator, queue: Queue, index: int, clock: FastClock) -> None:
    """Replace meter `index` by a new one starting at 0 and declare it on the gateway (what
    ``nenghao gateway declare-replacement`` stores), with the old meter's final reading.

    Done while the old register is below half its range, so that the drop to 0 cannot pass for
    a rollover: the gateway holds the meter until the declaration, and the next reading carries
    the event."""
    modulus = RAW_MAX + 1
    wait_for(lambda: simulator.counts(index, clock.now()) < modulus * 0.4, "a register low enough")
    simulator.inject("reset", index)  # the new meter counts from 0
    reset_at = simulator.meters[index].reset_at
    assert reset_at is not None
    old_final = round(simulator.meters[index].truth(reset_at) / 0.01) % modulus / 100
    queue.declare(
        item_code(index), {"kind": "replacement", "old_final": old_final, "new_initial": 0.0}
    )


def truth_at(simulator: MeterSimulator, index: int, start: int, register: float) -> float:
    """The true energy [kWh] when the simulator served `register` for the read at `start`."""
    counts = round(register * 100)
    for t, raw, truth in simulator.meters[index].served:
        if start <= t < start + 600 and raw == counts:
            return truth
    raise AssertionError(f"meter {index}: no read of {register} at {start}")


@pytest.mark.slow
def test_every_kwh_arrives_once_through_outage_kill_and_rollover(tmp_path) -> None:
    through_outage_kill_and_rollover(
        tmp_path, Platform(tmp_path, POINTS, register_max=RAW_MAX / 100)
    )


@pytest.mark.slow
@pytest.mark.postgres
def test_the_same_on_postgresql(tmp_path, pg_url) -> None:
    platform = Platform(tmp_path, POINTS, register_max=RAW_MAX / 100, database_url=pg_url)
    through_outage_kill_and_rollover(tmp_path, platform)


@pytest.mark.slow
def test_the_same_over_mqtt(tmp_path, mqtt_broker) -> None:
    """The same run with the gateway uploading through Mosquitto (the platform's subscriber
    stops and starts with it: the outage)."""
    platform = Platform(
        tmp_path, POINTS, register_max=RAW_MAX / 100, extra_env=mqtt_env(mqtt_broker)
    )
    through_outage_kill_and_rollover(tmp_path, platform, (mqtt_broker.host, mqtt_broker.port))


def through_outage_kill_and_rollover(
    tmp_path: Path, platform: Platform, broker: tuple[str, int] | None = None
) -> None:
    platform.start()
    clock = FastClock(time.time() - 3 * 86400, time.time(), SPEED)
    sim_port = free_port()
    simulator = MeterSimulator(POINTS, clock, raw_max=RAW_MAX, log_served=True)
    simulator.start("127.0.0.1", sim_port)
    config_path = platform.gateway_config(
        tmp_path / "gateway.toml", sim_port, POINTS, raw_max=RAW_MAX, broker=broker
    )
    config = load_config(config_path)
    first = item_code(0)
    gateway = start_gateway(config_path, clock)
    try:
        wait_for(lambda: len(platform.registers(first)) >= 8, "the first readings")
        queue = Queue(config.queue_path)
        replace_meter(simulator, queue, REPLACED, clock)
        platform.stop()  # outage: readings wait in the gateway's queue
        wait_for(lambda: queue.depth() >= 3 * POINTS, "readings queued during the outage")
        platform.start()
        wait_for(lambda: queue.depth() == 0 or len(platform.registers(first)) >= 20, "the backlog")
        gateway.send_signal(signal.SIGKILL)
        gateway.wait()
        time.sleep(1.0)  # two simulated periods without the gateway: a gap on the platform
        killed_last = queue.meters()[first].last_start  # the last period the killed one read
        assert killed_last is not None
        gateway = start_gateway(config_path, clock)
        # readings of periods the killed gateway never read: the restarted one is up, reads
        # and uploads (and handles SIGTERM); its backlog alone does not satisfy this
        wait_for(
            lambda: platform.registers(first)[-1][0] >= killed_last + 8 * 900,
            "readings after the restart",
        )
        gateway.send_signal(signal.SIGTERM)
        assert gateway.wait(30) == 0, gateway.stderr.read().decode() if gateway.stderr else ""
        drain = Uploader(config, queue, config.read_secret())
        try:
            while queue.depth():
                assert drain.send_once().error is None
        finally:
            drain.close()
        assert queue.rejected_count() == 0
    finally:
        if gateway.poll() is None:
            gateway.kill()
        simulator.stop()
        platform.stop()

    assert [kind for _s, _r, kind in platform.registers(item_code(REPLACED)) if kind] == [
        "replacement"
    ]
    flags_seen: set[str] = set()
    for index in range(POINTS):
        code = item_code(index)
        stored = platform.registers(code)
        total, count, starts = platform.interval_total(code)
        assert count == starts, f"{code}: a slot stored twice"
        first_start, first_register, _ = stored[0]
        last_start, last_register, _ = stored[-1]
        measured = truth_at(simulator, index, last_start, last_register) - truth_at(
            simulator, index, first_start, first_register
        )
        assert total == pytest.approx(measured, abs=0.02), code
        assert count == (last_start - first_start) // 900  # every 15 min up to the last
        flags_seen |= platform.flags(code)
    assert {"rollover", "gap_spanned", "replacement"} <= flags_seen
