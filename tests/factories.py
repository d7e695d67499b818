"""Small row factories shared by the storage and analytics tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert

from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import data_items, enterprises


def utc(*args: int) -> int:
    """Unix seconds of a UTC date-time given as (year, month, day, hour, ...)."""
    return int(datetime(*args, tzinfo=UTC).timestamp())


def add_enterprise(conn: Connection, org: str, division: str, industry: str) -> int:
    """Insert an enterprise with a valid credit code built from `org`; returns its id."""
    return conn.execute(
        insert(enterprises).values(
            credit_code=make_credit_code(division, org),
            name=f"企业{org}",
            division_code=division,
            industry_code=industry,
            created_at=0,
            updated_at=0,
        )
    ).inserted_primary_key[0]


def add_item(conn: Connection, enterprise: int, code: str, **values: Any) -> int:
    """Insert a data item (an hourly fence energy consumption unless `values` say otherwise)."""
    row = {
        "enterprise_id": enterprise,
        "code": code,
        "name": code,
        "measures": "energy",
        "usage": "consumption",
        "boundary": "enterprise",
        "period": "hour",
        "created_at": 0,
        **values,
    }
    return conn.execute(insert(data_items).values(**row)).inserted_primary_key[0]
