"""The upstream adapter interface: how a batch of outbox entries reaches an upstream platform.

The forwarder knows only this interface. An adapter turns entries into the upstream's
protocol and returns when the upstream has acknowledged them all (then they are removed from
the outbox), or raises `DeliveryError` (then they stay, and are sent again after a backoff).
nenghao's own protocol (`nenghao.federation.nenghao_protocol`) is the first implementation;
docs/federation.md explains how to add a provincial format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from nenghao.store.federation import Upstream


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One entry to forward: its id (unique and increasing on this platform), what it
    carries and the payload (names, not ids: see `nenghao.store.outbox`)."""

    id: int
    kind: str
    payload: dict[str, Any]
    records: int


class DeliveryError(Exception):
    """The upstream did not acknowledge a batch; `retry_after_s` when it said when to retry."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


class UpstreamAdapter(Protocol):
    """Delivers batches to one upstream (built per forwarding round from `Upstream`)."""

    def deliver(self, entries: Sequence[OutboxEntry]) -> None:
        """Return once the upstream acknowledged every entry; `DeliveryError` otherwise.

        Entries come in id order and may have been delivered before (the acknowledgement was
        lost): the upstream must apply each at most once, by (member, entry id).
        """
        ...

    def close(self) -> None:
        """Release connections."""
        ...


AdapterFactory = Callable[[Upstream], UpstreamAdapter]
