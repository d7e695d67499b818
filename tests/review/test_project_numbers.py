"""Project numbers ``XM-<year>-<nnnn>`` under concurrent creates: every create gets its own
number, none fails (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from project_support import FIELDS, cast
from sqlalchemy import select

from nenghao.review import register
from nenghao.standards.calendar import cst_date
from nenghao.store import projects as store
from nenghao.store.common import now
from nenghao.store.schema_projects import projects
from nenghao.store.scope import Scope

CREATES = 6


def test_concurrent_creates_get_consecutive_numbers(engine, monkeypatch) -> None:
    with engine.begin() as conn:
        ent = cast(conn)["ent1"]
    # every create reads the highest number before any of them inserts: the race, every time
    barrier = threading.Barrier(CREATES, timeout=30)
    first = threading.local()
    read = store.next_code

    def racing(conn, year):
        code = read(conn, year)
        if not getattr(first, "done", False):
            first.done = True
            barrier.wait()
        return code

    monkeypatch.setattr(store, "next_code", racing)

    def create(n: int) -> int:
        with engine.begin() as conn:
            return register.create(conn, ent, Scope.for_user(ent), {**FIELDS, "name": f"项目{n}"})

    with ThreadPoolExecutor(CREATES) as pool:
        ids = list(pool.map(create, range(CREATES)))
    with engine.connect() as conn:
        codes = conn.execute(select(projects.c.code).order_by(projects.c.code)).scalars().all()
        lines = [len(store.require(conn, Scope.all(), pid)["energy"]) for pid in ids]
    year = cst_date(now()).year
    assert len(set(ids)) == CREATES
    assert lines == [2] * CREATES  # each create whole, in its own transaction
    assert codes == [f"XM-{year}-{n:04d}" for n in range(1, CREATES + 1)]


def test_another_constraint_is_not_taken_for_a_lost_race(engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with engine.begin() as conn:
        ent = cast(conn)["ent1"]
    row = {"name": "x", "applicant_enterprise_id": 999_999, "division_code": "210302"}
    row |= {"industry_code": "2641", "construction_type": "new", "first_full_year": 2027}
    row |= {"status": "draft", "created_by": ent["id"], "simple_process": False}
    with pytest.raises(IntegrityError), engine.begin() as conn:  # an unknown applicant
        store.create(conn, row, [], [])
