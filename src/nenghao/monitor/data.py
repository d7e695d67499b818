"""Reading what the quality rules need from the store: items, series, filings, contacts.

Every query seeks by item id on the readings' primary key (item, period, start), so one
evaluation reads only the window it judges, whatever the size of the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, and_, func, select

from nenghao.monitor.config import STEP_S
from nenghao.standards.calendar import CST_OFFSET_S, DAY_S
from nenghao.standards.vocabulary import DEVICE_CHANNELS
from nenghao.store.schema import data_items, enterprises, readings, rollups, uplink_archive

DECLARED_DROPS = ("replacement", "rollover", "reset")
"""Register flags that declare a drop of the register (not a fault)."""
"""Uplink channels a gateway uses (file imports and manual filings are not device contact)."""


@dataclass(frozen=True)
class Item:
    """A data item as the rules see it."""

    id: int
    enterprise_id: int
    division_code: str
    code: str
    measures: str
    energy_kind: str | None
    product_code: str | None
    usage: str
    boundary: str
    unit: str
    period: str
    value_kind: str
    manual: bool
    allow_negative: bool
    renewable: bool
    created_at: int
    industry_code: str = ""
    calibration_due: date | None = None


def load_items(conn: Connection, enterprise_ids: Sequence[int] | None = None) -> list[Item]:
    """Active items of active enterprises (optionally only `enterprise_ids`), by id."""
    query = (
        select(
            data_items.c.id,
            data_items.c.enterprise_id,
            enterprises.c.division_code,
            data_items.c.code,
            data_items.c.measures,
            data_items.c.energy_kind,
            data_items.c.product_code,
            data_items.c.usage,
            data_items.c.boundary,
            data_items.c.unit,
            data_items.c.period,
            data_items.c.value_kind,
            data_items.c.manual,
            data_items.c.allow_negative,
            data_items.c.renewable,
            data_items.c.created_at,
            enterprises.c.industry_code,
            data_items.c.calibration_due,
        )
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(data_items.c.active.is_(True), enterprises.c.active.is_(True))
        .order_by(data_items.c.id)
    )
    if enterprise_ids is not None:
        query = query.where(data_items.c.enterprise_id.in_(list(enterprise_ids)))
    return [Item(**row._mapping) for row in conn.execute(query)]


@dataclass
class Block:
    """Readings of items sharing a fixed-length period on a regular grid ``[lo, hi)``.

    ``values`` and ``registers`` hold NaN where nothing is stored; ``received`` holds -1
    there. ``declared`` marks readings whose register drop is declared by a flag.
    """

    period: str
    lo: int
    hi: int
    items: list[Item]
    values: np.ndarray
    received: np.ndarray
    registers: np.ndarray
    declared: np.ndarray

    @property
    def step(self) -> int:
        """Period length [s]."""
        return STEP_S[self.period]

    @property
    def starts(self) -> np.ndarray:
        """Period start of each column [Unix s]."""
        return np.arange(self.lo, self.hi, self.step, dtype=np.int64)


def load_block(conn: Connection, items: list[Item], period: str, lo: int, hi: int) -> Block:
    """The readings of `items` (all registered with `period`) with starts in ``[lo, hi)``.

    A reading whose start is off the grid (a misaligned time tag) is not placed in the grid;
    see `misaligned`.
    """
    step = STEP_S[period]
    n, m = len(items), max(0, (hi - lo) // step)
    values = np.full((n, m), np.nan)
    registers = np.full((n, m), np.nan)
    received = np.full((n, m), -1, dtype=np.int64)
    declared = np.zeros((n, m), dtype=bool)
    block = Block(period, lo, lo + m * step, items, values, received, registers, declared)
    if not n or not m:
        return block
    row_of = {item.id: k for k, item in enumerate(items)}
    rows = conn.execute(
        select(
            readings.c.item_id,
            readings.c.period_start,
            readings.c.value,
            readings.c.register_value,
            readings.c.received_at,
            readings.c.flags,
        ).where(
            readings.c.item_id.in_(list(row_of)),
            readings.c.period == period,
            readings.c.period_start >= lo,
            readings.c.period_start < block.hi,
        )
    ).all()
    if not rows:
        return block
    ids, starts, vals, regs, recv, flags = zip(*rows, strict=True)
    r = np.fromiter((row_of[i] for i in ids), dtype=np.int64, count=len(ids))
    offset = np.asarray(starts, dtype=np.int64) - lo
    aligned = offset % step == 0
    c = offset // step
    r, c = r[aligned], c[aligned]
    values[r, c] = np.asarray(vals, dtype=float)[aligned]
    received[r, c] = np.asarray(recv, dtype=np.int64)[aligned]
    reg = np.array([np.nan if x is None else x for x in regs], dtype=float)
    registers[r, c] = reg[aligned]
    marks = np.array(
        [bool(f) and any(tag in f for tag in DECLARED_DROPS) for f in flags], dtype=bool
    )
    declared[r, c] = marks[aligned]
    return block


def misaligned(
    conn: Connection, item_ids: Iterable[int], period: str, lo: int, hi: int
) -> list[tuple[int, int, int]]:
    """(item id, period start, received at) of readings of `period` in ``[lo, hi)`` whose
    start is not a multiple of the period length from the CST day start."""
    step = STEP_S.get(period)
    if step is None:
        return []
    offset = (readings.c.period_start + CST_OFFSET_S) % step
    rows = conn.execute(
        select(readings.c.item_id, readings.c.period_start, readings.c.received_at).where(
            readings.c.item_id.in_(list(item_ids)),
            readings.c.period == period,
            readings.c.period_start >= lo,
            readings.c.period_start < hi,
            offset != 0,
        )
    )
    return [(int(i), int(s), int(r)) for i, s, r in rows]


def load_readings(
    conn: Connection, item_ids: Iterable[int], periods: Sequence[str], lo: int, hi: int
) -> list[tuple[int, str, int, float, int]]:
    """(item id, period, start, value, received at) of readings of `periods` in ``[lo, hi)``."""
    ids = list(item_ids)
    if not ids:
        return []
    rows = conn.execute(
        select(
            readings.c.item_id,
            readings.c.period,
            readings.c.period_start,
            readings.c.value,
            readings.c.received_at,
        ).where(
            readings.c.item_id.in_(ids),
            readings.c.period.in_(list(periods)),
            readings.c.period_start >= lo,
            readings.c.period_start < hi,
        )
    )
    return [(int(i), str(p), int(s), float(v), int(r)) for i, p, s, v, r in rows]


def day_rollups(
    conn: Connection, item_ids: Sequence[int], lo: int, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Day rollups (value, count) of `item_ids` for `days` CST days from `lo`; NaN/0 when
    absent."""
    n = len(item_ids)
    values = np.full((n, days), np.nan)
    counts = np.zeros((n, days), dtype=np.int64)
    if not n or days <= 0:
        return values, counts
    row_of = {item_id: k for k, item_id in enumerate(item_ids)}
    rows = conn.execute(
        select(rollups.c.item_id, rollups.c.period_start, rollups.c.value, rollups.c.count).where(
            rollups.c.item_id.in_(list(item_ids)),
            rollups.c.grain == "day",
            rollups.c.period_start >= lo,
            rollups.c.period_start < lo + days * DAY_S,
        )
    ).all()
    for item_id, start, value, count in rows:
        column = (start - lo) // DAY_S
        values[row_of[item_id], column] = value
        counts[row_of[item_id], column] = count
    return values, counts


