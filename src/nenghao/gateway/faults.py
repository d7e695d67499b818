"""Why a point has no value this time: one `Fault` per point and read, counted in the status
and never uploaded (every protocol's reader answers with it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fault:
    """Why a point has no value this time: its ``kind`` (docs/gateway.md, Statuses) and a
    message for the operator."""

    kind: str
    message: str
