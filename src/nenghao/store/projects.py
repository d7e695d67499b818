"""The project register (固定资产投资项目): rows of a project, its energy lines and products,
its review steps and documents, read and written within the caller's scope.

Who sees a project: an enterprise user the projects its enterprise applies for; a district
user the projects located in its division (``projects.division_code``); city-wide roles all.
The rules of the review (who may do what, when) are `nenghao.review`'s; this module stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError

from nenghao.standards.calendar import cst_date
from nenghao.store.common import ConflictError, NotFoundError, Page, now, page_of
from nenghao.store.schema import enterprises, users
from nenghao.store.schema_projects import (
    project_documents,
    project_energy,
    project_products,
    project_steps,
    projects,
)
from nenghao.store.scope import Scope

ENERGY_FIELDS = ("line", "energy", "quantity", "unit", "role")
PRODUCT_FIELDS = ("product", "name", "capacity", "unit", "planned_unit_consumption")
DOCUMENT_FIELDS: tuple[str, ...] = ("id", "project_id", "kind", "filename", "content_type")
DOCUMENT_FIELDS += ("size", "sha256", "uploaded_by", "uploaded_at")
_p = projects.c


def visible(scope: Scope) -> ColumnElement[bool]:
    """A WHERE clause keeping the projects `scope` sees."""
    if scope.kind == "all":
        return true()
    if scope.kind == "enterprise":
        return _p.applicant_enterprise_id == scope.enterprise_id
    return _p.division_code == scope.division_code


def _listed() -> Any:
    """The project columns with the applicant's name (register name, else as entered)."""
    applicant = func.coalesce(enterprises.c.name, _p.applicant_name).label("applicant")
    return (
        select(projects, applicant)
        .select_from(projects)
        .outerjoin(enterprises, enterprises.c.id == _p.applicant_enterprise_id)
    )


