"""Enterprises (重点用能单位): scoped listing and lookup, validated and audited writes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select
from sqlalchemy import update as sql_update

from nenghao.standards import get_catalog
from nenghao.standards.vocabulary import KEY_UNIT_LEVELS
from nenghao.store import audit, outbox
from nenghao.store.common import (
    ConflictError,
    InvalidInputError,
    OutsideScopeError,
    Page,
    now,
    page_of,
)
from nenghao.store.credit_code import validate_credit_code
from nenghao.store.schema import data_items, enterprises
from nenghao.store.scope import Scope

WRITABLE = (
    "credit_code",
    "name",
    "name_en",
    "division_code",
    "industry_code",
    "key_unit_level",
    "address",
    "contact",
    "active",
)
REQUIRED = ("credit_code", "name", "division_code", "industry_code")
DIVISION_PATTERN = r"^[0-9]{6}$"
"""A GB/T 2260 division code: six digits (the catalogue then says whether it exists)."""
INDUSTRY_PATTERN = r"^[0-9A-Z]{1,8}$"
"""A GB/T 4754 code: up to 8 digits or capitals (the catalogue then says whether it exists)."""
_DIVISION = re.compile(DIVISION_PATTERN)
_INDUSTRY = re.compile(INDUSTRY_PATTERN)


def check_division(code: str, field: str = "division_code") -> str:
    """`code` if it is a 6-digit division code known to the catalogue ."""
    if not isinstance(code, str) or not _DIVISION.fullmatch(code):
        raise InvalidInputError(
            f"{field} must be a 6-digit GB/T 2260 code, got {code!r}",
            code="invalid_division",
            details={"field": field},
        )
    if code not in get_catalog().divisions:
        raise InvalidInputError(
            f"{field} {code!r} is not in the division catalogue "
            "(see GET /api/v1/catalog/divisions)",
            code="unknown_division",
            details={"field": field},
        )
    return code


def check_industry(code: str) -> str:
    """`code` if it is an industry class known to the catalogue ."""
    if not isinstance(code, str) or not _INDUSTRY.fullmatch(code):
        raise InvalidInputError(
            f"industry_code must be a GB/T 4754 code of up to 8 digits or capitals, got {code!r}",
            code="invalid_industry",
            details={"field": "industry_code"},
        )
    if code not in get_catalog().industries:
        raise InvalidInputError(
            f"industry_code {code!r} is not in the industry catalogue "
            "(see GET /api/v1/catalog/industries)",
            code="unknown_industry",
            details={"field": "industry_code"},
        )
    return code


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated copies of the writable fields present in `values`."""
    unknown = set(values) - set(WRITABLE)
    if unknown:
        raise InvalidInputError(
            f"unknown enterprise fields: {', '.join(sorted(unknown))}",
            details={"fields": sorted(unknown)},
        )
    clean = dict(values)
    if "credit_code" in clean:
        clean["credit_code"] = validate_credit_code(clean["credit_code"])
    if "name" in clean and not (clean["name"] or "").strip():
        raise InvalidInputError("name must not be empty", details={"field": "name"})
    if "division_code" in clean:
        check_division(clean["division_code"])
    if "industry_code" in clean:
        check_industry(clean["industry_code"])
    if "key_unit_level" in clean and clean["key_unit_level"] not in KEY_UNIT_LEVELS:
        raise InvalidInputError(
            f"key_unit_level must be one of {', '.join(KEY_UNIT_LEVELS)}, "
            f"got {clean['key_unit_level']!r}",
            details={"field": "key_unit_level"},
        )
    return clean


def _ensure_unique_code(conn: Connection, code: str, except_id: int | None = None) -> None:
    query = select(enterprises.c.id).where(enterprises.c.credit_code == code)
    if except_id is not None:
        query = query.where(enterprises.c.id != except_id)
    if conn.execute(query).first() is not None:
        raise ConflictError(
            f"an enterprise with credit code {code} already exists",
            code="duplicate_credit_code",
            details={"field": "credit_code"},
        )


