"""The OPC UA simulator (asyncua's server) read by the gateway's reader: values advance and
roll over; offline (a Bad status), frozen and reset meters; number types and statuses; a
SignAndEncrypt Basic256Sha256 session with a user whose password is read from a file."""

from __future__ import annotations

import socket

import pytest
from asyncua import ua
from asyncua.crypto.cert_gen import setup_self_signed_certificate
from cryptography.x509.oid import ExtendedKeyUsageOID
from manual_clock import ManualClock
from platform_site import free_port

from nenghao.gateway.background_loop import BackgroundLoop
from nenghao.gateway.config_meters import OpcuaPoint, OpcuaServer
from nenghao.gateway.faults import Fault
from nenghao.gateway.opcua import APPLICATION_URI, OpcuaReader, data_value
from nenghao.gateway.opcua_nodes import energy_node
from nenghao.gateway.simulate_opcua import OpcuaSimulator

T0 = 1_777_000_500.0


def _points(count: int) -> list[OpcuaPoint]:
    return [
        OpcuaPoint(item=f"M{i}", server="sim", node_id=f"ns=2;{energy_node(i)}")
        for i in range(count)
    ]


@pytest.fixture
def served(tmp_path):
    """3 meters (120, 157, 194 kW; 1000, 2000, 3000 kWh) wrapping at 2 500.00 kWh."""
    clock = ManualClock(T0)
    port = free_port()
    simulator = OpcuaSimulator(3, clock, raw_max=249_999).start("127.0.0.1", port)
    server = OpcuaServer(name="sim", endpoint=f"opc.tcp://127.0.0.1:{port}/nenghao/")
    counts = OpcuaPoint(
        item="C1", server="sim", node_id=f"ns=2;{energy_node(1, counts=True)}", scale=0.01
    )
    reader = OpcuaReader({"sim": server}, [*_points(3), counts], tmp_path)
    yield simulator, clock, reader
    reader.close()
    simulator.stop()


def test_values_advance_and_roll_over(served) -> None:
    _simulator, clock, reader = served
    assert reader.read_all() == {"M0": 1000.0, "M1": 2000.0, "M2": 500.0, "C1": 2000.0}
    clock.t += 3600  # one hour: +120, +157, +194 kWh
    assert reader.read_all() == {"M0": 1120.0, "M1": 2157.0, "M2": 694.0, "C1": 2157.0}
    clock.t += 3 * 3600  # M1: 2157 + 471 = 2628 → wraps at 2500.00 to 128.00
    assert reader.read_all()["M1"] == pytest.approx(128.0)


def test_faults_offline_frozen_reset_and_unknown_node(served, tmp_path) -> None:
    simulator, clock, reader = served
    simulator.inject("offline", 1)
    simulator.inject("frozen", 2)
    simulator.inject("reset", 0)
    clock.t += 1800  # meter 0 counted 60 kWh since its reset
    values = reader.read_all()
    assert values["M1"] == Fault(
        "bad_status", "ns=2;s=Meter0002.Energy: status BadCommunicationError"
    )
    assert values["C1"].kind == "bad_status"
    assert (values["M0"], values["M2"]) == (60.0, 500.0)
    endpoint = reader.sessions["sim"].server
    missing = OpcuaReader(
        {"sim": endpoint}, [OpcuaPoint(item="X", server="sim", node_id="ns=2;s=Nope")], tmp_path
    )
    try:
        assert missing.read_all()["X"] == Fault(
            "bad_status", "ns=2;s=Nope: status BadNodeIdUnknown"
        )
    finally:
        missing.close()
    simulator.stop()
    assert {v.kind for v in reader.read_all().values() if isinstance(v, Fault)} == {"connection"}


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        (ua.Variant(1234.5, ua.VariantType.Double), 1234.5),
        (ua.Variant(1234.5, ua.VariantType.Float), 1234.5),
        (ua.Variant(-7, ua.VariantType.Int32), -7.0),
        (ua.Variant(2**40, ua.VariantType.UInt64), float(2**40)),
        (ua.Variant(True, ua.VariantType.Boolean), "bad_type"),
        (ua.Variant("12", ua.VariantType.String), "bad_type"),
        (ua.Variant(float("nan"), ua.VariantType.Double), "not_finite"),
    ],
)
def test_number_types(variant, expected) -> None:
    value = data_value(ua.DataValue(variant))
    assert (value.kind if isinstance(value, Fault) else value) == expected


def test_bad_and_uncertain_statuses_are_faults() -> None:
    for code in (ua.StatusCodes.BadSensorFailure, ua.StatusCodes.UncertainLastUsableValue):
        status = ua.StatusCode(ua.UInt32(code))
        value = data_value(ua.DataValue(ua.Variant(1.0, ua.VariantType.Double), StatusCode=status))
        assert isinstance(value, Fault)
        assert value.kind == "bad_status"


def _certificate(directory, name: str, uri: str, use) -> tuple:
    key, cert = directory / f"{name}-key.pem", directory / f"{name}-cert.der"
    background = BackgroundLoop()  # this thread may already run a loop (a browser test's)
    try:
        background.run(
            lambda: setup_self_signed_certificate(
                key, cert, uri, socket.gethostname(), [use], {"commonName": name}
            )
        )
    finally:
        background.close()
    return cert, key


def test_sign_and_encrypt_with_a_user_password_from_a_file(tmp_path) -> None:
    server_cert, server_key = _certificate(
        tmp_path, "server", "urn:freeopcua:python:server", ExtendedKeyUsageOID.SERVER_AUTH
    )
    client_cert, client_key = _certificate(
        tmp_path, "gateway", APPLICATION_URI, ExtendedKeyUsageOID.CLIENT_AUTH
    )
    port = free_port()
    simulator = OpcuaSimulator(
        1,
        ManualClock(T0),
        certificate=server_cert,
        private_key=server_key,
        users={"reader": "s3cret-pass"},
    ).start("127.0.0.1", port)
    (tmp_path / "opcua.password").write_text("s3cret-pass\n")
    (tmp_path / "wrong.password").write_text("guess\n")

    def read(password_file: str, mode: str = "SignAndEncrypt") -> float | Fault:
        server = OpcuaServer(
            name="sim",
            endpoint=f"opc.tcp://127.0.0.1:{port}/nenghao/",
            security_mode=mode,
            security_policy="Basic256Sha256",
            certificate=client_cert.name,
            private_key=client_key.name,
            identity="username",
            username="reader",
            password_file=password_file,
        )
        reader = OpcuaReader({"sim": server}, _points(1), tmp_path)
        try:
            return reader.read_all()["M0"]
        finally:
            reader.close()

    try:
        assert read("opcua.password") == 1000.0
        assert read("opcua.password", "Sign") == 1000.0
        refused = read("wrong.password")
    finally:
        simulator.stop()
    assert isinstance(refused, Fault)
    assert refused.kind == "connection"
