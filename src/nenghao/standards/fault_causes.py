"""Causes of a reported device fault (故障报备), as enterprises choose them."""

from __future__ import annotations

FAULT_CAUSES: dict[str, tuple[str, str]] = {
    "communication": ("通信中断", "communication outage"),
    "collector": ("采集设备故障", "data-collection device fault"),
    "meter": ("计量器具故障", "metering instrument fault"),
    "shutdown": ("停产检修", "production stopped for maintenance"),
    "other": ("其他", "other"),
}
"""Cause code -> (Chinese name, English name)."""

FAULT_STATUSES: tuple[str, ...] = ("open", "repaired")
"""A fault report is open until the enterprise marks it repaired."""


def cause_code(value: str) -> str | None:
    """The cause code of `value` (a code or its Chinese name), or None when unknown."""
    if value in FAULT_CAUSES:
        return value
    for code, (zh, _en) in FAULT_CAUSES.items():
        if value == zh:
            return code
    return None
