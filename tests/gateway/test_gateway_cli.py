"""``nenghao gateway``: example-config, check against the simulator, declare, status."""

from __future__ import annotations

import json

import pytest
from manual_clock import ManualClock
from platform_site import free_port
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.gateway.simulate_modbus import MeterSimulator

runner = CliRunner()


def test_example_config_check_declare_status(tmp_path) -> None:
    port = free_port()
    config = tmp_path / "gateway.toml"
    (tmp_path / "gateway.secret").write_text("demo-secret\n")
    written = runner.invoke(
        app,
        [
            "gateway",
            "example-config",
            "--protocol",
            "modbus",
            "--port",
            str(port),
            "--points",
            "2",
            "--output",
            str(config),
        ],
    )
    assert written.exit_code == 0, written.output
    simulator = MeterSimulator(2, ManualClock(1_777_000_500.0)).start("127.0.0.1", port)
    try:
        checked = runner.invoke(app, ["gateway", "check", "--config", str(config)])
    finally:
        simulator.stop()
    assert checked.exit_code == 0, checked.output
    assert "M0001 (meter 1): 1000 kWh" in checked.output
    assert "M0002 (meter 2): 2000 kWh" in checked.output
    declared = runner.invoke(
        app,
        [
            "gateway",
            "declare-replacement",
            "--config",
            str(config),
            "--item",
            "M0002",
            "--old-final",
            "2100.5",
            "--new-initial",
            "0",
        ],
    )
    assert declared.exit_code == 0, declared.output
    shown = runner.invoke(app, ["gateway", "status", "--config", str(config), "--json"])
    assert shown.exit_code == 0, shown.output
    status = json.loads(shown.output)
    assert status["declared_events"] == {
        "M0002": {"kind": "replacement", "old_final": 2100.5, "new_initial": 0.0}
    }
    assert status["queue_depth"] == 0
    text = runner.invoke(app, ["gateway", "status", "--config", str(config)])
    assert "declared, waiting for the next reading: M0002" in text.output


def test_check_refuses_a_bad_config_with_file_and_line(tmp_path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text('[gateway]\ncredit_code = "x"\n')
    result = runner.invoke(app, ["gateway", "check", "--config", str(config)])
    assert result.exit_code == 2
    assert f"{config}:2: gateway.credit_code" in result.output
    unknown = runner.invoke(app, ["gateway", "example-config", "--protocol", "bacnet"])
    assert unknown.exit_code == 2


def test_the_lean_entry_refuses_a_bad_config(tmp_path, capsys) -> None:
    from nenghao.gateway.__main__ import main

    config = tmp_path / "gateway.toml"
    config.write_text('[gateway]\ncredit_code = "x"\n')
    assert main(["run", "--config", str(config)]) == 2
    assert f"{config}:2: gateway.credit_code" in capsys.readouterr().err


@pytest.mark.parametrize("protocol", ["dlt645", "opcua"])
def test_example_config_and_check_for_dlt645_and_opcua(tmp_path, protocol) -> None:
    from nenghao.gateway.simulate_dlt645 import Dlt645Simulator
    from nenghao.gateway.simulate_opcua import OpcuaSimulator

    port = free_port()
    config = tmp_path / "gateway.toml"
    (tmp_path / "gateway.secret").write_text("demo-secret\n")
    command = ["gateway", "example-config", "--protocol", protocol, "--port", str(port)]
    written = runner.invoke(app, [*command, "--points", "2", "--output", str(config)])
    assert written.exit_code == 0, written.output
    simulator_class = Dlt645Simulator if protocol == "dlt645" else OpcuaSimulator
    simulator = simulator_class(2, ManualClock(1_777_000_500.0)).start("127.0.0.1", port)
    simulator.inject("offline", 1)
    try:
        checked = runner.invoke(app, ["gateway", "check", "--config", str(config)])
    finally:
        simulator.stop()
    assert checked.exit_code == 1, checked.output
    assert "M0001 (meter 1): 1000 kWh" in checked.output
    fault = "timeout" if protocol == "dlt645" else "bad_status"
    assert f"M0002 (meter 2): {fault}:" in checked.output
    assert "1 of 2 points could not be read" in checked.output
