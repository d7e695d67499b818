"""The data items of an enterprise as validation sees them (`ItemSpec`), read in one query."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, select

from nenghao.ingest.item_limits import ItemSpec
from nenghao.store.schema import data_items


@dataclass(frozen=True, slots=True)
class RegisteredItem:
    """A registered data item: its row id, whether it is filed by hand, and its spec."""

    item_id: int
    manual: bool
    spec: ItemSpec


RegistryRow = tuple[Any, ...]
"""One active item's row of the register as `item_rows` reads it: plain values, comparable
and hashable (a plan compares them, and each distinct row is built into a `RegisteredItem`
once)."""


def registered_items(conn: Connection, enterprise_id: int) -> dict[str, RegisteredItem]:
    """The active data items of `enterprise_id` by code."""
    return items_from_rows(item_rows(conn, enterprise_id))


def item_rows(conn: Connection, enterprise_id: int) -> list[RegistryRow]:
    """The active data items of `enterprise_id` as plain rows (one query), in id order."""
    return [tuple(row) for row in conn.execute(_ITEMS, {"enterprise": enterprise_id})]


def items_from_rows(rows: list[RegistryRow]) -> dict[str, RegisteredItem]:
    """`registered_items` from `item_rows` (each distinct row is built once per process)."""
    return {row[1]: _item(row) for row in rows}


_c = data_items.c
_ITEMS = (
    select(
        _c.id,
        _c.code,
        _c.unit,
        _c.period,
        _c.value_kind,
        _c.manual,
        _c.allow_negative,
        _c.max_value,
        _c.register_max,
        _c.register_resolution,
        _c.approval,
    )
    .where(_c.enterprise_id == bindparam("enterprise"), _c.active.is_(True))
    .order_by(_c.id)
)


@lru_cache(maxsize=65536)
def _item(row: RegistryRow) -> RegisteredItem:
    (
        item_id,
        code,
        unit,
        period,
        kind,
        manual,
        negative,
        max_value,
        reg_max,
        resolution,
        approval,
    ) = row
    spec = ItemSpec(
        code=code,
        unit=unit,
        period=period,
        value_kind=kind,
        allow_negative=bool(negative),
        max_value=max_value,
        register_max=reg_max,
        register_resolution=0.01 if resolution is None else resolution,
        approved=approval != "draft",
    )
    return RegisteredItem(item_id, bool(manual), spec)
