"""The equal value (等价值) of electricity of a year, set by an administrator: audited writes.

Where no figure for a year is published (or packaged), an administrator sets one, with its
source. The values are handed to the catalogue (``Catalog.with_equal_value_overrides``) by
:func:`overrides`; they take precedence over the packaged per-year values and the fallback.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy import update as sql_update

from nenghao.standards import Catalog, Sourced, get_catalog
from nenghao.standards.calendar import cst_date
from nenghao.store import audit
from nenghao.store.common import InvalidInputError, now
from nenghao.store.schema import equal_value_overrides as table

ENERGY = "electricity"
UNIT = "kgce/kWh"
YEARS = (2000, 2100)
SOURCE_MAX = 500


def listing(conn: Connection) -> list[dict[str, Any]]:
    """Every year an administrator set, oldest first."""
    rows = conn.execute(select(table).order_by(table.c.year))
    return [dict(row._mapping) for row in rows]


def get(conn: Connection, year: int) -> dict[str, Any] | None:
    """The administrator's value of ``year``, if any."""
    row = conn.execute(select(table).where(table.c.year == year)).first()
    return None if row is None else dict(row._mapping)


def as_sourced(row: dict[str, Any]) -> Sourced:
    """A stored row as the catalogue's sourced value for its year."""
    year = int(row["year"])
    return Sourced(
        value=float(row["value"]),
        unit=str(row["unit"]),
        source=str(row["source"]),
        status="unverified",
        valid_from=date(year, 1, 1),
        valid_to=date(year, 12, 31),
        note=(
            f"管理员 {row['set_by']} 于 {cst_date(int(row['set_at']))} 设定，"
            "优先于已发布值与缺省值 (set by an administrator; takes precedence over the "
            "packaged value and the fallback)"
        ),
    )


def by_year(conn: Connection) -> dict[int, Sourced]:
    """The administrator's values of electricity, by year."""
    return {int(row["year"]): as_sourced(row) for row in listing(conn)}


def overrides(conn: Connection) -> dict[str, tuple[Sourced, ...]]:
    """The administrator's values, by energy code, for ``Catalog.with_equal_value_overrides``."""
    return {ENERGY: tuple(by_year(conn).values())}


def catalog(conn: Connection) -> Catalog:
    """The packaged catalogue with the administrator's equal values put first."""
    return get_catalog().with_equal_value_overrides(overrides(conn))


def years(conn: Connection) -> dict[str, Any]:
    """Every year with a packaged or an administrator's value, the value in force, the
    fallback and the range an administrator's value must lie in."""
    packaged = get_catalog()
    set_rows = {int(row["year"]): row for row in listing(conn)}
    published: dict[int, Sourced] = {}
    for value in packaged.equal_value_years(ENERGY):
        assert value.valid_from is not None
        assert value.valid_to is not None
        for year in range(value.valid_from.year, value.valid_to.year + 1):
            published[year] = value
    effective = packaged.with_equal_value_overrides(
        {ENERGY: [as_sourced(row) for row in set_rows.values()]}
    )
    rows = []
    for year in sorted(set_rows.keys() | published.keys()):
        used = effective.equal_value_coefficient(ENERGY, year)
        row = set_rows.get(year, {})
        rows.append(
            {
                "year": year,
                **used.model_dump(exclude={"valid_from", "valid_to"}),
                "set_by": row.get("set_by"),
                "set_at": row.get("set_at"),
                "published": _dumped(published.get(year)),
            }
        )
    low, high = packaged.equal_value_range(ENERGY) or (None, None)
    return {
        "energy": ENERGY,
        "unit": UNIT,
        "min": low,
        "max": high,
        "fallback": _dumped(packaged.equal_value_fallback(ENERGY)),
        "years": rows,
    }


def _dumped(value: Sourced | None) -> dict[str, Any] | None:
    return None if value is None else value.model_dump()


def _checked(year: int, value: float, source: str) -> tuple[float, str]:
    low, high = get_catalog().equal_value_range(ENERGY) or (0.0, math.inf)
    if not YEARS[0] <= year <= YEARS[1]:
        raise InvalidInputError(
            f"年份须在 {YEARS[0]}–{YEARS[1]} 之间 (year must be {YEARS[0]}..{YEARS[1]}), "
            f"got {year}",
            details={"field": "year", "min": YEARS[0], "max": YEARS[1]},
        )
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInputError(
            f"电力等价值须在 {low:g}–{high:g} {UNIT} 之间 (a plausible national supply coal "
            f"consumption), got {value!r}",
            code="equal_value_out_of_range",
            details={"field": "value", "min": low, "max": high, "unit": UNIT},
        )
    text = source.strip()
    if not text or len(text) > SOURCE_MAX:
        raise InvalidInputError(
            f"须注明来源 (出版物与表号或网址), 1–{SOURCE_MAX} 字 "
            f"(source is required, 1..{SOURCE_MAX} characters)",
            details={"field": "source"},
        )
    return float(value), text


def put(
    conn: Connection,
    year: int,
    value: float,
    source: str,
    *,
    actor: str,
    remote: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Set ``year``'s equal value of electricity [kgce/kWh]; audited. Returns (row, created).

    Raises :class:`InvalidInputError` for a year outside 1990..2100, a value outside the
    catalogue's plausible range (``equal_value.toml`` ``admin_range``) or a blank source.
    """
    number, text = _checked(year, value, source)
    before = get(conn, year)
    values = {"value": number, "unit": UNIT, "source": text, "set_by": actor[:64], "set_at": now()}
    if before is None:
        conn.execute(insert(table).values(year=year, **values))
    else:
        conn.execute(sql_update(table).where(table.c.year == year).values(**values))
    after = get(conn, year)
    assert after is not None
    action = "create" if before is None else "update"
    audit.record(conn, actor, action, "equal_value", year, before, after, remote)
    return after, before is None
