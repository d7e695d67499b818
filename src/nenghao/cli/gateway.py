"""``nenghao gateway``: the access end — run, check, example-config, status, simulate, and
declare meter replacements and resets. docs/gateway.md."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from nenghao.cli.common import console, fail
from nenghao.gateway.clock import SystemClock
from nenghao.gateway.config import ConfigError, GatewayConfig, load_config
from nenghao.gateway.discovery import check_against_platform
from nenghao.gateway.example import EXAMPLES
from nenghao.gateway.faults import Fault
from nenghao.gateway.queue import Queue
from nenghao.gateway.readers import MeterReaders
from nenghao.gateway.runner import run_gateway
from nenghao.gateway.simulate_dlt645 import Dlt645Simulator
from nenghao.gateway.simulate_modbus import DEFAULT_RAW_MAX, FAULTS, MeterSimulator
from nenghao.gateway.simulated import MeterBank
from nenghao.gateway.status import gateway_status, render

app = typer.Typer(
    help="The access-end gateway (接入端): read meters, queue, upload signed.", no_args_is_help=True
)
simulate_app = typer.Typer(help="Simulated meters for tests and demos.", no_args_is_help=True)
app.add_typer(simulate_app, name="simulate")

DEFAULT_PORTS = {"modbus": 5020, "dlt645": 8899, "opcua": 4840}
ConfigPath = Annotated[Path, typer.Option("--config", "-c", help="The gateway's TOML file.")]


def _config(path: Path) -> GatewayConfig:
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(f"the configuration cannot be used:\n{exc}")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


def _discover(checked: GatewayConfig, secret: bytes) -> None:
    """Check the items against the platform's (exit 2 on unknown ones); offline: warn."""
    try:
        offline = check_against_platform(checked, secret)
    except ConfigError as exc:
        fail(f"the configuration's items are refused by the platform:\n{exc}")
    if offline is None:
        console.print("items: checked against the platform's approved items", markup=False)
    else:
        console.print(
            f"warning: the platform's items could not be read ({offline});"
            " the configuration's [[items]] are used",
            markup=False,
        )


@app.command("run")
def run(config: ConfigPath) -> None:
    """Read the meters on the cadence and upload until stopped (SIGTERM, Ctrl-C)."""
    checked = _config(config)
    try:
        secret = checked.read_secret()
    except (OSError, ValueError) as exc:
        fail(f"cannot read the secret file: {exc}")
    _discover(checked, secret)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        run_gateway(checked, stop)
    except KeyboardInterrupt:
        stop.set()


@app.command("check")
def check(config: ConfigPath) -> None:
    """Check the configuration, then read each point once and print its value and unit."""
    checked = _config(config)
    console.print(f"{config}: configuration OK ({len(checked.all_points)} points)")
    try:
        secret = checked.read_secret()
    except (OSError, ValueError) as exc:
        fail(f"cannot read the secret file: {exc}")
    _discover(checked, secret)
    reader = MeterReaders(checked)
    try:
        values = reader.read_all()
    finally:
        reader.close()
    failed = 0
    for point in checked.all_points:
        value = values[point.item]
        unit = checked.items[point.item].unit
        if isinstance(value, Fault):
            failed += 1
            console.print(
                f"{point.item} ({point.name}): {value.kind}: {value.message}", markup=False
            )
        else:
            console.print(f"{point.item} ({point.name}): {value:.6g} {unit}", markup=False)
    if failed:
        fail(f"{failed} of {len(checked.all_points)} points could not be read", code=1)


