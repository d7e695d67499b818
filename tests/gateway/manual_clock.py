"""A clock the gateway tests move by hand."""

from __future__ import annotations


class ManualClock:
    """A clock the test moves by hand [Unix s]."""

    def __init__(self, now: float) -> None:
        self.t = now

    def now(self) -> float:
        return self.t

    def __call__(self) -> float:
        return self.t