def list_enterprises(
    conn: Connection,
    scope: Scope,
    *,
    division: str | None = None,
    industry: str | None = None,
    q: str | None = None,
    key_unit_level: str | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int | None = 50,
) -> Page:
    """Enterprises in `scope` matching the filters, ordered by id; `q` searches name/code
    (all of them when `limit` is None)."""
    conditions = [scope.enterprise_clause()]
    for column, value in (
        (enterprises.c.division_code, division),
        (enterprises.c.industry_code, industry),
        (enterprises.c.key_unit_level, key_unit_level),
        (enterprises.c.active, active),
    ):
        if value is not None:
            conditions.append(column == value)
    if q:
        conditions.append(
            or_(
                enterprises.c.name.icontains(q, autoescape=True),
                enterprises.c.name_en.icontains(q, autoescape=True),
                enterprises.c.credit_code.icontains(q, autoescape=True),
            )
        )
    query = select(enterprises).where(*conditions).order_by(enterprises.c.id)
    return page_of(conn, query, offset=offset, limit=limit)


def get(conn: Connection, scope: Scope, enterprise_id: int) -> dict[str, Any] | None:
    """The enterprise, or None when it does not exist or lies outside `scope`."""
    row = conn.execute(
        select(enterprises).where(enterprises.c.id == enterprise_id, scope.enterprise_clause())
    ).first()
    return dict(row._mapping) if row else None


def get_by_credit_code(conn: Connection, scope: Scope, code: str) -> dict[str, Any] | None:
    """The enterprise with this credit code in `scope`, or None."""
    row = conn.execute(
        select(enterprises).where(
            enterprises.c.credit_code == code.strip().upper(), scope.enterprise_clause()
        )
    ).first()
    return dict(row._mapping) if row else None


def create(
    conn: Connection,
    scope: Scope,
    values: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Insert a validated enterprise inside `scope` and audit it; returns the stored row."""
    missing = [name for name in REQUIRED if not values.get(name)]
    if missing:
        raise InvalidInputError(
            f"missing required enterprise fields: {', '.join(missing)}",
            details={"fields": missing},
        )
    clean = _clean(values)
    if not scope.admits_division(clean["division_code"]):
        raise OutsideScopeError(
            f"division {clean['division_code']} lies outside your scope",
            details={"field": "division_code"},
        )
    _ensure_unique_code(conn, clean["credit_code"])
    stamp = now()
    result = conn.execute(insert(enterprises).values(**clean, created_at=stamp, updated_at=stamp))
    key = result.inserted_primary_key
    assert key is not None
    row = get(conn, Scope.all(), int(key[0]))
    assert row is not None
    audit.record(conn, actor, "create", "enterprise", row["id"], None, row, remote)
    outbox.enterprise_saved(conn, row)
    return row


def update(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any] | None:
    """Apply validated `changes` to an enterprise in `scope` and audit them; None if unseen."""
    before = get(conn, scope, enterprise_id)
    if before is None:
        return None
    clean = _clean(changes)
    clean = {k: v for k, v in clean.items() if before[k] != v}
    if not clean:
        return before
    if "division_code" in clean and not scope.admits_division(clean["division_code"]):
        raise OutsideScopeError(
            f"division {clean['division_code']} lies outside your scope",
            details={"field": "division_code"},
        )
    if "credit_code" in clean:
        _ensure_unique_code(conn, clean["credit_code"], except_id=enterprise_id)
    conn.execute(
        sql_update(enterprises)
        .where(enterprises.c.id == enterprise_id)
        .values(**clean, updated_at=now())
    )
    after = get(conn, Scope.all(), enterprise_id)
    audit.record(conn, actor, "update", "enterprise", enterprise_id, before, after, remote)
    assert after is not None
    outbox.enterprise_saved(conn, after, before["credit_code"])
    return after


def item_counts(conn: Connection, scope: Scope, enterprise_id: int) -> dict[str, int]:
    """The enterprise's active data items per ``measures`` (energy, product ...), in scope."""
    query = (
        select(data_items.c.measures, func.count())
        .where(
            data_items.c.enterprise_id == enterprise_id,
            data_items.c.active.is_(True),
            scope.enterprise_clause(data_items.c.enterprise_id),
        )
        .group_by(data_items.c.measures)
    )
    return {measures: int(count) for measures, count in conn.execute(query)}
