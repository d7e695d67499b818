"""``nenghao user``: add, list and re-password users."""

from __future__ import annotations

from typing import Annotated, cast

import typer
from rich.table import Table
from sqlalchemy import Connection

from nenghao.cli.common import actor, console, engine, fail, reported
from nenghao.standards.digits import is_digits
from nenghao.standards.vocabulary import Role
from nenghao.store import enterprises, users
from nenghao.store.credit_code import validate_credit_code
from nenghao.store.scope import Scope

app = typer.Typer(help="Users and roles.", no_args_is_help=True)


def resolve_enterprise(conn: Connection, ref: str) -> int:
    """An enterprise id from an id or a unified social credit code."""
    if is_digits(ref) and len(ref) < 10:
        row = enterprises.get(conn, Scope.all(), int(ref))
    else:
        row = enterprises.get_by_credit_code(conn, Scope.all(), validate_credit_code(ref))
    if row is None:
        fail(f"no enterprise {ref!r} (give its id or credit code) [unknown_enterprise]")
    return int(row["id"])


def _password(given: str | None) -> str:
    if given is not None:
        return given
    return cast(str, typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[Role, typer.Option(help="Role.")],
    division: Annotated[str | None, typer.Option(help="Division code (district).")] = None,
    enterprise: Annotated[
        str | None, typer.Option(help="Enterprise id or credit code (enterprise).")
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Shown name.")] = None,
    password: Annotated[str | None, typer.Option(help="Password (prompted if absent).")] = None,
) -> None:
    """Add a user."""
    db = engine()
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise) if enterprise else None
            row = users.create(
                conn,
                username=username,
                password=_password(password),
                role=role,
                division_code=division,
                enterprise_id=enterprise_id,
                display_name=display_name,
                actor=actor(),
            )
    finally:
        db.dispose()
    console.print(f"added user {row['username']} (id {row['id']}, role {row['role']})")


@app.command("list")
def list_command() -> None:
    """List users."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            page = users.list_users(conn, limit=10_000)
    finally:
        db.dispose()
    table = Table(title=f"{page.total} users")
    for column in ("id", "username", "role", "division", "enterprise", "active", "locked"):
        table.add_column(column)
    for u in page.items:
        table.add_row(
            str(u["id"]),
            u["username"],
            u["role"],
            u["division_code"] or "",
            str(u["enterprise_id"] or ""),
            "yes" if u["active"] else "no",
            "locked" if u["locked"] else "",
        )
    console.print(table)


@app.command("passwd")
def passwd(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password: Annotated[str | None, typer.Option(help="New password (prompted if absent).")] = None,
) -> None:
    """Set a user's password (unlocks it and revokes its tokens)."""
    db = engine()
    try:
        with reported(), db.begin() as conn:
            row = users.get_by_username(conn, username)
            if row is None:
                fail(f"no user {username!r} [user_not_found]")
            users.set_password(conn, row["id"], _password(password), actor=actor())
    finally:
        db.dispose()
    console.print(f"password of {username} changed; its sessions were ended")
