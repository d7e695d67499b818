"""Migration 0016 adds the project tables and takes them away again, on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from nenghao.store.migrate import alembic_config, upgrade

TABLES = {
    "projects",
    "project_energy",
    "project_products",
    "project_steps",
    "project_documents",
    "project_items",
}


def test_0016_adds_and_removes_the_project_tables(engine):
    assert set(inspect(engine).get_table_names()) >= TABLES
    command.downgrade(alembic_config(engine), "0015")
    try:
        assert not set(inspect(engine).get_table_names()) & TABLES
    finally:
        upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
