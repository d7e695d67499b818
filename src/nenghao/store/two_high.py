"""The two-high installation register (两高装置台账): installations by enterprise, scoped like
the enterprises (an enterprise sees its own, a district its division's), every write audited.

Regulators (the city, a district within its division) register, change, close and delete
installations; an installation with rectification plans is closed, not deleted. The rules
of its fields are `check_fields`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Select, delete, exists, insert, select, update

from nenghao.standards import get_catalog
from nenghao.store import audit, common
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, page_of
from nenghao.store.schema import (
    data_items,
    enterprises,
    rectification_plans,
    two_high_installations,
)
from nenghao.store.scope import Scope

_i = two_high_installations.c
FIELDS = (
    "sector",
    "name",
    "product",
    "item_id",
    "capacity",
    "capacity_unit",
    "commissioned_year",
    "status",
    "note",
)
"""The fields a regulator sets (``enterprise_id`` is fixed at registration)."""
YEARS = (1900, 2100)
_LISTED = [
    *two_high_installations.c,
    enterprises.c.name.label("enterprise_name"),
    enterprises.c.division_code,
    enterprises.c.industry_code,
]


def _query(scope: Scope) -> Select[Any]:
    return (
        select(*_LISTED)
        .join(enterprises, enterprises.c.id == _i.enterprise_id)
        .where(scope.enterprise_clause(_i.enterprise_id))
    )


def not_found(installation_id: int) -> NotFoundError:
    """The refusal of an installation that does not exist or lies outside the scope."""
    return NotFoundError(
        f"two-high installation {installation_id} not found",
        code="installation_not_found",
        zh=f"两高装置 {installation_id} 不存在，或不在您的数据范围内",
    )


def get(conn: Connection, scope: Scope, installation_id: int) -> dict[str, Any]:
    """The installation in `scope` with its enterprise's name, division and industry; raises
    NotFoundError (``installation_not_found``)."""
    row = conn.execute(_query(scope).where(_i.id == installation_id)).first()
    if row is None:
        raise not_found(installation_id)
    return dict(row._mapping)


def listing(
    conn: Connection, scope: Scope, *, status: str | None = None, installation_id: int | None = None
) -> list[dict[str, Any]]:
    """Every installation in `scope` (optionally of one status, or one installation), by
    division, enterprise and name."""
    query = _query(scope)
    if status is not None:
        query = query.where(_i.status == status)
    if installation_id is not None:
        query = query.where(_i.id == installation_id)
    query = query.order_by(enterprises.c.division_code, enterprises.c.name, _i.name, _i.id)
    return [dict(row._mapping) for row in conn.execute(query)]


def unregistered(
    conn: Connection, scope: Scope, *, offset: int = 0, limit: int | None = 50
) -> Page:
    """Active enterprises in `scope` of a two-high industry (``two_high.toml``) with no active
    installation registered (未登记装置), by division and name."""
    classes = sorted({code for s in get_catalog().two_high_sectors for code in s.industries})
    registered = exists().where(_i.enterprise_id == enterprises.c.id, _i.status == "active")
    query = (
        select(
            enterprises.c.id.label("enterprise_id"),
            enterprises.c.name.label("enterprise_name"),
            enterprises.c.division_code,
            enterprises.c.industry_code,
        )
        .where(
            scope.enterprise_clause(),
            enterprises.c.active.is_(True),
            enterprises.c.industry_code.in_(classes),
            ~registered,
        )
        .order_by(enterprises.c.division_code, enterprises.c.name, enterprises.c.id)
    )
    return page_of(conn, query, offset=offset, limit=limit)


def _refuse(code: str, field: str, message: str, zh: str) -> InvalidInputError:
    return InvalidInputError(f"{field}: {message}", code=code, details={"field": field}, zh=zh)


def check_fields(conn: Connection, enterprise_id: int, fields: Mapping[str, Any]) -> None:
    """Refuse (InvalidInputError) a sector not in ``two_high.toml``, a product not in the
    quota catalogue, a data item that is not one of the enterprise's product items of that
    product, a capacity without its unit (or a unit without a capacity), a capacity not
    above 0, a commissioning year outside 1900-2100 or a blank name."""
    catalog = get_catalog()
    if not str(fields.get("name") or "").strip():
        raise _refuse("invalid_input", "name", "must not be blank", "装置名称不能为空")
    sector = fields.get("sector")
    if sector not in {s.code for s in catalog.two_high_sectors}:
        raise _refuse(
            "unknown_two_high_sector",
            "sector",
            f"{sector!r} is not a two-high sector of two_high.toml",
            f"“{sector}”不是两高行业目录中的行业",
        )
    product = fields.get("product")
    if product is not None and product not in catalog.quota_standards:
        raise _refuse(
            "unknown_quota_product",
            "product",
            f"{product!r} is not a product of the quota catalogue",
            f"“{product}”不是限额目录中的产品",
        )
    if fields.get("item_id") is not None:
        _check_item(conn, enterprise_id, int(fields["item_id"]), product)
    capacity, unit = fields.get("capacity"), fields.get("capacity_unit")
    if (capacity is None) != (unit is None):
        raise _refuse(
            "installation_capacity_unit",
            "capacity",
            "give the capacity and its unit together",
            "产能与产能单位须同时填写",
        )
    if capacity is not None and not capacity > 0:
        raise _refuse("invalid_input", "capacity", "must be above 0", "产能须大于 0")
    year = fields.get("commissioned_year")
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise _refuse("invalid_input", "commissioned_year", "1900-2100", "投产年份应在 1900-2100")


def _check_item(conn: Connection, enterprise_id: int, item_id: int, product: str | None) -> None:
    row = conn.execute(
        select(data_items.c.enterprise_id, data_items.c.measures, data_items.c.product_code).where(
            data_items.c.id == item_id
        )
    ).first()
    if (
        row is None
        or row.enterprise_id != enterprise_id
        or row.measures != "product"
        or product is None
        or row.product_code != product
    ):
        raise _refuse(
            "installation_item_mismatch",
            "item_id",
            f"data item {item_id} is not a product item of this enterprise for {product!r}",
            f"数据项 {item_id} 不是本单位“{product}”产品的产量数据项",
        )


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: fields[key] for key in FIELDS if key in fields}
    for key in ("name", "note", "capacity_unit"):
        if isinstance(out.get(key), str):
            out[key] = out[key].strip() or None
    return out


def _duplicate(name: str) -> ConflictError:
    return ConflictError(
        f"the enterprise already has an installation named {name!r}",
        code="duplicate_installation",
        details={"field": "name"},
        zh=f"本单位已登记名为“{name}”的装置",
    )


def _taken(conn: Connection, enterprise_id: int, name: str, but: int | None = None) -> bool:
    query = select(_i.id).where(_i.enterprise_id == enterprise_id, _i.name == name)
    if but is not None:
        query = query.where(_i.id != but)
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
    """Register an installation of an enterprise in `scope`; audited. Raises NotFoundError
    (``enterprise_not_found``), InvalidInputError (see `check_fields`) or ConflictError
    (``duplicate_installation``)."""
    found = conn.execute(
        select(enterprises.c.id).where(enterprises.c.id == enterprise_id, scope.enterprise_clause())
    ).first()
    if found is None:
        raise NotFoundError(f"enterprise {enterprise_id} not found", code="enterprise_not_found")
    values = {"status": "active", **_clean(fields)}
    check_fields(conn, enterprise_id, values)
    if _taken(conn, enterprise_id, values["name"]):
        raise _duplicate(values["name"])
    at = common.now()
    key = conn.execute(
        insert(two_high_installations).values(
            enterprise_id=enterprise_id,
            created_by=actor[:64],
            created_at=at,
            updated_at=at,
            **values,
        )
    ).inserted_primary_key
    assert key is not None
    row = get(conn, scope, int(key[0]))
    audit.record(conn, actor, "create", "two_high_installation", row["id"], None, values, remote)
    return row


def change(
    conn: Connection,
    scope: Scope,
    installation_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Change an installation's fields (``status="closed"`` closes it); audited with the
    fields before and after."""
    before = get(conn, scope, installation_id)
    merged = {key: before[key] for key in FIELDS} | _clean(changes)
    check_fields(conn, before["enterprise_id"], merged)
    if _taken(conn, before["enterprise_id"], merged["name"], but=installation_id):
        raise _duplicate(merged["name"])
    changed = {key: value for key, value in merged.items() if before[key] != value}
    if changed:
        conn.execute(
            update(two_high_installations)
            .where(_i.id == installation_id)
            .values(updated_at=common.now(), **changed)
        )
        old = {key: before[key] for key in changed}
        audit.record(
            conn, actor, "update", "two_high_installation", installation_id, old, changed, remote
        )
    return get(conn, scope, installation_id)


def remove(
    conn: Connection,
    scope: Scope,
    installation_id: int,
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Delete an installation registered by mistake and return it as it was; one with
    rectification plans is closed instead (ConflictError ``installation_has_plans``).
    Audited."""
    before = get(conn, scope, installation_id)
    planned = conn.execute(
        select(rectification_plans.c.id).where(
            rectification_plans.c.installation_id == installation_id
        )
    ).first()
    if planned is not None:
        raise ConflictError(
            f"installation {installation_id} has rectification plans: close it instead",
            code="installation_has_plans",
            zh="该装置已有整改方案，不能删除；如已关停请将其状态改为“已关停”",
        )
    conn.execute(delete(two_high_installations).where(_i.id == installation_id))
    kept = {key: before[key] for key in ("enterprise_id", *FIELDS)}
    audit.record(
        conn, actor, "delete", "two_high_installation", installation_id, kept, None, remote
    )
    return before
