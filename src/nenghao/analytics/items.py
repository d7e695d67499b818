"""The data items a statistic reads, selected inside the caller's scope.

Selections (``kinds``):

* ``fence``: energy and energy-carrying-medium items at the enterprise boundary - what makes
  up comprehensive consumption (GB/T 2589-2020);
* ``product``: product output items (unit-product consumption, process CO2);
* ``value``: output value and added value (万元);
* ``process``: energy and medium sub-meters of process boundaries (unit-product consumption).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, exists, false, or_, select

from nenghao.store.schema import data_items, enterprises, rollups
from nenghao.store.scope import Scope

KINDS = ("fence", "product", "value", "process")


@dataclass(frozen=True)
class SelectedItem:
    """A data item selected for a statistic: what it needs to know of the item and its
    enterprise."""

    id: int
    enterprise_id: int
    division_code: str
    industry_code: str
    measures: str
    usage: str
    energy_kind: str | None
    product_code: str | None
    unit: str
    boundary: str
    renewable: bool
    heating_value: float | None
    heating_value_unit: str | None
    period: str = "hour"
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class Filters:
    """Optional narrowing inside the scope: one division, industry or enterprise."""

    division: str | None = None
    industry: str | None = None
    enterprise_id: int | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """WHERE clauses on the enterprises table."""
        out: list[ColumnElement[bool]] = []
        if self.division is not None:
            out.append(enterprises.c.division_code == self.division)
        if self.industry is not None:
            out.append(enterprises.c.industry_code == self.industry)
        if self.enterprise_id is not None:
            out.append(enterprises.c.id == self.enterprise_id)
        return out


def _kind_clause(kind: str) -> ColumnElement[bool]:
    energy = data_items.c.measures.in_(("energy", "medium"))
    if kind == "fence":
        return (data_items.c.boundary == "enterprise") & energy
    if kind == "process":
        return (data_items.c.boundary != "enterprise") & energy
    if kind == "product":
        return data_items.c.measures == "product"
    if kind == "value":
        return data_items.c.measures.in_(("output_value", "added_value"))
    raise ValueError(f"unknown item selection {kind!r}; known: {KINDS}")


def selection(scope: Scope, kinds: Iterable[str], filters: Filters | None = None) -> Select[Any]:
    """The ids of the items of ``kinds`` whose enterprise lies in ``scope``: the active ones,
    and deactivated ones with stored readings (a deactivation does not rewrite history)."""
    wanted = [_kind_clause(kind) for kind in kinds]
    return (
        select(data_items.c.id)
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(scope.enterprise_clause())
        .where(*(filters or Filters()).clauses())
        .where(or_(data_items.c.active, exists().where(rollups.c.item_id == data_items.c.id)))
        .where(or_(*wanted) if wanted else false())
    )


def load_items(
    connection: Connection, scope: Scope, kinds: Iterable[str], filters: Filters | None = None
) -> list[SelectedItem]:
    """The items of ``kinds`` in ``scope`` (and ``filters``), ordered by id."""
    ids = selection(scope, kinds, filters).subquery()
    query: Select[*tuple[Any, ...]] = (
        select(
            data_items.c.id,
            data_items.c.enterprise_id,
            enterprises.c.division_code,
            enterprises.c.industry_code,
            data_items.c.measures,
            data_items.c.usage,
            data_items.c.energy_kind,
            data_items.c.product_code,
            data_items.c.unit,
            data_items.c.boundary,
            data_items.c.renewable,
            data_items.c.heating_value,
            data_items.c.heating_value_unit,
            data_items.c.period,
            data_items.c.code,
            data_items.c.name,
        )
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(data_items.c.id.in_(select(ids.c.id)))
        .order_by(data_items.c.id)
    )
    return [SelectedItem(*row) for row in connection.execute(query).all()]
