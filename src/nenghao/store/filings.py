"""Monthly and annual filings (月报 / 年报): each filing's revisions and lines, scoped reads
(docs/filing.md). A revision never replaces the lines of the one before: every revision's
lines stay, with who filed it, when and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, insert, select, update

from nenghao.standards import UnknownEnergyKindError, get_catalog
from nenghao.store.common import Page, page_of
from nenghao.store.schema import enterprises, filing_lines, filing_revisions, filings
from nenghao.store.scope import Scope

KIND_ZH = {
    "energy": "能源",
    "product": "产品产量",
    "output_value": "工业总产值",
    "added_value": "工业增加值",
}
"""Chinese names of the kinds of filed figures."""
LINE_FIELDS = tuple(c.name for c in filing_lines.c if c.name not in ("id", "filing_id"))


def current(conn: Connection, enterprise_id: int, period: str, start: int) -> dict[str, Any] | None:
    """The filing of the enterprise for the period, unscoped (None when never filed)."""
    row = conn.execute(
        select(filings).where(
            filings.c.enterprise_id == enterprise_id,
            filings.c.period == period,
            filings.c.period_start == start,
        )
    ).first()
    return dict(row._mapping) if row else None


def save_revision(
    conn: Connection,
    *,
    enterprise_id: int,
    period: str,
    start: int,
    label: str,
    actor: str,
    at: int,
    reason: str | None,
    lines: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Store the next revision of the filing (the first creates it) with its `lines`; the
    status is ``review`` when a line is flagged. Returns the filing row."""
    status = "review" if any(line["flagged"] for line in lines) else "filed"
    filed = current(conn, enterprise_id, period, start)
    values = {"status": status, "filed_by": actor, "filed_at": at}
    if filed is None:
        result = conn.execute(
            insert(filings).values(
                enterprise_id=enterprise_id,
                period=period,
                period_start=start,
                label=label,
                revision=1,
                **values,
            )
        )
        assert result.inserted_primary_key is not None
        filing_id, revision = result.inserted_primary_key[0], 1
    else:
        filing_id, revision = filed["id"], filed["revision"] + 1
        conn.execute(
            update(filings).where(filings.c.id == filing_id).values(revision=revision, **values)
        )
    conn.execute(
        insert(filing_revisions).values(
            filing_id=filing_id, revision=revision, reason=reason, **values
        )
    )
    conn.execute(
        insert(filing_lines),
        [
            {"filing_id": filing_id, "revision": revision, "position": i, **dict(line)}
            for i, line in enumerate(lines)
        ],
    )
    found = current(conn, enterprise_id, period, start)
    assert found is not None
    return found


def _lines(conn: Connection, filing_id: int, revision: int) -> list[dict[str, Any]]:
    query = (
        select(*(filing_lines.c[name] for name in LINE_FIELDS))
        .where(filing_lines.c.filing_id == filing_id, filing_lines.c.revision == revision)
        .order_by(filing_lines.c.position)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def _listed(scope: Scope) -> Select[Any]:
    return (
        select(filings, enterprises.c.name.label("enterprise_name"))
        .join(enterprises, enterprises.c.id == filings.c.enterprise_id)
        .where(scope.enterprise_clause(filings.c.enterprise_id))
    )


def with_lines(conn: Connection, filing: Mapping[str, Any] | RowMapping) -> dict[str, Any]:
    """The filing with the lines of its current revision and that revision's reason."""
    reason = conn.execute(
        select(filing_revisions.c.reason).where(
            filing_revisions.c.filing_id == filing["id"],
            filing_revisions.c.revision == filing["revision"],
        )
    ).scalar()
    return {**filing, "reason": reason, "lines": _lines(conn, filing["id"], filing["revision"])}


def list_filings(
    conn: Connection,
    scope: Scope,
    *,
    enterprise_id: int | None = None,
    label: str | None = None,
    flagged: bool | None = None,
    offset: int = 0,
    limit: int | None = 50,
) -> Page:
    """Filings in `scope`, newest period first, each with its current lines; `flagged`
    True keeps those to review (需复核), False the others."""
    query = _listed(scope)
    if enterprise_id is not None:
        query = query.where(filings.c.enterprise_id == enterprise_id)
    if label is not None:
        query = query.where(filings.c.label == label)
    if flagged is not None:
        query = query.where(filings.c.status == ("review" if flagged else "filed"))
    query = query.order_by(filings.c.period_start.desc(), filings.c.period, filings.c.id)
    return page_of(
        conn,
        query,
        offset=offset,
        limit=limit,
        items=lambda rows: [with_lines(conn, row._mapping) for row in rows],
    )


def get(
    conn: Connection, scope: Scope, enterprise_id: int, period: str, start: int
) -> dict[str, Any] | None:
    """The filing with its current lines, if in `scope` (None otherwise or when not filed)."""
    row = conn.execute(
        _listed(scope).where(
            filings.c.enterprise_id == enterprise_id,
            filings.c.period == period,
            filings.c.period_start == start,
        )
    ).first()
    return with_lines(conn, dict(row._mapping)) if row else None


def history(conn: Connection, filing_id: int, *, offset: int = 0, limit: int | None = None) -> Page:
    """The filing's revisions, newest first, each with who, when, why and its lines."""
    query = (
        select(filing_revisions)
        .where(filing_revisions.c.filing_id == filing_id)
        .order_by(filing_revisions.c.revision.desc())
    )
    page = page_of(conn, query, offset=offset, limit=limit)
    items = [{**row, "lines": _lines(conn, filing_id, row["revision"])} for row in page.items]
    return replace(page, items=items)


def line_name(kind: str, subject: str | None) -> str:
    """What a line is, in Chinese: the energy kind's name, the product, the value."""
    if kind == "energy" and subject:
        try:
            return get_catalog().energy_kind(subject).name_zh
        except UnknownEnergyKindError:  # a code no longer in the catalogue: said as stored
            return subject
    if kind == "product":
        return f"{subject}产量"
    return KIND_ZH[kind]
