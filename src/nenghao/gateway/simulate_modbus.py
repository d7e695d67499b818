"""A Modbus TCP server of simulated energy meters, on pymodbus's own server.

Meter ``i`` (0-based) answers at unit 1, holding and input registers ``2i`` and ``2i+1``: its
active energy as a u32, most significant word first, in counts of `scale` kWh (0.01 kWh by
default). Its energy grows at a steady rate (a few hundred kW, different per meter); the
register wraps to 0 after `raw_max` counts, like a real register at its maximum.

Faults, injected at start (``--fault``) or at run time: ``offline`` (reads that touch the meter
get exception 11, "gateway target device failed to respond", as an RS-485 Modbus gateway
answers), ``frozen`` (the register stops while energy is still used), ``reset`` (the register
restarts from 0). `truth` is the energy the meter has really measured, which tests compare
with what reached the platform.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from nenghao.gateway.clock import Clock
from nenghao.gateway.decoding import encode
from nenghao.gateway.simulated import DEFAULT_RAW_MAX, FAULTS, Meter, MeterBank

UNIT_ID = 1
__all__ = ["DEFAULT_RAW_MAX", "FAULTS", "UNIT_ID", "Meter", "MeterSimulator"]


class MeterSimulator(MeterBank):
    """`points` meters behind one Modbus TCP server."""

    def __init__(self, points: int, clock: Clock, **options: Any) -> None:
        super().__init__(points, clock, **options)
        self._server: ModbusTcpServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def _action(
        self,
        function_code: int,
        start_address: int,
        address: int,
        count: int,
        registers: list[int],
        values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        if values is not None:
            return ExcCodes.ILLEGAL_FUNCTION  # meters are read only
        now = self.clock.now()
        first, last = address // 2, (address + count - 1) // 2
        if any(self.meters[i].offline for i in range(first, last + 1)):
            return ExcCodes.GATEWAY_NO_RESPONSE
        for i in range(first, last + 1):
            raw = self.answer_counts(i, now)
            for k, word in enumerate(encode(raw, "u32", "big", "big")):
                registers[2 * i + k - start_address] = word
        return None

    def device(self) -> SimDevice:
        """The pymodbus device: one block of 2 registers per meter, shared by functions 3
        and 4, filled on each read by the meters' state."""
        block = SimData(0, count=2 * len(self.meters), values=0, datatype=DataType.REGISTERS)
        return SimDevice(UNIT_ID, simdata=[block], action=self._action)

    async def serve(self, host: str, port: int) -> None:
        """Serve until cancelled."""
        self._server = ModbusTcpServer(self.device(), address=(host, port))
        await self._server.serve_forever()

    def start(self, host: str, port: int) -> MeterSimulator:
        """Serve in a background thread (tests, benchmarks); returns once listening."""
        ready = threading.Event()

        async def listen() -> None:
            self._server = ModbusTcpServer(self.device(), address=(host, port))
            await self._server.serve_forever(background=True)

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(listen())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop a server started with `start`."""
        if self._loop is None or self._server is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._server.shutdown(), self._loop)  # type: ignore[no-untyped-call]
        future.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
