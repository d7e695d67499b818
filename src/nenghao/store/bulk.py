"""Bulk statements over column arrays on PostgreSQL.

``INSERT ... SELECT FROM unnest(%b::type[], ...)`` writes a whole batch in one statement,
where the driver's executemany sends a statement per row with a Python round each. The arrays
go as ``%b`` (binary) parameters: in the text format psycopg quotes and escapes every element
with a regular expression, which for thousands of values costs more than the statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection


def execute_arrays(connection: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run `sql` (one ``%b`` placeholder, binary, per column) with the columns of `rows` as arrays.

    In the connection's current transaction; PostgreSQL (psycopg 3) only.
    """
    if connection.dialect.name != "postgresql":
        raise ValueError("column arrays are a PostgreSQL statement")
    columns = [list(column) for column in zip(*rows, strict=True)]
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute(sql, columns)
