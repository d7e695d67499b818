"""A working configuration for the Modbus simulator (``nenghao gateway example-config``)."""

from __future__ import annotations

from nenghao.gateway.simulate_modbus import DEFAULT_RAW_MAX, UNIT_ID


def item_code(index: int) -> str:
    """The item code the example gives simulated meter `index`."""
    return f"M{index + 1:04d}"


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
    register_max = raw_max / 100
    lines = [
        "# nenghao gateway configuration (docs/gateway.md): the Modbus simulator's meters",
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
        "",
        "[[modbus.links]]",
        'name = "simulator"',
        'transport = "tcp"',
        f'host = "{host}"',
        f"port = {port}",
        "timeout_s = 1.0",
    ]
    for i in range(points):
        lines += [
            "",
            "[[items]]",
            f'code = "{item_code(i)}"',
            f'period = "{period}"',
            'unit = "kWh"',
            f"register_max = {register_max:.2f}",
            "resolution = 0.01",
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
