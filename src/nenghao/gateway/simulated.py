"""Simulated energy meters shared by the Modbus, DL/T 645 and OPC UA simulators.

Meter ``i`` (0-based) starts at `seed_kwh` × (1 + i mod 100) kWh and grows at a steady rate (a
few hundred kW, different per meter); its register counts `scale` kWh and wraps to 0 after
`raw_max` counts, like a real register at its maximum. Faults, injected at start or at run
time: ``offline`` (the meter does not answer; each protocol says so its own way), ``frozen``
(the register stops while energy is still used), ``reset`` (the register restarts from 0).
`Meter.truth` is the energy really measured, which tests compare with what reached the
platform; with `log_served` every answered read is kept in `Meter.served`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from nenghao.gateway.clock import Clock

FAULTS = ("offline", "frozen", "reset")
DEFAULT_RAW_MAX = 99_999_999
"""Register counts at which it wraps: 999 999.99 kWh at 0.01 kWh (a XXXXXX.XX register)."""


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


class MeterBank:
    """`points` simulated meters on one clock."""

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

    def counts(self, index: int, t: float) -> int:
        """Meter `index`'s register [counts of `scale` kWh] at `t`."""
        counted = self.meters[index].counted(t)
        return round(counted / self.scale) % (self.raw_max + 1)

    def answer_counts(self, index: int, t: float) -> int:
        """The register for an answered read at `t`, logged when logging."""
        raw = self.counts(index, t)
        if self.log_served:
            self.meters[index].served.append((t, raw, self.meters[index].truth(t)))
        return raw

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
