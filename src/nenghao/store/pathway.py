"""Scenarios of the carbon-peak pathway, their assumptions and measures: the repository.

Rows are written as the pathway service validated them (`nenghao.pathway.scenarios`); this
module keeps the references straight (assumptions belong to a business-as-usual scenario,
measures to a policy scenario) and audits every write with its before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from nenghao.store import audit, common
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, page_of
from nenghao.store.schema_pathway import pathway_assumptions, pathway_measures, pathway_scenarios

__all__ = [
    "add_row",
    "change_row",
    "create_scenario",
    "delete_row",
    "delete_scenario",
    "get_scenario",
    "list_scenarios",
    "page_scenarios",
    "rows_of",
]

_s = pathway_scenarios.c
CHILDREN: dict[str, tuple[Table, str, str]] = {
    "assumption": (pathway_assumptions, "bau", "pathway_assumption_not_found"),
    "measure": (pathway_measures, "policy", "pathway_measure_not_found"),
}
"""Child kind -> (table, the scenario kind that holds it, its not-found code)."""
_ZH = {"assumption": "增长假设", "measure": "措施"}


def _row(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


def list_scenarios(conn: Connection) -> list[dict[str, Any]]:
    """Every scenario, business as usual first, then by name."""
    rows = conn.execute(select(pathway_scenarios).order_by(_s.kind, _s.id)).all()
    return [_row(r) for r in rows]


def page_scenarios(conn: Connection, offset: int, limit: int) -> Page:
    """One page of the scenarios, business as usual first."""
    query = select(pathway_scenarios).order_by(_s.kind, _s.id)
    return page_of(conn, query, offset=offset, limit=limit)


def get_scenario(conn: Connection, scenario_id: int) -> dict[str, Any]:
    """One scenario, or `NotFoundError` ``scenario_not_found``."""
    row = conn.execute(select(pathway_scenarios).where(_s.id == scenario_id)).first()
    if row is None:
        raise NotFoundError(
            f"scenario {scenario_id} not found",
            code="scenario_not_found",
            details={"scenario_id": scenario_id},
        )
    return _row(row)


def rows_of(conn: Connection, child: str, scenario_id: int) -> list[dict[str, Any]]:
    """The assumptions or measures of a scenario, in the order they were added."""
    table = CHILDREN[child][0]
    rows = conn.execute(
        select(table).where(table.c.scenario_id == scenario_id).order_by(table.c.id)
    ).all()
    return [_row(r) for r in rows]


def create_scenario(conn: Connection, actor: str, fields: Mapping[str, Any]) -> int:
    """Add a scenario (a policy scenario's ``baseline_id`` must be a business-as-usual one)."""
    if fields["kind"] == "policy":
        baseline_id = fields.get("baseline_id")
        if baseline_id is None or get_scenario(conn, int(baseline_id))["kind"] != "bau":
            raise InvalidInputError(
                "a policy scenario names the business-as-usual scenario whose assumptions it "
                "uses (baseline_id)",
                code="invalid_pathway_input",
                details={"field": "baseline_id", "value": baseline_id},
                zh="政策情景须选择一个基准情景（baseline_id）作为增长假设的来源",
            )
    elif fields.get("baseline_id") is not None:
        raise InvalidInputError(
            "a business-as-usual scenario has no baseline_id",
            code="invalid_pathway_input",
            details={"field": "baseline_id", "value": fields.get("baseline_id")},
            zh="基准情景不能再选择基准情景",
        )
    taken = conn.execute(select(_s.id).where(_s.name == fields["name"])).first()
    if taken is not None:
        raise ConflictError(
            f"a scenario named {fields['name']!r} exists",
            code="duplicate_scenario",
            details={"field": "name", "value": fields["name"]},
        )
    at = common.now()
    values = {**fields, "created_by": actor, "created_at": at, "updated_at": at}
    key = conn.execute(insert(pathway_scenarios).values(**values)).inserted_primary_key
    assert key is not None
    scenario_id = int(key[0])
    audit.record(
        conn, actor, "pathway.scenario.create", "pathway_scenario", scenario_id, None, values
    )
    return scenario_id


def delete_scenario(conn: Connection, actor: str, scenario_id: int) -> None:
    """Delete a scenario with its assumptions and measures (not a baseline still in use)."""
    before = get_scenario(conn, scenario_id)
    users = conn.execute(select(_s.name).where(_s.baseline_id == scenario_id)).scalars().all()
    if users:
        raise ConflictError(
            f"scenario {scenario_id} is the baseline of {', '.join(users)}; delete those first",
            code="scenario_in_use",
            details={"scenario_id": scenario_id, "used_by": list(users)},
        )
    for table, _kind, _code in CHILDREN.values():
        conn.execute(delete(table).where(table.c.scenario_id == scenario_id))
    conn.execute(delete(pathway_scenarios).where(_s.id == scenario_id))
    audit.record(
        conn, actor, "pathway.scenario.delete", "pathway_scenario", scenario_id, before, None
    )


def _child(conn: Connection, child: str, scenario_id: int, row_id: int) -> dict[str, Any]:
    table, _kind, code = CHILDREN[child]
    row = conn.execute(
        select(table).where(table.c.id == row_id, table.c.scenario_id == scenario_id)
    ).first()
    if row is None:
        raise NotFoundError(
            f"{child} {row_id} of scenario {scenario_id} not found",
            code=code,
            details={"scenario_id": scenario_id, f"{child}_id": row_id},
        )
    return _row(row)


def add_row(
    conn: Connection, actor: str, child: str, scenario_id: int, fields: Mapping[str, Any]
) -> int:
    """Add an assumption (to a business-as-usual scenario) or a measure (to a policy one)."""
    table, kind, _code = CHILDREN[child]
    scenario = get_scenario(conn, scenario_id)
    if scenario["kind"] != kind:
        raise InvalidInputError(
            f"a {child} belongs to a {'business-as-usual' if kind == 'bau' else 'policy'} "
            f"scenario; scenario {scenario_id} is not one",
            code="invalid_pathway_input",
            details={"scenario_id": scenario_id, "kind": scenario["kind"]},
            zh=f"{_ZH[child]}只能添加到{'基准' if kind == 'bau' else '政策'}情景",
        )
    values = {**fields, "scenario_id": scenario_id, "created_by": actor, "updated_at": common.now()}
    key = conn.execute(insert(table).values(**values)).inserted_primary_key
    assert key is not None
    row_id = int(key[0])
    audit.record(conn, actor, f"pathway.{child}.create", f"pathway_{child}", row_id, None, values)
    return row_id


def change_row(
    conn: Connection,
    actor: str,
    child: str,
    scenario_id: int,
    row_id: int,
    fields: Mapping[str, Any],
) -> None:
    """Replace an assumption's or measure's fields, audited with before and after."""
    table = CHILDREN[child][0]
    before = _child(conn, child, scenario_id, row_id)
    values = {**fields, "updated_at": common.now()}
    conn.execute(update(table).where(table.c.id == row_id).values(**values))
    conn.execute(
        update(pathway_scenarios)
        .where(_s.id == scenario_id)
        .values(updated_at=values["updated_at"])
    )
    audit.record(
        conn,
        actor,
        f"pathway.{child}.change",
        f"pathway_{child}",
        row_id,
        before,
        {**before, **values},
    )


def delete_row(conn: Connection, actor: str, child: str, scenario_id: int, row_id: int) -> None:
    """Delete an assumption or a measure, audited."""
    table = CHILDREN[child][0]
    before = _child(conn, child, scenario_id, row_id)
    conn.execute(delete(table).where(table.c.id == row_id))
    audit.record(conn, actor, f"pathway.{child}.delete", f"pathway_{child}", row_id, before, None)
