"""A registered enterprise for the command tests, on the test database."""

from __future__ import annotations

import pytest
from cli_support import CREDIT_CODE, NAME

from nenghao.store import enterprises
from nenghao.store.scope import Scope


@pytest.fixture
def registered(db_url, tmp_path, monkeypatch, engine) -> int:
    """The id of an enterprise in 210302 (铁东区), industry 3110, the CLI pointed at the
    database."""
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    with engine.begin() as conn:
        row = enterprises.create(
            conn,
            Scope.all(),
            {"credit_code": CREDIT_CODE, "name": NAME, "division_code": "210302"}
            | {"industry_code": "3110"},
            actor="test",
        )
    return int(row["id"])
