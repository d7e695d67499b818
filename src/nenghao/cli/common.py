"""What the commands share: consoles, settings, engine, and one way to fail."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from nenghao.app.error_codes import describe
from nenghao.config import Settings
from nenghao.ingest.service import UplinkService
from nenghao.store.engine import make_engine

Enterprise = Annotated[
    str, typer.Option("--enterprise", "-e", help="Enterprise id or credit code.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
console = Console()
err_console = Console(stderr=True)

BAD_INPUT = 2
"""Exit code for input the command cannot use (same as a usage error)."""


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def reported() -> Iterator[None]:
    """Turn known domain errors into a one-line message and exit code 2."""
    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        fail(
            f"database not ready ({exc.__class__.__name__}); check NENGHAO_DATABASE_URL "
            "and run `nenghao db upgrade`",
            code=1,
        )
    except Exception as exc:
        known = describe(exc)
        if known is None:
            raise
        code, message = known
        fail(f"{message} [{code}]")


def settings() -> Settings:
    """Settings read fresh from the environment."""
    return Settings()


def engine(current: Settings | None = None) -> Engine:
    """An engine on the configured database."""
    return make_engine((current or settings()).resolved_database_url())


def uplink(current: Settings, db: Engine) -> UplinkService:
    """The uplink service on `db`, configured by `current` (limits, master key)."""
    from nenghao.app.uplink import build_uplink

    return build_uplink(current, db)


def actor() -> str:
    """The audit actor of command-line writes."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


@contextmanager
def session(*, write: bool = False) -> Iterator[Connection]:
    """A connection on the configured database (one transaction when `write`), with known
    errors reported as `reported` does."""
    db = engine()
    try:
        with reported(), db.begin() if write else db.connect() as conn:
            yield conn
    finally:
        db.dispose()


def say(text: str) -> None:
    """Print a line as it is (no markup)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    """Print `value` as JSON, Chinese as is."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def when(instant: int | None) -> str:
    """An instant as CST ``YYYY-MM-DD HH:MM`` ('' for none)."""
    from nenghao.standards.calendar import to_cst

    return "" if instant is None else to_cst(instant).strftime("%Y-%m-%d %H:%M")
