"""Migration 0014 adds the notice tables and takes them away again, on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from nenghao.store.migrate import alembic_config, upgrade

TABLES = {"notices", "notice_recipients", "notice_attachments", "notice_receipts"}


def test_0014_adds_and_removes_the_notice_tables(engine):
    assert set(inspect(engine).get_table_names()) >= TABLES
    command.downgrade(alembic_config(engine), "0009")
    try:
        assert not set(inspect(engine).get_table_names()) & TABLES
    finally:
        upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
