"""What ``nenghao gateway status`` shows, read from the queue file (the running gateway keeps
it up to date): queue depth and size against the cap, rejected records with their reasons,
the last read and fault counts per meter, held meters, declared events, clock skew and the
last upload. docs/gateway.md, "Statuses", says what each means.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.queue import Queue
from nenghao.gateway.signing import MAX_SKEW_S, rfc3339


def _when(instant: float | None) -> str | None:
    return rfc3339(instant) if instant is not None else None


def gateway_status(config: GatewayConfig, queue: Queue, rejected_limit: int = 20) -> dict[str, Any]:
    """The status as a JSON-able dict."""
    values = queue.status_values()
    cap = config.gateway.queue_max_mb * 1024 * 1024
    meters = []
    for item, state in sorted(queue.meters().items()):
        meters.append(
            {
                "item": item,
                "meter": state.meter,
                "last_value": state.last_value,
                "last_read_at": _when(state.last_read_at),
                "unchanged_since": _when(state.last_changed_at),
                "held_since": _when(state.held_since),
                "last_error": state.last_error,
                "last_error_at": _when(state.last_error_at),
                "faults": state.faults,
            }
        )
    skew = values.get("clock_skew_s")
    return {
        "queue_depth": queue.depth(),
        "queue_bytes": queue.size_bytes(),
        "queue_cap_bytes": int(cap),
        "queue_warning": bool(values.get("queue_warning", False)),
        "queue_full": bool(values.get("queue_full", False)),
        "skipped_cycles": int(values.get("skipped_cycles", 0)),
        "rejected_count": queue.rejected_count(),
        "rejected": [
            {
                **asdict(q.reading),
                "seq": q.seq,
                "start": rfc3339(q.reading.start),
                "code": code,
                "message": message,
                "rejected_at": _when(when),
            }
            for q, code, message, when in queue.rejected(rejected_limit)
        ],
        "meters": meters,
        "declared_events": queue.events(),
        "clock_skew_s": skew,
        "clock_skew_beyond_tolerance": skew is not None and abs(skew) > MAX_SKEW_S,
        "last_cycle_at": _when(values.get("last_cycle_at")),
        "last_upload_at": _when(values.get("last_upload_at")),
        "last_upload_error": values.get("last_upload_error"),
    }


def render(status: dict[str, Any]) -> list[str]:
    """The status as lines of text."""
    mib = 1024 * 1024
    lines = [
        f"queue: {status['queue_depth']} readings waiting,"
        f" {status['queue_bytes'] / mib:.1f} of {status['queue_cap_bytes'] / mib:.0f} MiB"
        + (" — FULL: meters are not read" if status["queue_full"] else "")
        + (
            " — warning: near the cap"
            if status["queue_warning"] and not status["queue_full"]
            else ""
        ),
        f"last poll: {status['last_cycle_at'] or 'never'};"
        f" last upload: {status['last_upload_at'] or 'never'}",
    ]
    if status["last_upload_error"]:
        lines.append(f"last upload error: {status['last_upload_error']}")
    skew = status["clock_skew_s"]
    if skew is not None:
        note = (
            " — BEYOND the ±300 s window: set the clock (NTP)"
            if status["clock_skew_beyond_tolerance"]
            else ""
        )
        lines.append(f"clock skew (platform − gateway): {skew:+.0f} s{note}")
    lines.append(f"rejected by the platform: {status['rejected_count']}")
    for r in status["rejected"]:
        lines.append(
            f"  #{r['seq']} {r['item']} {r['start']} {r['register']} {r['unit']}:"
            f" {r['code']} {r['message']}"
        )
    for item, event in status["declared_events"].items():
        lines.append(f"declared, waiting for the next reading: {item} {event}")
    lines.append("meters:")
    for m in status["meters"]:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(m["faults"].items())) or "no faults"
        held = f" HELD since {m['held_since']}" if m["held_since"] else ""
        lines.append(
            f"  {m['item']} ({m['meter']}): {m['last_value']} at"
            f" {m['last_read_at']}; {faults}{held}"
        )
        if m["last_error"]:
            lines.append(f"    last error {m['last_error_at']}: {m['last_error']}")
    return lines
