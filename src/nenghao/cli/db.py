"""``nenghao db``: schema migrations."""

from __future__ import annotations

import typer

from nenghao.cli.common import console, engine, settings
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
