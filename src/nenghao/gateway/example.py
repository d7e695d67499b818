"""Working configurations for the simulators (``nenghao gateway example-config``): Modbus,
DL/T 645 and OPC UA, one register item per simulated meter."""

from __future__ import annotations

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


def modbus_example(
    *,
    url: str,
    key_id: str,
    credit_code: str,
    secret_file: str,
    host: str = "127.0.0.1",
    port: int = 5020,
    points: int = 10,
    cadence_min: int = 15,
    period: str = "15min",
    queue: str = "gateway-queue.db",
    raw_max: int = DEFAULT_RAW_MAX,
) -> str:
    """The TOML text: one register item and one point per simulated meter."""
    lines = _head(
        "Modbus",
        url=url,
        key_id=key_id,
        credit_code=credit_code,
        secret_file=secret_file,
        cadence_min=cadence_min,
        queue=queue,
    )
    lines += [
        "",
        "[[modbus.links]]",
        'name = "simulator"',
        'transport = "tcp"',
        f'host = "{host}"',
        f"port = {port}",
        "timeout_s = 1.0",
    ]
    for i in range(points):
        lines += _item(i, period, raw_max)
        lines += [
            "",
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
        ]
    return "\n".join(lines) + "\n"


def dlt645_example(
    *,
    url: str,
    key_id: str,
    credit_code: str,
    secret_file: str,
    host: str = "127.0.0.1",
    port: int = 8899,
    points: int = 10,
    cadence_min: int = 15,
    period: str = "15min",
    queue: str = "gateway-queue.db",
    raw_max: int = DEFAULT_RAW_MAX,
) -> str:
    """The TOML text for the DL/T 645 simulator: a TCP transparent link, forward active
    energy (00010000) of each meter."""
    lines = _head(
        "DL/T 645",
        url=url,
        key_id=key_id,
        credit_code=credit_code,
        secret_file=secret_file,
        cadence_min=cadence_min,
        queue=queue,
    )
    lines += [
        "",
        "[[dlt645.links]]",
        'name = "simulator"',
        'transport = "tcp"',
        f'host = "{host}"',
        f"port = {port}",
        "timeout_s = 1.0",
    ]
    for i in range(points):
        lines += _item(i, period, raw_max)
        lines += [
            "",
            "[[dlt645.points]]",
            f'item = "{item_code(i)}"',
            'link = "simulator"',
            f'meter = "meter {i + 1}"',
            f'address = "{meter_address(i)}"',
            'data_id = "00010000"',
        ]
    return "\n".join(lines) + "\n"


def opcua_example(
    *,
    url: str,
    key_id: str,
    credit_code: str,
    secret_file: str,
    host: str = "127.0.0.1",
    port: int = 4840,
    points: int = 10,
    cadence_min: int = 15,
    period: str = "15min",
    queue: str = "gateway-queue.db",
    raw_max: int = DEFAULT_RAW_MAX,
) -> str:
    """The TOML text for the OPC UA simulator: no security, anonymous, the Double energy
    node of each meter (docs/gateway.md shows a signed and encrypted session)."""
    lines = _head(
        "OPC UA",
        url=url,
        key_id=key_id,
        credit_code=credit_code,
        secret_file=secret_file,
        cadence_min=cadence_min,
        queue=queue,
    )
    lines += [
        "",
        "[[opcua.servers]]",
        'name = "simulator"',
        f'endpoint = "opc.tcp://{host}:{port}/nenghao/"',
        'security_mode = "None"',
        'security_policy = "None"',
        'identity = "anonymous"',
        "timeout_s = 5.0",
    ]
    for i in range(points):
        lines += _item(i, period, raw_max)
        lines += [
            "",
            "[[opcua.points]]",
            f'item = "{item_code(i)}"',
            'server = "simulator"',
            f'meter = "meter {i + 1}"',
            f'node_id = "ns=2;{energy_node(i)}"',
        ]
    return "\n".join(lines) + "\n"


EXAMPLES = {"modbus": modbus_example, "dlt645": dlt645_example, "opcua": opcua_example}
"""The example writer of each protocol."""
