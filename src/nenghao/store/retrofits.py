"""Repository of retrofit projects (节能改造项目) and their non-routine adjustments.

The rules a project's fields must meet (periods, items, variables) are checked by
`nenghao.retrofits.register` before these functions write; every write is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Select, insert, select

from nenghao.store import audit, common
from nenghao.store.common import NotFoundError
from nenghao.store.schema import enterprises
from nenghao.store.schema_retrofits import retrofit_adjustments, retrofits
from nenghao.store.scope import Scope

_r = retrofits.c
FIELDS = (
    "name",
    "mv_option",
    "granularity",
    "energy_items",
    "variables",
    "baseline_from",
    "baseline_to",
    "installation_from",
    "installation_to",
    "reporting_from",
    "reporting_to",
    "claimed_saving_tce",
    "investment_wan",
    "measures",
    "flag_ratio",
    "note",
)
"""The fields a caller gives (the rest are bookkeeping)."""
ADJUSTMENT_FIELDS = ("month", "kind", "amount_tce", "reason")


def _query(scope: Scope) -> Select[Any]:
    return (
        select(
            *retrofits.c,
            enterprises.c.name.label("enterprise_name"),
            enterprises.c.division_code,
            enterprises.c.industry_code,
        )
        .join(enterprises, enterprises.c.id == _r.enterprise_id)
        .where(scope.enterprise_clause(_r.enterprise_id))
    )


def not_found(retrofit_id: int) -> NotFoundError:
    """The refusal of a retrofit that does not exist or lies outside the scope."""
    return NotFoundError(
        f"retrofit project {retrofit_id} not found",
        code="retrofit_not_found",
        zh=f"节能改造项目 {retrofit_id} 不存在，或不在您的数据范围内",
    )


def get(conn: Connection, scope: Scope, retrofit_id: int) -> dict[str, Any]:
    """The retrofit in ``scope`` with its enterprise's name, division and industry."""
    row = conn.execute(_query(scope).where(_r.id == retrofit_id)).first()
    if row is None:
        raise not_found(retrofit_id)
    return dict(row._mapping)


def listing(
    conn: Connection, scope: Scope, *, enterprise_id: int | None = None
) -> list[dict[str, Any]]:
    """Every retrofit in ``scope`` (optionally of one enterprise), by division, enterprise
    and name."""
    query = _query(scope)
    if enterprise_id is not None:
        query = query.where(_r.enterprise_id == enterprise_id)
    query = query.order_by(enterprises.c.division_code, enterprises.c.name, _r.name, _r.id)
    return [dict(row._mapping) for row in conn.execute(query)]


def name_taken(conn: Connection, enterprise_id: int, name: str) -> bool:
    """True when the enterprise already has a retrofit of this name."""
    query = select(_r.id).where(_r.enterprise_id == enterprise_id, _r.name == name)
    return conn.execute(query).first() is not None


def create(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    fields: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Insert a checked retrofit of an enterprise; audited."""
    values = {key: fields[key] for key in FIELDS if key in fields}
    stamped = dict(values, enterprise_id=enterprise_id, created_by=actor[:64])
    stamped["created_at"] = stamped["updated_at"] = common.now()
    new_id = conn.execute(insert(retrofits).values(stamped).returning(_r.id)).scalar_one()
    row = get(conn, scope, int(new_id))
    logged = {k: (str(v) if k.endswith(("_from", "_to")) else v) for k, v in values.items()}
    audit.record(conn, actor, "create", "retrofit", row["id"], None, logged, remote)
    return row


def adjustments(conn: Connection, retrofit_id: int) -> list[dict[str, Any]]:
    """The retrofit's non-routine adjustments, by month and entry."""
    query = (
        select(retrofit_adjustments)
        .where(retrofit_adjustments.c.retrofit_id == retrofit_id)
        .order_by(retrofit_adjustments.c.month, retrofit_adjustments.c.id)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def add_adjustment(
    conn: Connection,
    retrofit_id: int,
    fields: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Insert a checked non-routine adjustment; audited with its reason."""
    values = {key: fields[key] for key in ADJUSTMENT_FIELDS}
    key = conn.execute(
        insert(retrofit_adjustments).values(
            retrofit_id=retrofit_id, created_by=actor[:64], created_at=common.now(), **values
        )
    ).inserted_primary_key
    assert key is not None
    logged = {**values, "month": str(values["month"]), "retrofit_id": retrofit_id}
    audit.record(
        conn,
        actor,
        "create",
        "retrofit_adjustment",
        int(key[0]),
        None,
        logged,
        remote,
        detail=str(values["reason"])[:200],
    )
    row = conn.execute(
        select(retrofit_adjustments).where(retrofit_adjustments.c.id == int(key[0]))
    ).one()
    return dict(row._mapping)
