"""Two platforms for the federation tests: a city (Anshan) that forwards and a province
(Liaoning) that receives, with the city's enterprise, items and signed uplink messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.standards.calendar import CST
from nenghao.store import enterprises, federation, items
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import data_items, readings, rollups
from nenghao.store.scope import Scope

CITY_MASTER = b"city-master-key-of-32-bytes-long"
PROVINCE_MASTER = b"prov-master-key-of-32-bytes-long"
CREDIT_CODE = make_credit_code("210302", "MA0FEDER1")
HOUR0 = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)  # 08:00 CST
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def register(conn: Connection, division: str = "210302", org: str = "MA0FEDER1") -> int:
    """An enterprise with an hourly electricity item, created through the repositories (so
    that they queue it when forwarding); its id."""
    row = enterprises.create(
        conn,
        Scope.all(),
        {
            "credit_code": make_credit_code(division, org),
            "name": "鞍山联邦测试钢铁有限公司",
            "division_code": division,
            "industry_code": "3110",
        },
        actor="test",
    )
    items.create(
        conn,
        Scope.all(),
        row["id"],
        {
            "code": "ent.electricity",
            "name": "全厂电力消耗",
            "measures": "energy",
            "energy_kind": "electricity",
            "usage": "consumption",
            "unit": "kWh",
            "period": "hour",
        },
        actor="test",
        approved=True,
    )
    return int(row["id"])


def message(
    hours: range,
    value: float,
    credit_code: str = CREDIT_CODE,
    key: str = "k",
    hour0: datetime = HOUR0,
    sent_at: datetime = NOW,
) -> bytes:
    """An uplink message of ent.electricity for `hours` after `hour0`, each `value` kWh."""
    records = [
        {
            "item": "ent.electricity",
            "period": "hour",
            "start": (hour0 + timedelta(hours=n)).astimezone(CST).isoformat(),
            "value": value,
            "unit": "kWh",
        }
        for n in hours
    ]
    document = {
        "protocol": "nenghao-uplink/1",
        "credit_code": credit_code,
        "device_id": key,
        "sent_at": sent_at.isoformat(),
        "message_id": f"m-{hours.start}-{value}",
        "records": records,
    }
    return json.dumps(document).encode()


def upload(service: UplinkService, enterprise_id: int, body: bytes) -> None:
    """Store `body` as the enterprise's device would (signature checked elsewhere)."""
    sender = Sender(enterprise_id, CREDIT_CODE, "http", "k")
    service.ingest(body, sender=sender, now=NOW)


def series(engine: Engine, credit_code: str = CREDIT_CODE) -> dict[tuple[str, int], Any]:
    """The current readings of the enterprise's items, by (item code, start): the value (and
    the revision, with `revisions`)."""
    return {key: value for key, (value, _revision) in revisions(engine, credit_code).items()}


def revisions(engine: Engine, credit_code: str = CREDIT_CODE) -> dict[tuple[str, int], Any]:
    """The current readings as (value, revision), by (item code, start)."""
    from nenghao.store.schema import enterprises as table

    query = (
        select(data_items.c.code, readings.c.period_start, readings.c.value, readings.c.revision)
        .join(data_items, data_items.c.id == readings.c.item_id)
        .join(table, table.c.id == data_items.c.enterprise_id)
        .where(table.c.credit_code == credit_code)
    )
    with engine.connect() as conn:
        return {(code, start): (value, rev) for code, start, value, rev in conn.execute(query)}


def day_total(engine: Engine) -> float | None:
    """The day rollups' sum (what the statistics read)."""
    with engine.connect() as conn:
        return conn.execute(
            select(func.sum(rollups.c.value)).where(rollups.c.grain == "day")
        ).scalar_one()


def make_member(engine: Engine, divisions: list[str], name: str = "鞍山市") -> tuple[str, str]:
    """Register the city as a member of the province; its key id and secret."""
    with engine.begin() as conn:
        row, secret = federation.add_member(
            conn, name, divisions, master_key=PROVINCE_MASTER, actor="test"
        )
    return row["key_id"], secret


def point_upstream(engine: Engine, url: str, key_id: str, secret: str) -> None:
    """Configure the city to forward to `url` with the member credential."""
    with engine.begin() as conn:
        federation.set_upstream(
            conn,
            url=url,
            adapter="nenghao",
            key_id=key_id,
            secret=secret,
            master_key=CITY_MASTER,
            actor="test",
        )


def as_sent(payload: Any) -> Any:
    """`payload` through JSON (what the wire carries)."""
    return json.loads(json.dumps(payload))