@app.command("example-config")
def example_config(
    protocol: Annotated[str, typer.Option(help="modbus, dlt645 or opcua.")],
    url: Annotated[str, typer.Option(help="The platform URL.")] = "http://127.0.0.1:8000",
    key_id: Annotated[str, typer.Option(help="The device key id (nenghao device issue).")] = (
        "nhk_example"
    ),
    credit_code: Annotated[str, typer.Option(help="The enterprise's credit code.")] = (
        "91210300MA0XY1234W"
    ),
    secret_file: Annotated[str, typer.Option(help="Path of the file holding the secret.")] = (
        "gateway.secret"
    ),
    host: Annotated[str, typer.Option(help="The simulator's host.")] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(
            help="The simulator's port (default 5020 Modbus, 8899 DL/T 645, 4840 OPC UA)."
        ),
    ] = None,
    points: Annotated[int, typer.Option(help="Meters (as served by the simulator).")] = 10,
    cadence_min: Annotated[int, typer.Option(help="Minutes between reads.")] = 15,
    period: Annotated[str, typer.Option(help="The items' period.")] = "15min",
    output: Annotated[Path | None, typer.Option(help="Write here (else print).")] = None,
) -> None:
    """Write a working configuration for the simulator."""
    if protocol not in EXAMPLES:
        fail(f"protocol {protocol!r}: one of {', '.join(EXAMPLES)}")
    text = EXAMPLES[protocol](
        url=url,
        key_id=key_id,
        credit_code=credit_code,
        secret_file=secret_file,
        host=host,
        port=port or DEFAULT_PORTS[protocol],
        points=points,
        cadence_min=cadence_min,
        period=period,
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")


@app.command("status")
def status(
    config: ConfigPath, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Queue depth, rejected records with reasons, last read per meter, clock skew."""
    checked = _config(config)
    queue = Queue(checked.queue_path)
    try:
        report = gateway_status(checked, queue)
    finally:
        queue.close()
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for line in render(report):
        console.print(line, markup=False, highlight=False)


def _declare(config: Path, item: str, event: dict[str, float | str]) -> None:
    checked = _config(config)
    if item not in checked.items:
        fail(f"unknown item {item!r}: not among the configuration's items")
    queue = Queue(checked.queue_path)
    try:
        queue.declare(item, event)
    finally:
        queue.close()
    console.print(f"{item}: {event['kind']} declared; the next reading carries it", markup=False)


@app.command("declare-replacement")
def declare_replacement(
    config: ConfigPath,
    item: Annotated[str, typer.Option(help="The item whose meter was replaced.")],
    old_final: Annotated[float, typer.Option(help="The old meter's last reading.", min=0)],
    new_initial: Annotated[float, typer.Option(help="The new meter's first reading.", min=0)],
) -> None:
    """Declare a meter replacement: sent as the next reading's register_event."""
    _declare(
        config, item, {"kind": "replacement", "old_final": old_final, "new_initial": new_initial}
    )


@app.command("declare-reset")
def declare_reset(
    config: ConfigPath,
    item: Annotated[str, typer.Option(help="The item whose register was reset to 0.")],
    old_final: Annotated[
        float | None,
        typer.Option(
            help="The reading just before the reset; leave out if unknown (the span is then"
            " reported as unknown, never estimated).",
            min=0,
        ),
    ] = None,
) -> None:
    """Declare a register reset: sent as the next reading's register_event."""
    event: dict[str, float | str] = {"kind": "reset"}
    if old_final is not None:
        event["old_final"] = old_final
    _declare(config, item, event)


FaultOption = Annotated[
    list[str] | None,
    typer.Option(
        help="KIND:METER[@SECONDS] with KIND offline, frozen or reset, METER 1-based;"
        " starts after SECONDS (0). Repeatable."
    ),
]
RawMaxOption = Annotated[int, typer.Option(help="Register counts at which it wraps.")]
HostOption = Annotated[str, typer.Option(help="Address to listen on.")]


def _fault_plan(faults: list[str] | None, points: int) -> list[tuple[float, str, int]]:
    plan: list[tuple[float, str, int]] = []
    for text in faults or []:
        kind, _, rest = text.partition(":")
        meter, _, after = rest.partition("@")
        try:
            index, delay = int(meter) - 1, float(after or 0)
        except ValueError:
            fail(f"--fault {text!r}: write KIND:METER[@SECONDS]")
        if kind not in FAULTS or not 0 <= index < points:
            fail(f"--fault {text!r}: KIND one of {', '.join(FAULTS)}, METER 1..{points}")
        plan.append((delay, kind, index))
    return plan


def _simulate(
    simulator: MeterBank, serve: Any, plan: list[tuple[float, str, int]], banner: str
) -> None:
    async def main() -> None:
        started = time.monotonic()
        server = asyncio.create_task(serve)
        for delay, kind, index in sorted(plan):
            await asyncio.sleep(max(0.0, started + delay - time.monotonic()))
            simulator.inject(kind, index)
            console.print(f"fault {kind} on meter {index + 1}")
        await server

    console.print(f"{banner}; Ctrl-C stops")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@simulate_app.command("modbus")
def simulate_modbus(
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 5020,
    points: Annotated[int, typer.Option(help="How many meters.", min=1, max=32000)] = 10,
    host: HostOption = "127.0.0.1",
    raw_max: RawMaxOption = DEFAULT_RAW_MAX,
    fault: FaultOption = None,
) -> None:
    """Serve simulated energy meters over Modbus TCP until stopped."""
    simulator = MeterSimulator(points, SystemClock(), raw_max=raw_max)
    plan = _fault_plan(fault, points)
    banner = f"{points} simulated meters on {host}:{port} (unit 1, registers 2i, u32, 0.01 kWh)"
    _simulate(simulator, simulator.serve(host, port), plan, banner)


@simulate_app.command("dlt645")
def simulate_dlt645(
    port: Annotated[int, typer.Option(help="TCP port of the transparent link.")] = 8899,
    points: Annotated[int, typer.Option(help="How many meters.", min=1, max=9999)] = 10,
    host: HostOption = "127.0.0.1",
    raw_max: RawMaxOption = DEFAULT_RAW_MAX,
    fault: FaultOption = None,
) -> None:
    """Serve simulated DL/T 645-2007 meters behind a TCP transparent link until stopped."""
    simulator = Dlt645Simulator(points, SystemClock(), raw_max=raw_max)
    plan = _fault_plan(fault, points)
    banner = (
        f"{points} simulated DL/T 645 meters on {host}:{port} (addresses 000000000001…,"
        " 00010000 forward active energy, XXXXXX.XX kWh)"
    )
    _simulate(simulator, simulator.serve(host, port), plan, banner)


@simulate_app.command("opcua")
def simulate_opcua(
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 4840,
    points: Annotated[int, typer.Option(help="How many meters.", min=1, max=9999)] = 10,
    host: HostOption = "127.0.0.1",
    raw_max: RawMaxOption = DEFAULT_RAW_MAX,
    fault: FaultOption = None,
    certificate: Annotated[
        Path | None, typer.Option(help="Server certificate (offers Basic256Sha256).")
    ] = None,
    private_key: Annotated[Path | None, typer.Option(help="The certificate's key.")] = None,
    user: Annotated[
        list[str] | None, typer.Option(help="NAME:PASSWORD_FILE of an allowed user. Repeatable.")
    ] = None,
) -> None:
    """Serve simulated energy meters on an OPC UA server until stopped."""
    users = None
    if user:
        users = {}
        for text in user:
            name, _, password_file = text.partition(":")
            try:
                users[name] = Path(password_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                fail(f"--user {text!r}: cannot read the password file: {exc.strerror}")
    from nenghao.gateway.simulate_opcua import OpcuaSimulator  # asyncua only when asked

    simulator = OpcuaSimulator(
        points,
        SystemClock(),
        raw_max=raw_max,
        certificate=certificate,
        private_key=private_key,
        users=users,
    )
    plan = _fault_plan(fault, points)
    banner = (
        f"{points} simulated meters on opc.tcp://{host}:{port}/nenghao/"
        " (ns=2;s=Meter0001.Energy …, Double kWh)"
    )
    _simulate(simulator, simulator.serve(host, port), plan, banner)
