"""Working configurations for the simulators (``nenghao gateway example-config``): Modbus,
DL/T 645 and OPC UA, one register item per simulated meter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Required, TypedDict, Unpack

from nenghao.gateway.opcua_nodes import energy_node
from nenghao.gateway.simulate_dlt645 import meter_address
from nenghao.gateway.simulate_modbus import DEFAULT_RAW_MAX, UNIT_ID


def item_code(index: int) -> str:
    """The item code the example gives simulated meter `index`."""
    return f"M{index + 1:04d}"


def _head(
    protocol: str,
    *,
    url: str,
    key_id: str,
    credit_code: str,
    secret_file: str,
    cadence_min: int,
    queue: str,
) -> list[str]:
    return [
        f"# nenghao gateway configuration (docs/gateway.md): the {protocol} simulator's meters",
        "[gateway]",
        f'credit_code = "{credit_code}"',
        f"cadence_min = {cadence_min}",
        f'queue = "{queue}"',
        "queue_max_mb = 1024",
        "queue_warn_fraction = 0.8",
        "",
        "[platform]",
        f'url = "{url}"',
        f'key_id = "{key_id}"',
        "# the secret is never written here: a file holding it, readable by the gateway only",
        f'secret_file = "{secret_file}"',
    ]


def _item(index: int, period: str, raw_max: int) -> list[str]:
    return [
        "",
        "[[items]]",
        f'code = "{item_code(index)}"',
        f'period = "{period}"',
        'unit = "kWh"',
        f"register_max = {raw_max / 100:.2f}",
        "resolution = 0.01",
    ]


class Common(TypedDict, total=False):
    """What every example takes besides the simulator's address (defaults in `_document`)."""

    url: Required[str]
    key_id: Required[str]
    credit_code: Required[str]
    secret_file: Required[str]
    points: int
    cadence_min: int
    period: str
    queue: str
    raw_max: int


def _document(
    protocol: str, connection: list[str], point: Callable[[int], list[str]], common: Common
) -> str:
    """The TOML text: the head, the `connection` section, then one register item and its
    `point` section per simulated meter."""
    period, raw_max = common.get("period", "15min"), common.get("raw_max", DEFAULT_RAW_MAX)
    lines = _head(
        protocol,
        url=common["url"],
        key_id=common["key_id"],
        credit_code=common["credit_code"],
        secret_file=common["secret_file"],
        cadence_min=common.get("cadence_min", 15),
        queue=common.get("queue", "gateway-queue.db"),
    )
    lines += ["", *connection]
    for i in range(common.get("points", 10)):
        lines += _item(i, period, raw_max)
        lines += ["", *point(i)]
    return "\n".join(lines) + "\n"


def modbus_example(*, host: str = "127.0.0.1", port: int = 5020, **common: Unpack[Common]) -> str:
    """The TOML text for the Modbus simulator: one u32 holding register pair per meter."""
    link = ["[[modbus.links]]", 'name = "simulator"', 'transport = "tcp"']
    link += [f'host = "{host}"', f"port = {port}", "timeout_s = 1.0"]
    return _document(
        "Modbus",
        link,
        lambda i: [
            "[[points]]",
            f'item = "{item_code(i)}"',
            'link = "simulator"',
            f'meter = "meter {i + 1}"',
            f"unit_id = {UNIT_ID}",
            "function = 3",
            f"address = {2 * i}",
            'data_type = "u32"',
            'word_order = "big"',
            'byte_order = "big"',
            "scale = 0.01",
        ],
        common,
    )


def dlt645_example(*, host: str = "127.0.0.1", port: int = 8899, **common: Unpack[Common]) -> str:
    """The TOML text for the DL/T 645 simulator: a TCP transparent link, forward active
    energy (00010000) of each meter."""
    link = ["[[dlt645.links]]", 'name = "simulator"', 'transport = "tcp"']
    link += [f'host = "{host}"', f"port = {port}", "timeout_s = 1.0"]
    return _document(
        "DL/T 645",
        link,
        lambda i: [
            "[[dlt645.points]]",
            f'item = "{item_code(i)}"',
            'link = "simulator"',
            f'meter = "meter {i + 1}"',
            f'address = "{meter_address(i)}"',
            'data_id = "00010000"',
        ],
        common,
    )


def opcua_example(*, host: str = "127.0.0.1", port: int = 4840, **common: Unpack[Common]) -> str:
    """The TOML text for the OPC UA simulator: no security, anonymous, the Double energy
    node of each meter (docs/gateway.md shows a signed and encrypted session)."""
    server = ["[[opcua.servers]]", 'name = "simulator"']
    server += [f'endpoint = "opc.tcp://{host}:{port}/nenghao/"', 'security_mode = "None"']
    server += ['security_policy = "None"', 'identity = "anonymous"', "timeout_s = 5.0"]
    return _document(
        "OPC UA",
        server,
        lambda i: [
            "[[opcua.points]]",
            f'item = "{item_code(i)}"',
            'server = "simulator"',
            f'meter = "meter {i + 1}"',
            f'node_id = "ns=2;{energy_node(i)}"',
        ],
        common,
    )


EXAMPLES = {"modbus": modbus_example, "dlt645": dlt645_example, "opcua": opcua_example}
"""The example writer of each protocol."""
