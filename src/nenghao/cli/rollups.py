"""``nenghao rollups rebuild``: recompute the hour/day/month/year rollups from the readings."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from nenghao.cli.common import console, engine, reported

app = typer.Typer(
    help="Rollups of readings by CST hour, day, month and year.", no_args_is_help=True
)


@app.command("rebuild")
def rebuild(
    item: Annotated[
        list[int] | None, typer.Option("--item", help="Only this data item id (repeatable).")
    ] = None,
) -> None:
    """Recompute the rollups (every item, or the --item ids) in one transaction."""
    from nenghao.store.rollups import rebuild as rebuild_rollups

    with reported():
        db = engine()
        started = time.perf_counter()
        with db.begin() as conn:
            written = rebuild_rollups(conn, item or None)
        db.dispose()
    console.print(f"rebuilt {written:,} rollup rows in {time.perf_counter() - started:.1f} s")
