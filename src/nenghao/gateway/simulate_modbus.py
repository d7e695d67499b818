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
from collections.abc import Iterable
from dataclasses import dataclass, field

from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from nenghao.gateway.clock import Clock
from nenghao.gateway.decoding import encode

FAULTS = ("offline", "frozen", "reset")
DEFAULT_RAW_MAX = 99_999_999
"""u32 counts at which the register wraps: 999 999.99 kWh at 0.01 kWh."""
UNIT_ID = 1


@dataclass
class Meter:
    """One simulated meter: energy [kWh] = `initial` + `rate_kw` × hours since `t0`."""

    rate_kw: float
    initial: float
    t0: float
    offline: bool = False
    frozen_at: float | None = None
    reset_at: float | None = None
    served: list[tuple[float, int, float]] = field(default_factory=list)
    """(instant [Unix s], register counts, true energy [kWh]) of every answered read, when
    logging."""

    def truth(self, t: float) -> float:
        """The energy really used up to `t` [kWh]."""
        return self.initial + self.rate_kw * (t - self.t0) / 3600

    def counted(self, t: float) -> float:
        """The energy the register has counted up to `t` (frozen, reset) [kWh]."""
        if self.frozen_at is not None:
            t = min(t, self.frozen_at)
        if self.reset_at is not None and t >= self.reset_at:
            return self.truth(t) - self.truth(self.reset_at)
        return self.truth(t)


class MeterSimulator:
    """`points` meters behind one Modbus TCP server."""

    def __init__(
        self,
        points: int,
        clock: Clock,
        *,
        raw_max: int = DEFAULT_RAW_MAX,
        scale: float = 0.01,
        log_served: bool = False,
        seed_kwh: float = 1000.0,
        rate_kw: Iterable[float] | None = None,
    ) -> None:
        now = clock.now()
        rates = (
            list(rate_kw)
            if rate_kw is not None
            else [120.0 + 37.0 * (i % 23) for i in range(points)]
        )
        self.meters = [Meter(rates[i], seed_kwh * (1 + i % 100), now) for i in range(points)]
        self.clock = clock
        self.raw_max = raw_max
        self.scale = scale
        self.log_served = log_served
        self._server: ModbusTcpServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def counts(self, index: int, t: float) -> int:
        """Meter `index`'s register [counts of `scale` kWh] at `t`."""
        counted = self.meters[index].counted(t)
        return round(counted / self.scale) % (self.raw_max + 1)

    def inject(self, kind: str, index: int) -> None:
        """Start fault `kind` (``offline``, ``frozen``, ``reset``) on meter `index` now;
        ``online`` ends ``offline``."""
        meter, now = self.meters[index], self.clock.now()
        if kind == "offline":
            meter.offline = True
        elif kind == "online":
            meter.offline = False
        elif kind == "frozen":
            meter.frozen_at = now
        elif kind == "reset":
            meter.reset_at = now
        else:
            raise ValueError(f"unknown fault {kind!r}: one of {', '.join(FAULTS)}, online")

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
            raw = self.counts(i, now)
            if self.log_served:
                self.meters[i].served.append((now, raw, self.meters[i].truth(now)))
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