def next_code(conn: Connection, year: int) -> str:
    """The next free project number of `year`: ``XM-<year>-<nnnn>``."""
    prefix = f"XM-{year}-"
    last = conn.execute(select(func.max(_p.code)).where(_p.code.like(f"{prefix}%"))).scalar()
    number = int(str(last)[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:04d}"


NUMBER_ATTEMPTS = 50
"""Numbers tried before a create gives up: each lost race to a concurrent create costs one."""


def _numbered(conn: Connection, values: Mapping[str, Any], year: int) -> int:
    """Insert the project under the next free number of `year`; returns its id.

    Two creates at once read the same highest number; the second insert then meets the
    unique constraint on ``code`` (PostgreSQL: once the first commits). It is undone alone
    (a savepoint on PostgreSQL, where an error aborts the transaction; SQLite undoes the one
    statement and keeps the transaction) and the number is read again.
    """
    for _ in range(NUMBER_ATTEMPTS):
        code = next_code(conn, year)
        guard: AbstractContextManager[Any]
        guard = conn.begin_nested() if conn.dialect.name == "postgresql" else nullcontext()
        try:
            with guard:
                key = conn.execute(insert(projects).values(**values, code=code))
        except IntegrityError:
            taken = select(_p.id).where(_p.code == code)
            if conn.execute(taken).first() is None:
                raise  # another constraint: not a lost race
            continue
        assert key.inserted_primary_key is not None
        return int(key.inserted_primary_key[0])
    raise ConflictError(
        f"no free project number after {NUMBER_ATTEMPTS} attempts; try again",
        code="conflict",
    )


def create(
    conn: Connection,
    row: Mapping[str, Any],
    energy: Sequence[Mapping[str, Any]],
    products: Sequence[Mapping[str, Any]],
) -> int:
    """Insert a project (``code`` numbered here, safe against concurrent creates) with its
    lines; returns its id."""
    at = now()
    values = {**row, "created_at": at, "updated_at": at, "version": 1}
    if "code" in values:
        key = conn.execute(insert(projects).values(**values)).inserted_primary_key
        assert key is not None
        project_id = int(key[0])
    else:
        project_id = _numbered(conn, values, cst_date(at).year)
    replace_lines(conn, project_id, energy, products)
    return project_id


def replace_lines(
    conn: Connection,
    project_id: int,
    energy: Sequence[Mapping[str, Any]],
    products: Sequence[Mapping[str, Any]],
) -> None:
    """Replace the project's energy lines and products wholesale (in the order given)."""
    conn.execute(delete(project_energy).where(project_energy.c.project_id == project_id))
    conn.execute(delete(project_products).where(project_products.c.project_id == project_id))
    if energy:
        conn.execute(
            insert(project_energy),
            [
                {"project_id": project_id, "position": n, **{k: e.get(k) for k in ENERGY_FIELDS}}
                for n, e in enumerate(energy)
            ],
        )
    if products:
        conn.execute(
            insert(project_products),
            [
                {"project_id": project_id, "position": n, **{k: p.get(k) for k in PRODUCT_FIELDS}}
                for n, p in enumerate(products)
            ],
        )


def update_project(
    conn: Connection, project_id: int, values: Mapping[str, Any], version: int | None = None
) -> None:
    """Set `values` on the project and count its version up; with `version`, only when the
    stored version is that one (else `ConflictError` ``project_version_conflict``)."""
    query = update(projects).where(_p.id == project_id)
    if version is not None:
        query = query.where(_p.version == version)
    done = conn.execute(query.values(**values, updated_at=now(), version=_p.version + 1))
    if done.rowcount != 1:
        raise ConflictError(
            f"project {project_id} was changed meanwhile (expected version {version});"
            " reload it and try again",
            code="project_version_conflict",
            details={"expected_version": version},
        )


def _lines(conn: Connection, project_id: int) -> dict[str, list[dict[str, Any]]]:
    energy = conn.execute(
        select(*(project_energy.c[k] for k in ENERGY_FIELDS))
        .where(project_energy.c.project_id == project_id)
        .order_by(project_energy.c.position)
    )
    products = conn.execute(
        select(*(project_products.c[k] for k in PRODUCT_FIELDS))
        .where(project_products.c.project_id == project_id)
        .order_by(project_products.c.position)
    )
    return {
        "energy": [dict(r._mapping) for r in energy],
        "products": [dict(r._mapping) for r in products],
    }


def get(conn: Connection, scope: Scope, project_id: int) -> dict[str, Any] | None:
    """The project in scope with its energy lines and products, or None."""
    row = conn.execute(_listed().where(_p.id == project_id, visible(scope))).mappings().first()
    return None if row is None else {**dict(row), **_lines(conn, project_id)}


def require(conn: Connection, scope: Scope, project_id: int) -> dict[str, Any]:
    """`get`, or `NotFoundError` ``project_not_found``."""
    found = get(conn, scope, project_id)
    if found is None:
        raise NotFoundError(f"project {project_id} not found", code="project_not_found")
    return found


def list_projects(
    conn: Connection,
    scope: Scope,
    *,
    where: Sequence[ColumnElement[bool]] = (),
    order: Sequence[Any] = (),
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """The projects in scope matching `where` (clauses on `projects`), newest first unless
    `order` is given."""
    query = _listed().where(visible(scope), *where)
    query = query.order_by(*(order or (_p.created_at.desc(),)), _p.id.desc())
    return page_of(conn, query, offset=offset, limit=limit)


def add_step(
    conn: Connection,
    project_id: int,
    action: str,
    from_status: str | None,
    to_status: str,
    actor_id: int,
    comment: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> int:
    """Append a step to the project's history; returns its id."""
    key = conn.execute(
        insert(project_steps).values(
            project_id=project_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor_id,
            at=now(),
            comment=comment,
            details=dict(details) if details else None,
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def _actor_name() -> Any:
    return func.coalesce(users.c.display_name, users.c.username)


def steps(conn: Connection, project_id: int, *, offset: int = 0, limit: int = 50) -> Page:
    """The project's history, oldest first, with the actor's name."""
    query = (
        select(project_steps, _actor_name().label("actor_name"))
        .join(users, users.c.id == project_steps.c.actor_id)
        .where(project_steps.c.project_id == project_id)
        .order_by(project_steps.c.at, project_steps.c.id)
    )
    return page_of(conn, query, offset=offset, limit=limit)


def count_steps(conn: Connection, project_id: int, action: str) -> int:
    """How many steps of `action` the project has (e.g. expert opinions)."""
    query = select(func.count()).where(
        project_steps.c.project_id == project_id, project_steps.c.action == action
    )
    return int(conn.execute(query.select_from(project_steps)).scalar_one())


def add_document(
    conn: Connection, project_id: int, kind: str, file: Mapping[str, Any], uploaded_by: int
) -> dict[str, Any]:
    """Store a checked file (filename, content_type, size, sha256, content) on the project."""
    values = {k: file[k] for k in ("filename", "content_type", "size", "sha256", "content")}
    key = conn.execute(
        insert(project_documents).values(
            project_id=project_id, kind=kind, uploaded_by=uploaded_by, uploaded_at=now(), **values
        )
    ).inserted_primary_key
    assert key is not None
    return document(conn, project_id, int(key[0]), content=False)


def _documents_query(project_id: int) -> Any:
    columns = [project_documents.c[k] for k in DOCUMENT_FIELDS]
    return (
        select(*columns, _actor_name().label("uploaded_by_name"))
        .join(users, users.c.id == project_documents.c.uploaded_by)
        .where(project_documents.c.project_id == project_id)
    )


def documents(conn: Connection, project_id: int, *, offset: int = 0, limit: int = 50) -> Page:
    """The project's documents (without their bytes), in upload order."""
    query = _documents_query(project_id).order_by(project_documents.c.id)
    return page_of(conn, query, offset=offset, limit=limit)


def document(
    conn: Connection, project_id: int, document_id: int, *, content: bool = True
) -> dict[str, Any]:
    """One document of the project (with its bytes when `content`), else `NotFoundError`."""
    query = _documents_query(project_id).where(project_documents.c.id == document_id)
    if content:
        query = query.add_columns(project_documents.c.content)
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFoundError(f"document {document_id} not found", code="document_not_found")
    return dict(row)


def has_document(conn: Connection, project_id: int, kind: str) -> bool:
    """Whether the project has a document of `kind`."""
    query = select(project_documents.c.id).where(
        project_documents.c.project_id == project_id, project_documents.c.kind == kind
    )
    return conn.execute(query.limit(1)).first() is not None


def pending_counted(
    conn: Connection, year: int, division_code: str | None, exclude: int | None = None
) -> dict[str, float]:
    """Assessed consumption [tce/a] and CO2 [t/a] of the approved projects not yet
    commissioned that run in `year` (first full year at most `year`), in a division or the
    whole city (`division_code` None), leaving out project `exclude`."""
    conditions = _pending(year, division_code, exclude)
    query = select(
        func.coalesce(func.sum(_p.assessed_tce), 0.0),
        func.coalesce(func.sum(_p.counted_co2_t), 0.0),
        func.count(),
    ).where(*conditions)
    tce, co2, n = conn.execute(query.select_from(projects)).one()
    return {"tce": float(tce), "co2_t": float(co2), "projects": int(n)}


def _pending(year: int, division_code: str | None, exclude: int | None) -> list[Any]:
    """WHERE clauses of `pending_counted` and `pending_ids`."""
    conditions = [
        _p.status == "approved",
        _p.commissioned_on.is_(None),
        _p.first_full_year <= year,
    ]
    if division_code is not None:
        conditions.append(_p.division_code == division_code)
    if exclude is not None:
        conditions.append(_p.id != exclude)
    return conditions


def pending_ids(
    conn: Connection, year: int, division_code: str | None, exclude: int | None = None
) -> list[int]:
    """The ids of the projects `pending_counted` sums, oldest first."""
    query = select(_p.id).where(*_pending(year, division_code, exclude)).order_by(_p.id)
    return [int(i) for i in conn.execute(query).scalars()]
