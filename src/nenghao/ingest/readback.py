"""What a device may read back over the uplink protocol: its enterprise's items that accept
data (item discovery) and the readings stored for them (read-back).

Both are scoped to the enterprise of the signing key (`Sender.enterprise_id`): a device never
sees another enterprise's items or readings. See docs/uplink-protocol.md, section 11.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from nenghao.accounting.units import convert
from nenghao.ingest.item_limits import ValidationLimits, item_bound
from nenghao.ingest.items import items_from_rows
from nenghao.standards.calendar import periods_between
from nenghao.standards.jsonable import iso
from nenghao.store.common import Page, page_of
from nenghao.store.schema import data_items, readings, register_readings

DEFAULT_RESOLUTION = 0.01
"""The register resolution decoding uses when none is registered [item unit]."""
ACCEPTING = ("approved", "changed")
"""The plan states whose items accept data (docs/plans.md)."""

_i = data_items.c
_ITEM_COLUMNS = (
    _i.id,
    _i.code,
    _i.name,
    _i.measures,
    _i.energy_kind,
    _i.product_code,
    _i.usage,
    _i.stage,
    _i.process,
    _i.unit,
    _i.period,
    _i.value_kind,
    _i.manual,
    _i.allow_negative,
    _i.max_value,
    _i.register_max,
    _i.register_resolution,
    _i.approval,
)


def accepting_items(
    conn: Connection,
    enterprise_id: int,
    limits: ValidationLimits,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """The active items of `enterprise_id` that accept data (approved in the collection
    plan, or changed since), by code.

    Each item carries what a device needs to send it: code, kind, unit, period, value kind,
    register maximum and resolution (register items), and ``bound``, the largest absolute
    value of one interval [item unit] (the smaller of the item's own ``max_value`` and its
    dimension's bound, appendix E), None when unbounded.
    """
    query = (
        select(*_ITEM_COLUMNS)
        .where(
            _i.enterprise_id == enterprise_id,
            _i.active.is_(True),
            _i.approval.in_(ACCEPTING),
        )
        .order_by(_i.code)
    )
    return page_of(conn, query, offset=offset, limit=limit, items=lambda rows: _items(rows, limits))


def _items(rows: Sequence[Row[Any]], limits: ValidationLimits) -> list[dict[str, Any]]:
    found = []
    for row in rows:
        item = dict(row._mapping)
        register = item["value_kind"] == "register"
        resolution = item["register_resolution"]
        item["register_resolution"] = (
            (DEFAULT_RESOLUTION if resolution is None else resolution) if register else None
        )
        spec = _spec(item)
        item["bound"] = item_bound(spec, convert, limits)
        found.append(item)
    return found


def _spec(item: dict[str, Any]) -> Any:
    """The validation spec of one item row (as `nenghao.ingest.items` builds it)."""
    row = tuple(
        item[name]
        for name in (
            "id",
            "code",
            "unit",
            "period",
            "value_kind",
            "manual",
            "allow_negative",
            "max_value",
            "register_max",
            "register_resolution",
            "approval",
        )
    )
    return items_from_rows([row])[item["code"]].spec


_r = readings.c
_READING_COLUMNS = (
    _r.item_id,
    _i.code.label("item"),
    _r.period,
    _r.period_start,
    _r.value,
    _i.unit,
    _r.register_value,
    _r.quality,
    _r.source,
    _r.revision,
    _r.received_at,
    _r.flags,
)


def stored_readings(
    conn: Connection,
    enterprise_id: int,
    *,
    lo: int,
    hi: int,
    item: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """The current readings of `enterprise_id` with a period start in ``[lo, hi)`` [Unix s],
    of one item code or all, by item code, period and start.

    Each reading: item, period, start, value [item unit], unit, register_value, quality,
    source (the channel), revision, received_at, and the derived-interval flags as a list
    (``gap_spanned``, ``rollover``, ``replacement``, ``reset``); ``gap_periods`` is the
    number of periods the register interval spans (its value shared over them by time),
    None for a reading that is not ``gap_spanned``.
    """
    query = (
        select(*_READING_COLUMNS)
        .join(data_items, _i.id == _r.item_id)
        .where(_i.enterprise_id == enterprise_id, _r.period_start >= lo, _r.period_start < hi)
        .order_by(_i.code, _r.period, _r.period_start)
    )
    if item is not None:
        query = query.where(_i.code == item)
    return page_of(
        conn, query, offset=offset, limit=limit, items=lambda rows: _readings(conn, rows)
    )


def _readings(conn: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    found = []
    for row in rows:
        reading = dict(row._mapping)
        flags = sorted(reading.pop("flags").split(",")) if reading["flags"] else []
        item_id = reading.pop("item_id")
        reading["flags"] = flags
        reading["gap_periods"] = (
            _gap_periods(conn, item_id, reading["period"], reading["period_start"])
            if "gap_spanned" in flags
            else None
        )
        reading["start"] = iso(reading.pop("period_start"))
        reading["received_at"] = iso(reading["received_at"])
        found.append(reading)
    return found


def _gap_periods(conn: Connection, item_id: int, period: str, start: int) -> int | None:
    """How many periods the register interval holding `start` spans: from the accepted
    reading at or before it to the next one after it (None when either is missing)."""
    g = register_readings.c
    earlier = conn.execute(
        select(g.period_start)
        .where(g.item_id == item_id, g.period_start <= start)
        .order_by(g.period_start.desc())
        .limit(1)
    ).scalar()
    later = conn.execute(
        select(g.period_start)
        .where(g.item_id == item_id, g.period_start > start)
        .order_by(g.period_start)
        .limit(1)
    ).scalar()
    if earlier is None or later is None:
        return None
    return periods_between(period, int(earlier), int(later))
