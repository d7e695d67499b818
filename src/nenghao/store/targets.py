"""Dual-control targets (能耗双控 / 碳排放双控) per year: scoped reads, validated audited writes.

A target is identified by ``(year, level, subject)``: level ``city`` (subject: the city's
GB/T 2260 code), ``division`` (subject: the division code) or ``enterprise`` (subject: the
enterprise id). Who sees which targets (decided here, through the caller's Scope):
regulators, admins and auditors all; a district user its division's target and those of
its enterprises; an enterprise user its own target.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, insert, select
from sqlalchemy import update as sql_update

from nenghao.standards.vocabulary import BASES, TARGET_LEVELS
from nenghao.store import audit, enterprises
from nenghao.store.common import (
    InvalidInputError,
    NotFoundError,
    OutsideScopeError,
    Page,
    now,
    page_of,
)
from nenghao.store.schema import targets
from nenghao.store.scope import Scope

ENTERPRISE_SUBJECT = re.compile(r"[1-9][0-9]{0,8}")
"""An enterprise target's subject: the enterprise id in ASCII digits, no sign, no leading zero
(so that one enterprise has one way of being written)."""
INDICATORS = ("total_energy_tce", "energy_intensity", "total_co2_t", "carbon_intensity")
WRITABLE = (*INDICATORS, "basis", "renewable_base_kwh", "note")


def visible(scope: Scope) -> ColumnElement[bool]:
    """Targets a caller with ``scope`` may read."""
    return scope.subject_clause(
        targets.c.enterprise_id,
        targets.c.division_code,
        about_enterprise=targets.c.level == "enterprise",
        about_division=targets.c.level == "division",
    )


def _subject(
    conn: Connection, scope: Scope, level: str, subject: str, city: str
) -> tuple[str | None, int | None]:
    """(division code, enterprise id) of a target subject the caller may write; else raise."""
    if level not in TARGET_LEVELS:
        raise InvalidInputError(
            f"level must be one of {', '.join(TARGET_LEVELS)}, got {level!r}",
            details={"field": "level"},
        )
    if level == "city":
        if subject != city:
            raise InvalidInputError(
                f"the city target's subject is the city code {city}, got {subject!r}",
                details={"field": "subject"},
            )
        if not scope.admits_city():
            raise OutsideScopeError("only city-wide roles may set the city target")
        return None, None
    if level == "division":
        enterprises.check_division(subject, "subject")
        if not scope.admits_division(subject):
            raise OutsideScopeError(f"division {subject} lies outside your scope")
        return subject, None
    if not ENTERPRISE_SUBJECT.fullmatch(subject):
        raise InvalidInputError(
            "an enterprise target's subject is the enterprise id in the digits 0-9 without"
            f" sign or leading zero (e.g. 12), got {subject!r}",
            code="invalid_subject",
            details={"field": "subject"},
        )
    row = enterprises.get(conn, scope, int(subject))
    if row is None:
        raise NotFoundError(f"enterprise {subject} not found", code="enterprise_not_found")
    return row["division_code"], row["id"]


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(WRITABLE)
    if unknown:
        raise InvalidInputError(
            f"unknown target fields: {', '.join(sorted(unknown))}",
            details={"fields": sorted(unknown)},
        )
    clean = dict(values)
    for name in (*INDICATORS, "renewable_base_kwh"):
        value = clean.get(name)
        if value is not None and (not math.isfinite(value) or value < 0):
            raise InvalidInputError(
                f"{name} must be a finite number >= 0, got {value!r}", details={"field": name}
            )
    if "basis" in clean and clean["basis"] not in BASES:
        raise InvalidInputError(
            f"basis must be one of {', '.join(BASES)}, got {clean['basis']!r}",
            details={"field": "basis"},
        )
    return clean


def get(
    conn: Connection, scope: Scope, year: int, level: str, subject: str
) -> dict[str, Any] | None:
    """The target, or None when it does not exist or the caller may not read it."""
    row = conn.execute(
        select(targets).where(
            targets.c.year == year,
            targets.c.level == level,
            targets.c.subject == subject,
            visible(scope),
        )
    ).first()
    return dict(row._mapping) if row else None


def list_targets(
    conn: Connection,
    scope: Scope,
    *,
    year: int | None = None,
    level: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Targets the caller may read, by year, level and subject."""
    query = select(targets).where(visible(scope))
    if year is not None:
        query = query.where(targets.c.year == year)
    if level is not None:
        query = query.where(targets.c.level == level)
    query = query.order_by(targets.c.year, targets.c.level, targets.c.subject, targets.c.id)
    return page_of(conn, query, offset=offset, limit=limit)


def put(
    conn: Connection,
    scope: Scope,
    year: int,
    level: str,
    subject: str,
    values: Mapping[str, Any],
    *,
    city: str,
    actor: str,
    remote: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Create or replace the target ``(year, level, subject)``; audited. Returns (row, created)."""
    division_code, enterprise_id = _subject(conn, scope, level, subject, city)
    clean = _clean(values)
    before = get(conn, Scope.all(), year, level, subject)
    stamp = now()
    if before is None:
        conn.execute(
            insert(targets).values(
                year=year,
                level=level,
                subject=subject,
                division_code=division_code,
                enterprise_id=enterprise_id,
                created_at=stamp,
                updated_at=stamp,
                **clean,
            )
        )
    else:
        replaced = {name: clean.get(name) for name in WRITABLE}
        replaced["basis"] = clean.get("basis", "equivalent")
        conn.execute(
            sql_update(targets)
            .where(targets.c.id == before["id"])
            .values(**replaced, updated_at=stamp)
        )
    after = get(conn, Scope.all(), year, level, subject)
    assert after is not None
    action = "create" if before is None else "update"
    audit.record(conn, actor, action, "target", after["id"], before, after, remote)
    return after, before is None


def remove(
    conn: Connection,
    scope: Scope,
    year: int,
    level: str,
    subject: str,
    *,
    city: str,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any] | None:
    """Delete the target; audited. None when it does not exist or is not visible."""
    before = get(conn, scope, year, level, subject)
    if before is None:
        return None
    _subject(conn, scope, level, subject, city)
    conn.execute(delete(targets).where(targets.c.id == before["id"]))
    audit.record(conn, actor, "delete", "target", before["id"], before, None, remote)
    return before
