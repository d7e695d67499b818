"""One reader over every protocol of a configuration: Modbus, DL/T 645 and OPC UA points read
once per call, each answering a value or a `Fault` by item code."""

from __future__ import annotations

from typing import Protocol

from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.faults import Fault


class _Reader(Protocol):
    def read_all(self) -> dict[str, float | Fault]: ...

    def close(self) -> None: ...


class MeterReaders:
    """The readers a configuration needs (only those of protocols it has points for; each
    protocol's library is imported only then, which keeps a Modbus-only gateway small)."""

    def __init__(self, config: GatewayConfig) -> None:
        self.readers: list[_Reader] = []
        if config.points:
            from nenghao.gateway.modbus import ModbusReader

            self.readers.append(ModbusReader(config.links, config.points))
        if config.dlt645_points:
            from nenghao.gateway.dlt645_reader import Dlt645Reader

            self.readers.append(Dlt645Reader(config.dlt645_links, config.dlt645_points))
        if config.opcua_points:
            from nenghao.gateway.opcua import OpcuaReader

            self.readers.append(
                OpcuaReader(config.opcua_servers, config.opcua_points, config.path.parent)
            )

    def read_all(self) -> dict[str, float | Fault]:
        """Each point's value (or `Fault`), by item code."""
        values: dict[str, float | Fault] = {}
        for reader in self.readers:
            values.update(reader.read_all())
        return values

    def close(self) -> None:
        """Close every connection."""
        for reader in self.readers:
            reader.close()
