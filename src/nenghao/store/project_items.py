"""The data items linked to a commissioned project (``project_items``): which of the
applicant enterprise's energy and product-output items meter the project once it operates.

Reads and writes only; the rules (which items may be linked, by whom) are
`nenghao.review.commissioning`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select

from nenghao.store.common import now
from nenghao.store.schema import data_items
from nenghao.store.schema_projects import project_items, projects

ITEM_FIELDS = (
    "id",
    "enterprise_id",
    "code",
    "name",
    "measures",
    "energy_kind",
    "product_code",
    "usage",
    "unit",
    "boundary",
    "period",
    "approval",
    "active",
)


def items_by_id(conn: Connection, item_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The data items of `item_ids` that exist (any enterprise), by id."""
    wanted = sorted(set(item_ids))
    query = select(*(data_items.c[k] for k in ITEM_FIELDS)).where(data_items.c.id.in_(wanted))
    return {row["id"]: dict(row) for row in conn.execute(query).mappings()}


def linked_ids(conn: Connection, project_id: int) -> list[int]:
    """The ids of the items linked to the project, ascending."""
    query = select(project_items.c.item_id).where(project_items.c.project_id == project_id)
    return sorted(int(i) for i in conn.execute(query).scalars())


def linked(conn: Connection, project_id: int) -> list[dict[str, Any]]:
    """The items linked to the project with when and by whom, ordered by item id."""
    query = (
        select(
            *(data_items.c[k] for k in ITEM_FIELDS),
            project_items.c.linked_at,
            project_items.c.linked_by,
        )
        .join(data_items, data_items.c.id == project_items.c.item_id)
        .where(project_items.c.project_id == project_id)
        .order_by(data_items.c.id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def link(conn: Connection, project_id: int, item_ids: Iterable[int], by: int) -> list[int]:
    """Link the items not yet linked; returns the ids newly linked."""
    have = set(linked_ids(conn, project_id))
    new = sorted(set(item_ids) - have)
    if new:
        at = now()
        conn.execute(
            insert(project_items),
            [
                {"project_id": project_id, "item_id": i, "linked_at": at, "linked_by": by}
                for i in new
            ],
        )
    return new


def operating_projects(conn: Connection) -> list[int]:
    """Ids of the approved or filed projects commissioned and linked to items."""
    query = (
        select(projects.c.id)
        .where(
            projects.c.status.in_(("approved", "filed")),
            projects.c.commissioned_on.is_not(None),
            projects.c.id.in_(select(project_items.c.project_id)),
        )
        .order_by(projects.c.id)
    )
    return [int(i) for i in conn.execute(query).scalars()]
