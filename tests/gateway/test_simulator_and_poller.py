"""The Modbus simulator (rollover, offline, frozen, reset) read by the gateway's reader and
poller; backwards registers are held until a reset is declared."""

from __future__ import annotations

import socket
import threading

import pytest
from manual_clock import ManualClock
from meter_scenarios import check_advance_and_roll_over, check_offline_frozen_reset
from platform_site import free_port

from nenghao.gateway.config import ModbusLink, PointSpec
from nenghao.gateway.modbus import Fault, LinkReader, ModbusReader, plan_blocks
from nenghao.gateway.poller import Poller
from nenghao.gateway.queue import Queue
from nenghao.gateway.simulate_modbus import MeterSimulator

T0 = 1_777_000_500.0  # a 15-minute boundary: 1_777_000_500 % 900 == 0


@pytest.fixture
def served():
    """A simulator of 3 meters (120, 157, 194 kW; 1000, 2000, 3000 kWh) wrapping at
    2 500.00 kWh, on a clock moved by hand, and a reader of it."""
    clock = ManualClock(T0)
    port = free_port()
    simulator = MeterSimulator(3, clock, raw_max=249_999).start("127.0.0.1", port)
    link = ModbusLink(name="sim", host="127.0.0.1", port=port, timeout_s=0.5, retries=0)
    points = [PointSpec(item=f"M{i}", link="sim", address=2 * i, scale=0.01) for i in range(3)]
    reader = ModbusReader({"sim": link}, points)
    yield simulator, clock, reader
    reader.close()
    simulator.stop()


def test_registers_advance_and_roll_over(served) -> None:
    _simulator, clock, reader = served
    check_advance_and_roll_over(reader, clock)


def test_faults_offline_frozen_reset(served) -> None:
    simulator, clock, reader = served
    check_offline_frozen_reset(
        simulator, clock, reader, Fault("exception_code", "exception code 11 from unit 1")
    )


def test_block_plan() -> None:
    points = [PointSpec(item=f"M{i}", link="l", address=2 * i) for i in range(100)]
    blocks = plan_blocks(points)
    assert [(b.address, b.count) for b in blocks] == [(0, 124), (124, 76)]


def test_timeout_and_illegal_address() -> None:
    port = free_port()
    link = ModbusLink(name="none", host="127.0.0.1", port=port, timeout_s=0.2, retries=0)
    point = PointSpec(item="X", link="none", address=0)
    assert ModbusReader({"none": link}, [point]).read_all()["X"].kind == "connection"
    simulator = MeterSimulator(1, ManualClock(T0)).start("127.0.0.1", port)
    try:
        far = PointSpec(item="X", link="none", address=10)
        assert ModbusReader({"none": link}, [far]).read_all()["X"] == Fault(
            "exception_code", "exception code 2 from unit 1"
        )
    finally:
        simulator.stop()


def test_crc_error_on_rtu_over_tcp() -> None:
    """A meter behind a serial-to-TCP converter answering with a corrupted frame."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    # 01 03 04 0001 86A0: 100000 counts; its CRC replaced by 00 00
    bad = bytes.fromhex("0103040001 86A0".replace(" ", "")) + b"\x00\x00"

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(64)
            conn.sendall(bad)
            conn.recv(64)  # until the client gives up

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    link = ModbusLink(
        name="rs485",
        transport="rtu-over-tcp",
        host="127.0.0.1",
        port=port,
        timeout_s=0.3,
        retries=0,
    )
    reader = LinkReader(link)
    try:
        block = plan_blocks([PointSpec(item="X", link="rs485", address=0)])[0]
        fault = reader.read(block)
    finally:
        reader.close()
        listener.close()
    assert isinstance(fault, Fault)
    assert fault.kind == "crc_error"


def test_backwards_is_held_until_a_reset_is_declared(example_config) -> None:
    clock = ManualClock(T0)
    values = {"M0001": 100.0, "M0002": 50.0, "M0003": 2499.0}
    queue = Queue(example_config.queue_path)
    poller = Poller(example_config, queue, lambda: dict(values), clock)
    assert poller.cycle(int(T0)) == 3
    values.update({"M0001": 40.0, "M0002": 55.0, "M0003": 1.0})  # M0003 wraps at 2500
    clock.t += 900
    assert poller.cycle(int(T0) + 900) == 2
    meters = queue.meters()
    assert meters["M0001"].faults == {"backwards": 1}
    assert meters["M0001"].held_since == clock.t
    assert meters["M0001"].last_value == 100.0  # the baseline stays
    queue.declare("M0001", {"kind": "reset", "old_final": 101.0})
    values["M0001"] = 42.0
    clock.t += 900
    assert poller.cycle(int(T0) + 1800) == 3
    last = [q.reading for q in queue.head(100) if q.reading.item == "M0001"][-1]
    assert (last.register, last.event) == (42.0, {"kind": "reset", "old_final": 101.0})
    assert last.start == int(T0) + 1800
    assert queue.events() == {}
    assert queue.meters()["M0001"].held_since is None


def test_reads_between_period_starts_are_not_queued(example_config, tmp_path) -> None:
    text = example_config.path.read_text().replace("cadence_min = 15", "cadence_min = 5")
    (tmp_path / "five.toml").write_text(text)
    from nenghao.gateway.config import load_config

    config = load_config(tmp_path / "five.toml")
    queue = Queue(config.queue_path)
    poller = Poller(
        config, queue, lambda: {"M0001": 1.0, "M0002": 2.0, "M0003": 3.0}, ManualClock(T0)
    )
    assert [poller.cycle(int(T0) + 300 * k) for k in range(4)] == [3, 0, 0, 3]
    assert poller.next_boundary(T0 + 1) == int(T0) + 300


def test_disk_cap_stops_reading(example_config, tmp_path) -> None:
    text = example_config.path.read_text().replace("queue_max_mb = 1024", "queue_max_mb = 0.01")
    (tmp_path / "small.toml").write_text(text)
    from nenghao.gateway.config import load_config

    config = load_config(tmp_path / "small.toml")
    queue = Queue(config.queue_path)
    reads = []
    poller = Poller(config, queue, lambda: reads.append(1) or {}, ManualClock(T0))
    assert poller.cycle(int(T0)) == 0
    assert reads == []  # not read at all
    assert queue.status_values()["queue_full"] is True
    assert queue.status_values()["skipped_cycles"] == 1
