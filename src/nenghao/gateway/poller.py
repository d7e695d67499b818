"""The cadence: read every point at each cadence boundary and queue the period-start readings.

Boundaries are multiples of the cadence in CST (a cadence divides the hour, and CST is a whole
number of hours from UTC, so UTC multiples are CST ones). A reading taken at the start of its
item's period is queued as a ``register`` record tagged with that start (protocol §3, §4); the
reads in between only keep the meter's state (and find faults sooner). Cumulative meters only:
the platform derives the intervals from consecutive readings.

Checks before a value is queued (each counted in the meter's ``faults``, never uploaded):
the `modbus.Fault` kinds, and ``backwards`` — a value below the last one that is not a rollover
at the item's ``register_max`` (forward distance across the wrap at most half the modulus,
protocol §4.3) and not explained by a declared replacement or reset. A backwards meter is
*held*: its readings wait until the operator declares the event (``nenghao gateway
declare-reset|declare-replacement``), which the next queued reading then carries as its
``register_event``.

Disk cap: when the queue file reaches ``queue_max_mb`` the poller stops reading (the meters'
registers keep counting, so the energy is read later, spread over the gap by the platform);
above ``queue_warn_fraction`` of it the status warns.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
from collections.abc import Callable

from nenghao.gateway.clock import Clock
from nenghao.gateway.config import GatewayConfig, ItemSpec
from nenghao.gateway.faults import Fault
from nenghao.gateway.queue import MeterState, Queue, Reading
from nenghao.standards.calendar import period_start

log = logging.getLogger("nenghao.gateway.poller")
ReadAll = Callable[[], dict[str, float | Fault]]


def is_rollover(item: ItemSpec, last: float, value: float) -> bool:
    """Whether a drop from `last` to `value` is the register wrapping at its maximum."""
    if item.register_max is None or value > item.register_max:
        return False
    modulus = item.register_max + item.resolution
    return modulus - last + value <= modulus / 2


class Poller:
    """Reads the points on the cadence and queues their period-start readings."""

    def __init__(
        self, config: GatewayConfig, queue: Queue, read_all: ReadAll, clock: Clock
    ) -> None:
        self.config = config
        self.queue = queue
        self.read_all = read_all
        self.clock = clock
        self.step = config.gateway.cadence_min * 60
        self.cap = config.gateway.queue_max_mb * 1024 * 1024
        self.states = queue.meters()

    def next_boundary(self, after: float) -> int:
        """The first cadence boundary strictly after `after` [Unix s]."""
        return (math.floor(after) // self.step + 1) * self.step

    def disk_ok(self) -> bool:
        """Whether the queue is below its cap (warning above the threshold)."""
        size = self.queue.size_bytes()
        full = size >= self.cap
        warning = size >= self.cap * self.config.gateway.queue_warn_fraction
        if full:
            log.error(
                "the queue holds %d bytes, its cap: meters are not read until uploads"
                " free space (nothing is dropped)",
                size,
            )
        elif warning:
            log.warning("the queue holds %d bytes, %.0f %% of its cap", size, 100 * size / self.cap)
        self.queue.put_status(queue_bytes=size, queue_warning=warning, queue_full=full)
        return not full

    def cycle(self, at: int) -> int:
        """Read every point at the boundary `at` [Unix s]; how many readings were queued."""
        if not self.disk_ok():
            skipped = self.queue.status_values().get("skipped_cycles", 0) + 1
            self.queue.put_status(skipped_cycles=skipped)
            return 0
        values = self.read_all()
        read_at = self.clock.now()
        events = self.queue.events()
        queued = 0
        with self.queue.transaction() as conn:
            for point in self.config.all_points:
                item = self.config.items[point.item]
                state = self.states.get(point.item) or MeterState(
                    point.item, point.name, None, None, None, None, None, None, None, {}
                )
                value = values.get(point.item, Fault("timeout", "not read"))
                new, reading = self._judge(item, state, value, at, read_at, events.get(point.item))
                if reading is not None:
                    self.queue.add(conn, reading)
                    if reading.event is not None:
                        self.queue.consume_event(conn, point.item)
                    queued += 1
                self.queue.save_meter(conn, new)
                self.states[point.item] = new
        self.queue.put_status(last_cycle_at=at, last_cycle_done_at=self.clock.now())
        return queued

    def _judge(
        self,
        item: ItemSpec,
        state: MeterState,
        value: float | Fault,
        at: int,
        read_at: float,
        event: dict[str, object] | None,
    ) -> tuple[MeterState, Reading | None]:
        if isinstance(value, Fault):
            return self._fault(state, value.kind, value.message, read_at), None
        last = state.last_value
        if (
            event is None
            and last is not None
            and value < last
            and not is_rollover(item, last, value)
        ):
            held = state.held_since or read_at
            message = (
                f"register went backwards from {last} to {value} {item.unit}:"
                " declare a reset or replacement"
            )
            return dataclasses.replace(
                self._fault(state, "backwards", message, read_at), held_since=held
            ), None
        changed = state.last_changed_at if value == last else read_at
        new = dataclasses.replace(
            state, last_value=value, last_read_at=read_at, last_changed_at=changed, held_since=None
        )
        start = period_start(item.period, at)
        if start != at or (state.last_start is not None and start <= state.last_start):
            return new, None
        reading = Reading(
            item.code, item.period, start, value, item.unit, read_at, event if event else None
        )
        return dataclasses.replace(new, last_start=start), reading

    @staticmethod
    def _fault(state: MeterState, kind: str, message: str, when: float) -> MeterState:
        faults = dict(state.faults)
        faults[kind] = faults.get(kind, 0) + 1
        return dataclasses.replace(
            state, faults=faults, last_error=f"{kind}: {message}", last_error_at=when
        )

    def run(self, stop: threading.Event) -> None:
        """Poll at every boundary until `stop` is set (a late cycle skips missed boundaries)."""
        boundary = self.next_boundary(self.clock.now())
        while not self.clock.wait_until(boundary, stop):
            try:
                self.cycle(boundary)
            except Exception:  # a cycle's failure must not end the gateway
                log.exception("poll cycle at %d failed", boundary)
            boundary = self.next_boundary(max(boundary, self.clock.now()))