def month_rollups(
    conn: Connection, item_ids: Sequence[int], starts: Sequence[int]
) -> dict[tuple[int, int], tuple[float, int]]:
    """Month rollups ``{(item id, month start): (value, count)}``."""
    if not item_ids or not starts:
        return {}
    rows = conn.execute(
        select(rollups.c.item_id, rollups.c.period_start, rollups.c.value, rollups.c.count).where(
            rollups.c.item_id.in_(list(item_ids)),
            rollups.c.grain == "month",
            rollups.c.period_start.in_(list(starts)),
        )
    )
    return {(i, s): (v, c) for i, s, v, c in rows}


def last_contacts(conn: Connection) -> dict[int, int]:
    """Last device contact per enterprise [Unix s]: the newest gateway upload (HTTP, MQTT)
    in the raw archive, or else the newest receipt of an automatically collected reading."""
    archived = dict(
        conn.execute(
            select(uplink_archive.c.enterprise_id, func.max(uplink_archive.c.received_at))
            .where(uplink_archive.c.channel.in_(DEVICE_CHANNELS))
            .group_by(uplink_archive.c.enterprise_id)
        ).all()
    )
    contacts: dict[int, int] = {}
    for item_id, enterprise_id, received in last_receipts(conn, automatic_only=True):
        del item_id
        contacts[enterprise_id] = max(contacts.get(enterprise_id, 0), received)
    for enterprise_id, received in archived.items():
        contacts[enterprise_id] = max(contacts.get(enterprise_id, 0), int(received))
    return contacts


def last_receipts(conn: Connection, automatic_only: bool = False) -> list[tuple[int, int, int]]:
    """(item id, enterprise id, received at) of each active item's latest reading of its
    registered period (one index seek per item)."""
    newest = (
        select(func.max(readings.c.period_start))
        .where(readings.c.item_id == data_items.c.id, readings.c.period == data_items.c.period)
        .scalar_subquery()
    )
    latest = select(
        data_items.c.id, data_items.c.enterprise_id, data_items.c.period, newest.label("start")
    ).where(data_items.c.active.is_(True))
    if automatic_only:
        latest = latest.where(data_items.c.manual.is_(False))
    sub = latest.subquery()
    rows = conn.execute(
        select(sub.c.id, sub.c.enterprise_id, readings.c.received_at).join(
            readings,
            and_(
                readings.c.item_id == sub.c.id,
                readings.c.period == sub.c.period,
                readings.c.period_start == sub.c.start,
            ),
        )
    )
    return [(int(i), int(e), int(r)) for i, e, r in rows]


def last_starts(conn: Connection) -> dict[int, int]:
    """Start of each active automatic item's latest reading of its registered period."""
    newest = (
        select(func.max(readings.c.period_start))
        .where(readings.c.item_id == data_items.c.id, readings.c.period == data_items.c.period)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(data_items.c.id, newest).where(
            data_items.c.active.is_(True), data_items.c.manual.is_(False)
        )
    )
    return {int(i): int(s) for i, s in rows if s is not None}
