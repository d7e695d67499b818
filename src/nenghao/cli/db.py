"""``nenghao db``: schema migrations, month partitions, archive compression."""

from __future__ import annotations

from typing import Annotated

import typer

from nenghao.cli.common import console, engine, fail, reported, say, settings, when
from nenghao.store import partitions
from nenghao.store.archive_retention import compress_bodies, cutoff
from nenghao.store.common import now
from nenghao.store.migrate import current_revision, upgrade

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Migrate the configured database to the newest schema."""
    current = settings()
    db = engine(current)
    try:
        upgrade(db)
        revision = current_revision(db)
    finally:
        db.dispose()
    console.print(f"database {db.url.render_as_string(hide_password=True)} at revision {revision}")


@app.command("current")
def current_command() -> None:
    """Print the schema revision of the configured database."""
    db = engine()
    try:
        console.print(current_revision(db) or "empty (run `nenghao db upgrade`)")
    finally:
        db.dispose()


partitions_app = typer.Typer(
    help="Month partitions of readings and the raw archive (PostgreSQL).", no_args_is_help=True
)
app.add_typer(partitions_app, name="partitions")


@partitions_app.command("list")
def partitions_list_command() -> None:
    """List the partitions with their bounds, estimated rows and sizes."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            if not partitions.is_partitioned(conn):
                say("SQLite: readings and the archive are not partitioned (one file)")
                return
            found = partitions.describe(conn)
    finally:
        db.dispose()
    for p in found:
        say(
            f"{p.table:<15} {p.name:<26} {p.bounds:<52} rows~{max(p.rows, 0):>11,}"
            f"  table {p.table_bytes / 1e6:>9.1f} MB  indexes {p.index_bytes / 1e6:>9.1f} MB"
        )


@partitions_app.command("create")
def partitions_create_command(
    ahead: Annotated[
        int | None,
        typer.Option(
            min=0, max=120, help="Months ahead (default: NENGHAO_PARTITION_MONTHS_AHEAD)."
        ),
    ] = None,
) -> None:
    """Create this month's partitions and the coming months', and move rows waiting in the
    default partitions into their months."""
    current = settings()
    db = engine(current)
    months = current.partition_months_ahead if ahead is None else ahead
    try:
        with reported(), db.begin() as conn:
            created = partitions.ensure(conn, now(), months)
    finally:
        db.dispose()
    say(f"created {len(created)} partition(s)" + (": " + ", ".join(created) if created else ""))


@app.command("archive-compress")
def archive_compress_command(
    after_months: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1200,
            help="Compress bodies received before the CST month this many months ago"
            " (default: NENGHAO_ARCHIVE_COMPRESS_AFTER_MONTHS).",
        ),
    ] = None,
) -> None:
    """Compress (gzip) the raw archive bodies older than the retention setting."""
    current = settings()
    months = current.archive_compress_after_months if after_months is None else after_months
    if months == 0:
        fail("archive compression is off (NENGHAO_ARCHIVE_COMPRESS_AFTER_MONTHS=0)")
    db = engine(current)
    before = cutoff(now(), months)
    try:
        with reported():
            done = compress_bodies(db, before)
    finally:
        db.dispose()
    say(
        f"compressed {done.bodies} archive bod{'y' if done.bodies == 1 else 'ies'} received"
        f" before {when(before)} CST: {done.bytes_before:,} -> {done.bytes_after:,} bytes"
    )
