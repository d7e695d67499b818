"""Migrations build the schema the code declares, on both backends."""

from __future__ import annotations

from sqlalchemy import inspect

from nenghao.store.migrate import current_revision
from nenghao.store.schema import metadata


def test_migrated_schema_has_every_declared_table_and_column(engine):
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        assert columns == set(table.columns.keys()), table.name
    assert current_revision(engine) is not None
