"""``nenghao demo``: build (or reuse) the synthetic Anshan city, demo accounts, then serve."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Connection, Engine, func, select

from nenghao.cli.common import console, fail, reported
from nenghao.cli.serve import run_server
from nenghao.config import Settings
from nenghao.standards.calendar import cst_date
from nenghao.standards.vocabulary import ROLES
from nenghao.store import users
from nenghao.store.common import InvalidInputError
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.private_files import private_dir
from nenghao.store.schema import enterprises

ACTOR = "cli:demo"
ACCOUNTS_FILE = "demo-accounts.txt"


def username(role: str) -> str:
    """The demo account name of a role."""
    return f"demo-{role}"


def _build(engine: Engine, days: int | None, settings: Settings) -> tuple[str, int]:
    from nenghao.app.monitoring import score_history
    from nenghao.demo import build_demo

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            summary = build_demo(engine, days=days, progress=progress)
        except ValueError as exc:
            fail(f"demo build refused: {exc}")
        console.print(
            f"built {summary.enterprises} enterprises, {summary.items} data items, "
            f"{summary.readings} readings in {summary.seconds:.1f} s; data quality and alerts:"
        )
        first = cst_date(int(summary.start.timestamp()))
        last = cst_date(int(summary.end.timestamp()) - 1)
        started = time.perf_counter()
        months = score_history(engine, settings, first, last, progress)
    console.print(
        f"monitor: {months} months evaluated and scored in {time.perf_counter() - started:.1f} s"
    )
    return summary.district_division, summary.showcase_enterprise_id


def _existing_scope(conn: Connection) -> tuple[str, int]:
    """Division and enterprise for the demo accounts of a database built earlier."""
    district = users.get_by_username(conn, username("district"))
    showcase = users.get_by_username(conn, username("enterprise"))
    if district and showcase:
        return district["division_code"], showcase["enterprise_id"]
    count = func.count().label("n")
    division = conn.execute(
        select(enterprises.c.division_code, count)
        .group_by(enterprises.c.division_code)
        .order_by(count.desc(), enterprises.c.division_code)
    ).first()
    if division is None:
        raise typer.BadParameter("the database holds no enterprises; use --rebuild")
    first = conn.execute(
        select(func.min(enterprises.c.id)).where(
            enterprises.c.division_code == division.division_code
        )
    ).scalar_one()
    return division.division_code, int(first)


def _drop_enterprise_account(engine: Engine) -> None:
    """Remove the demo enterprise account, which points at an enterprise a rebuild replaces."""
    with engine.begin() as conn:
        row = users.get_by_username(conn, username("enterprise"))
        if row is not None:
            users.delete(conn, row["id"], actor=ACTOR)


def strong_password(name: str) -> str:
    """A fresh random password (20 characters, 120 bits) that passes the strength rule."""
    while True:
        candidate = secrets.token_urlsafe(15)
        try:
            users.check_password(candidate, name)
        except InvalidInputError:  # a random draw that happens to look guessable
            continue
        return candidate


def ensure_accounts(engine: Engine, division: str, enterprise_id: int) -> dict[str, str]:
    """One account per role with a fresh strong password; returns username -> password."""
    accounts: dict[str, str] = {}
    with engine.begin() as conn:
        for role in ROLES:
            name = username(role)
            password = strong_password(name)
            scope: dict[str, Any] = {
                "division_code": division if role == "district" else None,
                "enterprise_id": enterprise_id if role == "enterprise" else None,
            }
            row = users.get_by_username(conn, name)
            if row is None:
                users.create(
                    conn, username=name, password=password, role=role, actor=ACTOR, **scope
                )
            else:
                users.update(conn, row["id"], {"role": role, "active": True, **scope}, actor=ACTOR)
                users.set_password(conn, row["id"], password, actor=ACTOR)
            accounts[name] = password
    return accounts


def write_accounts(path: Path, accounts: dict[str, str], url: str) -> None:
    """Write the accounts to `path`, readable by the owner only (0600)."""
    lines = [f"# nenghao demo accounts for {url}", "# username\tpassword"]
    lines += [f"{name}\t{password}" for name, password in accounts.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)


def demo(
    data_dir: Annotated[Path, typer.Option(help="Where the demo database lives.")] = Path("var"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only.")] = False,
    days: Annotated[int | None, typer.Option(min=1, help="Days of history to build.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build even if present.")] = False,
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Build the demo city (or reuse it), create one account per role, and serve."""
    from nenghao.demo import demo_present, remove_demo

    os.environ["NENGHAO_DATA_DIR"] = str(data_dir)
    current = Settings(data_dir=data_dir)
    private_dir(data_dir)
    engine = make_engine(current.resolved_database_url())
    try:
        with reported():
            upgrade(engine)
            present = demo_present(engine)
            if rebuild or not present:
                _drop_enterprise_account(engine)
                if present:
                    remove_demo(engine)
                division, enterprise_id = _build(engine, days, current)
            else:
                console.print("demo data present: reusing it (--rebuild to build again)")
                with engine.connect() as conn:
                    division, enterprise_id = _existing_scope(conn)
            accounts = ensure_accounts(engine, division, enterprise_id)
    finally:
        engine.dispose()
    path = data_dir / ACCOUNTS_FILE
    url = f"http://{host or current.host}:{port or current.port}"
    write_accounts(path, accounts, url)
    table = Table(title=f"demo accounts (also in {path}, mode 0600)")
    for column in ("username", "password", "role", "scope"):
        table.add_column(column)
    for role in ROLES:
        scope = {"district": division, "enterprise": f"enterprise {enterprise_id}"}.get(role, "all")
        table.add_row(username(role), accounts[username(role)], role, scope)
    console.print(table)
    if not no_serve:
        console.print(f"serving {url} (API at {url}/api/v1, Ctrl-C to stop)")
        run_server(current, host, port)
