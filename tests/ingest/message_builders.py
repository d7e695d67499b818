"""Builders of uplink messages shared by the ingest tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nenghao.store.credit_code import make_credit_code

CREDIT_CODE = make_credit_code("210300", "MA0XY1234")

BodyFactory = Callable[..., dict[str, Any]]


def record(**overrides: Any) -> dict[str, Any]:
    """A valid hourly interval record, with overrides (None removes a field)."""
    base: dict[str, Any] = {
        "item": "E01",
        "period": "hour",
        "start": "2024-05-01T09:00:00+08:00",
        "value": 123.5,
        "unit": "kWh",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def message(*records: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A valid message holding `records` (one default record when none given)."""
    base: dict[str, Any] = {
        "protocol": "nenghao-uplink/1",
        "credit_code": CREDIT_CODE,
        "device_id": "gw-01",
        "sent_at": "2024-05-01T10:20:00+08:00",
        "message_id": "0b6c1f0e-msg-1",
        "records": list(records) or [record()],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)
