"""DL/T 645 and OPC UA simulated meters → gateway → a real platform: every simulated kWh arrives
exactly once, through a platform outage, a gateway kill -9 and a register rollover.

As tests/gateway/test_end_to_end.py (its helpers), with the protocol's simulator in this process
and the gateway in a subprocess on a `FastClock` (a 15-minute period every 0.5 s).
"""

from __future__ import annotations

import signal
import time

import pytest
from platform_site import Platform, free_port
from test_end_to_end import POINTS, RAW_MAX, SPEED, start_gateway, truth_at, wait_for

from nenghao.gateway.clock import FastClock
from nenghao.gateway.config import load_config
from nenghao.gateway.example import item_code
from nenghao.gateway.queue import Queue
from nenghao.gateway.simulate_dlt645 import Dlt645Simulator
from nenghao.gateway.simulate_opcua import OpcuaSimulator
from nenghao.gateway.uploader import Uploader

SIMULATORS = {"dlt645": Dlt645Simulator, "opcua": OpcuaSimulator}


@pytest.mark.slow
@pytest.mark.parametrize("protocol", sorted(SIMULATORS))
def test_every_kwh_arrives_once_through_outage_kill_and_rollover(tmp_path, protocol) -> None:
    platform = Platform(tmp_path, POINTS, register_max=RAW_MAX / 100).start()
    clock = FastClock(time.time() - 3 * 86400, time.time(), SPEED)
    sim_port = free_port()
    simulator = SIMULATORS[protocol](POINTS, clock, raw_max=RAW_MAX, log_served=True)
    simulator.start("127.0.0.1", sim_port)
    config_path = platform.gateway_config(
        tmp_path / "gateway.toml", sim_port, POINTS, raw_max=RAW_MAX, protocol=protocol
    )
    config = load_config(config_path)
    first = item_code(0)
    gateway = start_gateway(config_path, clock)
    try:
        wait_for(lambda: len(platform.registers(first)) >= 8, "the first readings")
        platform.stop()  # outage: readings wait in the gateway's queue
        queue = Queue(config.queue_path)
        wait_for(lambda: queue.depth() >= 3 * POINTS, "readings queued during the outage")
        platform.start()
        wait_for(lambda: len(platform.registers(first)) >= 16, "the backlog")
        gateway.send_signal(signal.SIGKILL)  # kill -9 mid-run
        gateway.wait()
        time.sleep(1.0)  # two simulated periods without the gateway: a gap on the platform
        killed_last = queue.meters()[first].last_start  # the last period the killed one read
        assert killed_last is not None
        gateway = start_gateway(config_path, clock)
        # periods the killed gateway never read: the restarted one reads and uploads
        wait_for(
            lambda: platform.registers(first)[-1][0] >= killed_last + 8 * 900,
            "readings after the restart",
        )
        gateway.send_signal(signal.SIGTERM)
        assert gateway.wait(30) == 0, gateway.stderr.read().decode() if gateway.stderr else ""
        drain = Uploader(config, queue, config.read_secret())
        while queue.depth():
            assert drain.send_once().error is None
        assert queue.rejected_count() == 0
        assert all(not meter.faults for meter in queue.meters().values())
    finally:
        if gateway.poll() is None:
            gateway.kill()
        simulator.stop()
        platform.stop()

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
    assert {"rollover", "gap_spanned"} <= flags_seen  # the wrap, and the kill's gap
