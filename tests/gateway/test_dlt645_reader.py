"""The DL/T 645 simulator read by the gateway's reader over a TCP transparent link: values
advance and roll over; offline, frozen and reset meters; a bad checksum and an abnormal answer
are counted as faults by the poller and never queued."""

from __future__ import annotations

import socket
import threading

import pytest
from manual_clock import ManualClock
from meter_scenarios import check_advance_and_roll_over, check_offline_frozen_reset
from platform_site import free_port

from nenghao.gateway.config import load_config
from nenghao.gateway.config_meters import Dlt645Link, Dlt645Point
from nenghao.gateway.dlt645_reader import Dlt645Reader
from nenghao.gateway.example import dlt645_example
from nenghao.gateway.faults import Fault
from nenghao.gateway.poller import Poller
from nenghao.gateway.queue import Queue
from nenghao.gateway.simulate_dlt645 import Dlt645Simulator, meter_address

T0 = 1_777_000_500.0  # a 15-minute boundary


def _link(port: int) -> Dlt645Link:
    return Dlt645Link(name="sim", transport="tcp", host="127.0.0.1", port=port, timeout_s=0.3)


@pytest.fixture
def served():
    """3 meters (120, 157, 194 kW; 1000, 2000, 3000 kWh) wrapping at 2 500.00 kWh."""
    clock = ManualClock(T0)
    port = free_port()
    simulator = Dlt645Simulator(3, clock, raw_max=249_999).start("127.0.0.1", port)
    points = [Dlt645Point(item=f"M{i}", link="sim", address=meter_address(i)) for i in range(3)]
    reader = Dlt645Reader({"sim": _link(port)}, points)
    yield simulator, clock, reader
    reader.close()
    simulator.stop()


def test_registers_advance_and_roll_over(served) -> None:
    _simulator, clock, reader = served
    check_advance_and_roll_over(reader, clock)


def test_faults_offline_frozen_reset(served) -> None:
    simulator, clock, reader = served
    check_offline_frozen_reset(
        simulator,
        clock,
        reader,
        Fault("timeout", "meter 000000000002 on 'sim': no answer within 0.3 s"),
    )


def test_unknown_identifier_and_no_link(served) -> None:
    simulator, _clock, reader = served
    port = reader.lines["sim"].link.port
    reverse = Dlt645Point(item="R", link="sim", address=meter_address(0), data_id="00020000")
    other = Dlt645Reader({"sim": _link(port)}, [reverse])
    try:
        fault = other.read_all()["R"]
    finally:
        other.close()
    assert isinstance(fault, Fault)
    assert (fault.kind, fault.message) == (
        "abnormal_answer",
        "meter 000000000001: abnormal answer, error word 02: 无请求数据 no such data",
    )
    simulator.stop()
    reader.close()
    assert {v.kind for v in reader.read_all().values() if isinstance(v, Fault)} == {"connection"}


def _line_answering(answers: dict[bytes, bytes]) -> int:
    """A transparent link whose meters answer each request's address with fixed bytes."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            while data := conn.recv(64):
                start = data.index(0x68)
                conn.sendall(answers[data[start + 1 : start + 7]])
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def test_bad_checksum_and_abnormal_answer_are_faults_never_queued(tmp_path) -> None:
    # meter 000000000001 (wire 01 00 00 00 00 00): a normal answer of 1234.56 kWh whose
    # checksum should be 68+01+68+91+08 + 33 33 34 33 + 89 67 45 33
    #   = 104+1+104+145+8 + 205 + 360 = 927 = 3 × 256 + 159 → 9F; sent as 9E instead.
    bad = bytes.fromhex("FEFEFEFE 68 010000000000 68 91 08 33333433 89674533 9E 16")
    # meter 000000000002: abnormal answer D1, error word 01 (other error) + 33 = 34;
    # 104+2+104+209+1+52 = 472 = 256 + 216 → D8
    abnormal = bytes.fromhex("68 020000000000 68 D1 01 34 D8 16")
    port = _line_answering(
        {bytes.fromhex("010000000000"): bad, bytes.fromhex("020000000000"): abnormal}
    )
    (tmp_path / "gateway.secret").write_text("demo-secret\n")
    path = tmp_path / "gateway.toml"
    path.write_text(
        dlt645_example(
            url="http://127.0.0.1:9",
            key_id="nhk_test",
            credit_code="91210300MA0XY1234W",
            secret_file="gateway.secret",
            port=port,
            points=2,
        )
    )
    config = load_config(path)
    reader = Dlt645Reader(config.dlt645_links, config.dlt645_points)
    queue = Queue(config.queue_path)
    try:
        assert Poller(config, queue, reader.read_all, ManualClock(T0)).cycle(int(T0)) == 0
    finally:
        reader.close()
    meters = queue.meters()
    assert meters["M0001"].faults == {"checksum_error": 1}
    assert meters["M0001"].last_error == (
        "checksum_error: meter 000000000001: checksum 9E, the bytes sum to 9F"
    )
    assert meters["M0002"].faults == {"abnormal_answer": 1}
    assert "error word 01: 其他错误 other error" in str(meters["M0002"].last_error)
    assert queue.depth() == 0
