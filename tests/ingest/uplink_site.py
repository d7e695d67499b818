"""A small registered site for the ingest-service tests: one enterprise, items, a device."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from nenghao.ingest.sender import Sender, UplinkLimits
from nenghao.ingest.service import UplinkService
from nenghao.store import devices
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import data_items, enterprises
from nenghao.store.scope import Scope

MASTER = b"test-master-key-of-32-bytes-long"
NOW = datetime(2024, 5, 1, 2, 20, tzinfo=UTC)  # 10:20 CST
HOUR0 = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)  # 08:00 CST
ITEMS: dict[str, dict[str, Any]] = {
    "E01": {"unit": "kWh", "period": "hour", "measures": "energy", "usage": "consumption"},
    "Q01": {"unit": "kWh", "period": "15min", "measures": "energy", "usage": "consumption"},
    "M01": {
        "unit": "kWh",
        "period": "hour",
        "value_kind": "register",
        "register_max": 99999.99,
        "measures": "energy",
        "usage": "consumption",
    },
    "S01": {
        "unit": "t",
        "period": "month",
        "manual": True,
        "measures": "product",
        "usage": "production",
    },
    "N01": {
        "unit": "kWh",
        "period": "hour",
        "allow_negative": True,
        "max_value": 5000.0,
        "measures": "energy",
        "usage": "consumption",
    },
}


@dataclass
class Site:
    enterprise_id: int
    other_id: int
    credit_code: str
    other_code: str
    item_ids: dict[str, int]
    key_id: str
    secret: str
    uplink: UplinkService

    @property
    def sender(self) -> Sender:
        return Sender(self.enterprise_id, self.credit_code, "http", self.key_id)


def service(engine: Engine, limits: UplinkLimits | None = None) -> UplinkService:
    """An uplink service on `engine` with the site's master key."""
    return UplinkService(engine, master_key=MASTER, limits=limits)


def make_site(engine: Engine) -> Site:
    with engine.begin() as conn:
        ids = []
        for label, division in (("A", "210302"), ("B", "210381")):
            ids.append(
                conn.execute(
                    insert(enterprises).values(
                        credit_code=make_credit_code(division, f"MA0UPLNK{label}"),
                        name=f"企业{label}",
                        division_code=division,
                        industry_code="3110",
                        created_at=0,
                        updated_at=0,
                    )
                ).inserted_primary_key[0]
            )
        item_ids = {}
        for code, spec in ITEMS.items():
            item_ids[code] = conn.execute(
                insert(data_items).values(
                    enterprise_id=ids[0], code=code, name=code, created_at=0, **spec
                )
            ).inserted_primary_key[0]
        row, secret = devices.issue(conn, Scope.all(), ids[0], master_key=MASTER, actor="t")
    return Site(
        ids[0],
        ids[1],
        make_credit_code("210302", "MA0UPLNKA"),
        make_credit_code("210381", "MA0UPLNKB"),
        item_ids,
        row["key_id"],
        secret,
        service(engine),
    )


def hour(n: int) -> str:
    """The start of hour `n` after 08:00 CST on 2024-05-01, as RFC 3339 in CST."""
    return (HOUR0 + timedelta(hours=n)).astimezone(_CST).isoformat()


_CST = __import__("nenghao.standards.calendar", fromlist=["CST"]).CST


def rec(item: str = "E01", n: int = 0, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"item": item, "period": "hour", "start": hour(n), "unit": "kWh"}
    if "register" not in fields:
        base["value"] = 10.0
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def body(site: Site, *records: dict[str, Any], **overrides: Any) -> bytes:
    message = {
        "protocol": "nenghao-uplink/1",
        "credit_code": site.credit_code,
        "device_id": site.key_id,
        "sent_at": NOW.isoformat(),
        "message_id": "m-1",
        "records": list(records),
    }
    message.update(overrides)
    return json.dumps(message).encode()
