"""Scope: built from a user's role, applied as a WHERE clause on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nenghao.store import enterprises
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import device_credentials
from nenghao.store.scope import Scope


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"role": "admin"}, Scope("all")),
        ({"role": "regulator"}, Scope("all")),
        ({"role": "auditor"}, Scope("all")),
        ({"role": "district", "division_code": "210381"}, Scope("division", "210381")),
        ({"role": "enterprise", "enterprise_id": 7}, Scope("enterprise", enterprise_id=7)),
    ],
)
def test_for_user(user, expected) -> None:
    assert Scope.for_user(user) == expected


@pytest.mark.parametrize(
    "kwargs", [{"kind": "division"}, {"kind": "enterprise"}, {"kind": "galaxy"}]
)
def test_incomplete_scopes_are_refused(kwargs) -> None:
    with pytest.raises(ValueError, match="scope"):
        Scope(**kwargs)


def test_admits_division() -> None:
    assert Scope.all().admits_division("210302")
    assert Scope("division", "210302").admits_division("210302")
    assert not Scope("division", "210302").admits_division("210381")
    assert not Scope("enterprise", enterprise_id=1).admits_division("210302")


def test_clause_filters_enterprises_and_dependent_tables(engine) -> None:
    with engine.begin() as conn:
        ids = {}
        for label, division in (("A", "210302"), ("B", "210381")):
            row = enterprises.create(
                conn,
                Scope.all(),
                {
                    "credit_code": make_credit_code(division, f"MA0TEXT0{label}"),
                    "name": label,
                    "division_code": division,
                    "industry_code": "3110",
                },
                actor="t",
            )
            ids[label] = row["id"]
            conn.execute(
                device_credentials.insert().values(
                    enterprise_id=row["id"], key_id=f"k{label}", secret_hash="x", created_at=0
                )
            )
    scopes = {
        "all": (Scope.all(), {"kA", "kB"}),
        "division": (Scope("division", "210381"), {"kB"}),
        "enterprise": (Scope("enterprise", enterprise_id=ids["A"]), {"kA"}),
    }
    with engine.connect() as conn:
        for scope, expected in scopes.values():
            clause = scope.enterprise_clause(device_credentials.c.enterprise_id)
            keys = set(conn.execute(select(device_credentials.c.key_id).where(clause)).scalars())
            assert keys == expected, scope
