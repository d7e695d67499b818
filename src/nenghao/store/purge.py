"""Delete enterprises together with every row that refers to them, directly or not."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, Table, delete, or_, select

from nenghao.store.schema import enterprises, metadata


def purge_enterprises(connection: Connection, enterprise_ids: Sequence[int]) -> int:
    """Delete the enterprises and all rows reachable through foreign keys; returns how many.

    The doomed rows of each table are found by following the schema's foreign keys from the
    enterprises (items, readings, rollups, devices, users, archives, quarantine, alerts ...),
    then deleted children first, so the function keeps up with new tables by itself.
    """
    ids = list(enterprise_ids)
    if not ids:
        return 0
    doomed: dict[Table, ColumnElement[bool]] = {enterprises: enterprises.c.id.in_(ids)}
    for table in metadata.sorted_tables:  # parents before children
        conditions = [
            fk.parent.in_(select(fk.column).where(doomed[fk.column.table]))
            for fk in table.foreign_keys
            if fk.column.table in doomed and fk.column.table is not table
        ]
        if conditions and table is not enterprises:
            doomed[table] = or_(*conditions)
    for table in reversed(metadata.sorted_tables):
        if table in doomed:
            connection.execute(delete(table).where(doomed[table]))
    return len(ids)
