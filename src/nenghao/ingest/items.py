"""The data items of an enterprise as validation sees them (`ItemSpec`), read in one query."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from nenghao.ingest.periods import Period
from nenghao.ingest.validation import ItemSpec, ValueKind
from nenghao.store.schema import data_items


@dataclass(frozen=True, slots=True)
class RegisteredItem:
    """A registered data item: its row id, whether it is filed by hand, and its spec."""

    item_id: int
    manual: bool
    spec: ItemSpec


def registered_items(conn: Connection, enterprise_id: int) -> dict[str, RegisteredItem]:
    """The active data items of `enterprise_id` by code."""
    c = data_items.c
    rows = conn.execute(
        select(
            c.id,
            c.code,
            c.unit,
            c.period,
            c.value_kind,
            c.manual,
            c.allow_negative,
            c.max_value,
            c.register_max,
            c.register_resolution,
        ).where(c.enterprise_id == enterprise_id, c.active.is_(True))
    )
    items: dict[str, RegisteredItem] = {}
    for row in rows:
        period: Period = row.period
        kind: ValueKind = row.value_kind
        spec = ItemSpec(
            code=row.code,
            unit=row.unit,
            period=period,
            value_kind=kind,
            allow_negative=bool(row.allow_negative),
            max_value=row.max_value,
            register_max=row.register_max,
            register_resolution=(
                0.01 if row.register_resolution is None else row.register_resolution
            ),
        )
        items[row.code] = RegisteredItem(row.id, bool(row.manual), spec)
    return items
