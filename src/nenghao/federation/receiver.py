"""The receiving side: a member platform's batch applied here, each entry exactly once.

`apply_batch` runs in one transaction with the batch's signature nonce: each entry is first
recorded in ``federation_applied`` (member, entry id); an entry recorded already (a batch sent
again after a lost acknowledgement) changes nothing. A member writes only enterprises in its
divisions: an entry outside them refuses the whole batch (403
``federation_outside_divisions``), as does an entry this platform cannot apply (422), so the
member's forwarding stops at it and shows the error until it is resolved.

Members' enterprises become this platform's own: the register rows and data items are written
through the same repositories, the readings through the same writer (with revisions and
rollups), so statistics by division include them, and a platform that itself forwards
upstream (a province to the nation) queues them again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from nenghao.ingest.writer import Entry, remove_rows, stored_readings, write_entries
from nenghao.store import enterprises as enterprise_store
from nenghao.store import outbox
from nenghao.store.common import InvalidInputError, OutsideScopeError, now
from nenghao.store.federation import covers
from nenghao.store.schema import data_items
from nenghao.store.schema_federation import (
    federation_applied,
    federation_members,
    federation_months,
)
from nenghao.store.scope import Scope

ITEM_COLUMNS = frozenset(c.name for c in data_items.c) - outbox.ITEM_SKIPPED


@dataclass(frozen=True, slots=True)
class Applied:
    """What a batch did: entries applied now, and entries applied before (sent again)."""

    applied: int
    repeated: int


def apply_batch(
    conn: Connection, member: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]
) -> Applied:
    """Apply `entries` (``id``, ``kind``, ``payload``) of `member` in `conn`'s transaction."""
    fresh = _first_times(conn, member["id"], [entry["id"] for entry in entries])
    context = Context(member, f"federation:{member['name']}")
    for entry in entries:
        if entry["id"] not in fresh:
            continue
        try:
            APPLY[entry["kind"]](conn, context, entry["payload"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InvalidInputError(
                f"entries[id={entry['id']}]: a {entry['kind']} entry of another shape"
                f" ({exc.__class__.__name__}: {exc})",
                code="federation_bad_entry",
                details={"entry": entry["id"]},
            ) from None
        except (InvalidInputError, OutsideScopeError) as exc:
            exc.details = {**(exc.details or {}), "entry": entry["id"]}
            raise
    conn.execute(
        update(federation_members)
        .where(federation_members.c.id == member["id"])
        .values(
            last_batch_at=now(),
            applied_entries=federation_members.c.applied_entries + len(fresh),
        )
    )
    return Applied(len(fresh), len(entries) - len(fresh))


@dataclass
class Context:
    """A batch's member, its audit actor, and the enterprises and items it read (by credit
    code; forgotten when an entry changes them)."""

    member: Mapping[str, Any]
    actor: str
    known: dict[str, tuple[dict[str, Any], dict[str, tuple[int, str]]]] = field(
        default_factory=dict
    )


CHUNK = 500
"""Entry ids recorded per statement."""


def _first_times(conn: Connection, member_id: int, entry_ids: Sequence[int]) -> set[int]:
    """Record the entries as applied; the ids not recorded before."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    fresh: set[int] = set()
    stamp = now()
    for lo in range(0, len(entry_ids), CHUNK):
        rows = [
            {"member_id": member_id, "entry_id": entry_id, "applied_at": stamp}
            for entry_id in entry_ids[lo : lo + CHUNK]
        ]
        statement = (
            dialect.insert(federation_applied)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(federation_applied.c.entry_id)
        )
        fresh.update(conn.execute(statement).scalars())
    return fresh


def _outside(member: Mapping[str, Any], division_code: str, credit_code: str) -> None:
    if not covers(member["divisions"], division_code):
        raise OutsideScopeError(
            f"enterprise {credit_code} lies in division {division_code}, outside the"
            f" member's divisions {', '.join(member['divisions'])}",
            code="federation_outside_divisions",
            details={"field": "division_code"},
        )


def _enterprise(
    conn: Connection, context: Context, credit_code: str
) -> tuple[dict[str, Any], dict[str, tuple[int, str]]]:
    """The enterprise (in the member's divisions) and its items (code: id, period)."""
    known = context.known.get(credit_code)
    if known is not None:
        return known
    row = enterprise_store.get_by_credit_code(conn, Scope.all(), credit_code)
    if row is None:
        raise InvalidInputError(
            f"enterprise {credit_code} is not registered here (its register entry comes first)",
            code="federation_unknown_enterprise",
            details={"field": "credit_code"},
        )
    _outside(context.member, row["division_code"], credit_code)
    known = context.known[credit_code] = (row, _items(conn, row["id"]))
    return known


def apply_enterprise(conn: Connection, context: Context, payload: Mapping[str, Any]) -> None:
    """Create or change the enterprise's register row."""
    member, actor = context.member, context.actor
    context.known.clear()
    values = {k: v for k, v in payload["enterprise"].items() if k in outbox.ENTERPRISE_FIELDS}
    _outside(member, values["division_code"], values["credit_code"])
    former = payload["enterprise"].get("former_credit_code") or values["credit_code"]
    row = enterprise_store.get_by_credit_code(conn, Scope.all(), former)
    if row is None:
        enterprise_store.create(conn, Scope.all(), values, actor=actor)
        return
    _outside(member, row["division_code"], row["credit_code"])
    enterprise_store.update(conn, Scope.all(), row["id"], values, actor=actor)


def apply_item(conn: Connection, context: Context, payload: Mapping[str, Any]) -> None:
    """Create or change the data item (as the member holds it, approval included)."""
    enterprise, _ = _enterprise(conn, context, payload["credit_code"])
    context.known.pop(payload["credit_code"])
    item = payload["item"]
    values = {k: v for k, v in item.items() if k in ITEM_COLUMNS}
    if isinstance(values.get("calibration_due"), str):
        values["calibration_due"] = date.fromisoformat(values["calibration_due"])
    former = item.get("former_code") or values["code"]
    found = conn.execute(
        select(data_items.c.id).where(
            data_items.c.enterprise_id == enterprise["id"], data_items.c.code == former
        )
    ).scalar_one_or_none()
    if found is None:
        result = conn.execute(
            insert(data_items).values(**values, enterprise_id=enterprise["id"], created_at=now())
        )
        found = int(result.inserted_primary_key[0])  # type: ignore[index]
    else:
        conn.execute(update(data_items).where(data_items.c.id == found).values(**values))
    row = conn.execute(select(data_items).where(data_items.c.id == found)).one()
    outbox.item_saved(conn, dict(row._mapping), former)


def _items(conn: Connection, enterprise_id: int) -> dict[str, tuple[int, str]]:
    rows = conn.execute(
        select(data_items.c.code, data_items.c.id, data_items.c.period).where(
            data_items.c.enterprise_id == enterprise_id
        )
    )
    return {code: (item_id, period) for code, item_id, period in rows}


def _item_id(items: Mapping[str, tuple[int, str]], code: str, credit_code: str) -> int:
    found = items.get(code)
    if found is None:
        raise InvalidInputError(
            f"enterprise {credit_code} has no item {code!r} here (its item entry comes first)",
            code="federation_unknown_item",
            details={"field": "item"},
        )
    return found[0]


def apply_readings(conn: Connection, context: Context, payload: Mapping[str, Any]) -> None:
    """Write the readings (new values and revisions) and remove the removed ones."""
    credit_code = payload["credit_code"]
    _, items = _enterprise(conn, context, credit_code)
    rolled = dict(items.values())
    groups: dict[tuple[str, int], list[Entry]] = defaultdict(list)
    for tag, row in enumerate(payload["readings"]):
        code, period, start, value, register_value, quality, source, _rev, received, flags = row
        item_id = _item_id(items, code, credit_code)
        entry: Entry = (
            tag,
            item_id,
            period,
            int(start),
            float(value),
            quality,
            register_value,
            flags,
        )
        groups[(source, int(received))].append(entry)
    for (source, received), entries in groups.items():
        write_entries(conn, entries, source=source, received_at=received, rolled_periods=rolled)
    slots = [
        (_item_id(items, code, credit_code), period, int(start))
        for code, period, start in payload["removed"]
    ]
    if slots:
        stored = list(stored_readings(conn, slots).values())
        remove_rows(conn, stored, at=now(), rolled_periods=rolled)


def apply_month(conn: Connection, context: Context, payload: Mapping[str, Any]) -> None:
    """Keep the member's aggregates of a closed month (to compare with the rollups here)."""
    enterprise, _ = _enterprise(conn, context, payload["credit_code"])
    member = context.member
    month = int(payload["month"])
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for code, value, count in payload["items"]:
        values = {
            "enterprise_id": enterprise["id"],
            "item_code": code,
            "month_start": month,
            "member_id": member["id"],
            "value": float(value),
            "count": int(count),
            "received_at": now(),
        }
        statement = dialect.insert(federation_months).values(**values)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["enterprise_id", "item_code", "month_start"],
                set_={
                    k: statement.excluded[k] for k in ("member_id", "value", "count", "received_at")
                },
            )
        )


APPLY = {
    "enterprise": apply_enterprise,
    "item": apply_item,
    "readings": apply_readings,
    "month": apply_month,
}
