"""``nenghao enterprises``: add, change, list and show enterprises of the register, with their
energy manager (能源管理负责人) and contacts."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.cli.common import actor, console, engine, fail, reported
from nenghao.cli.users import resolve_enterprise
from nenghao.standards.vocabulary import KeyUnitLevel
from nenghao.store import enterprises, register
from nenghao.store.scope import Scope

app = typer.Typer(help="The enterprise register (企业名录).", no_args_is_help=True)

Opt = typer.Option
Text = Annotated[str | None, Opt()]
ContactsOpt = Annotated[
    list[str] | None,
    Opt(
        "--contact",
        help="A contact as 'name|role|phone|email' (role, phone, e-mail may be empty); "
        "repeat for several. Given, the contacts replace the stored ones.",
    ),
]


def _contacts(given: list[str] | None, clear: bool) -> dict[str, Any]:
    """The ``contacts`` part of a change from the --contact options (or none)."""
    if clear:
        return {"contacts": []}
    if not given:
        return {}
    rows = []
    for text in given:
        parts = [part.strip() for part in text.split("|")]
        if len(parts) > 4:
            fail(f"--contact {text!r}: at most name|role|phone|email [invalid_contact]")
        parts += [""] * (4 - len(parts))
        rows.append(dict(zip(("name", "role", "phone", "email"), parts, strict=True)))
    return {"contacts": rows}


def _manager(name: str | None, phone: str | None, certificate: str | None, email: str | None,
             current: dict[str, Any] | None) -> dict[str, Any]:  # fmt: skip
    """The ``manager`` part of a change: the given fields over the current manager."""
    given = {"name": name, "phone": phone, "certificate_number": certificate, "email": email}
    given = {k: v for k, v in given.items() if v is not None}
    if not given:
        return {}
    return {"manager": {**(current or {}), **given}}


ManagerName = Annotated[str | None, Opt(help="Energy manager's name (能源管理负责人).")]
ManagerPhone = Annotated[str | None, Opt(help="Energy manager's phone: mobile or 0412-1234567.")]
ManagerCert = Annotated[str | None, Opt(help="Energy manager's certificate number (证书编号).")]
ManagerEmail = Annotated[str | None, Opt(help="Energy manager's e-mail.")]
ClearContacts = Annotated[bool, Opt("--clear-contacts", help="Remove every contact.")]


@app.command("add")
def add(
    credit_code: Annotated[str, typer.Argument(help="Unified social credit code.")],
    name: Annotated[str, typer.Argument(help="Registered name.")],
    division: Annotated[str, Opt(help="GB/T 2260 division code, e.g. 210381.")],
    industry: Annotated[str, Opt(help="GB/T 4754 class, e.g. 3089.")],
    level: Annotated[KeyUnitLevel, Opt(help="Key-unit level.")] = "key",
    address: Text = None,
    manager_name: ManagerName = None,
    manager_phone: ManagerPhone = None,
    manager_certificate: ManagerCert = None,
    manager_email: ManagerEmail = None,
    contact: ContactsOpt = None,
) -> None:
    """Register an enterprise (validated as the API validates it)."""
    values: dict[str, Any] = {
        "credit_code": credit_code,
        "name": name,
        "division_code": division,
        "industry_code": industry,
        "key_unit_level": level,
        "address": address,
    }
    values |= _manager(manager_name, manager_phone, manager_certificate, manager_email, None)
    values |= _contacts(contact, False)
    db = engine()
    try:
        with reported(), db.begin() as conn:
            row = register.create_enterprise(conn, Scope.all(), values, actor=actor(), remote=None)
    finally:
        db.dispose()
    console.print(f"added enterprise {row['id']} {row['credit_code']} {row['name']}")


@app.command("change")
def change(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    name: Text = None,
    credit_code: Text = None,
    division: Text = None,
    industry: Text = None,
    level: Annotated[KeyUnitLevel | None, Opt(help="Key-unit level.")] = None,
    address: Text = None,
    active: Annotated[bool | None, Opt("--active/--inactive")] = None,
    manager_name: ManagerName = None,
    manager_phone: ManagerPhone = None,
    manager_certificate: ManagerCert = None,
    manager_email: ManagerEmail = None,
    contact: ContactsOpt = None,
    clear_contacts: ClearContacts = False,
) -> None:
    """Change the given fields; the rest stay as they are."""
    fields = {
        "name": name,
        "credit_code": credit_code,
        "division_code": division,
        "industry_code": industry,
        "key_unit_level": level,
        "address": address,
        "active": active,
    }
    db = engine()
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            current = register.read(conn, enterprise_id)["manager"]
            changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
            changes |= _manager(
                manager_name, manager_phone, manager_certificate, manager_email, current
            )
            changes |= _contacts(contact, clear_contacts)
            row = register.update_enterprise(
                conn, Scope.all(), enterprise_id, changes, actor=actor(), remote=None
            )
    finally:
        db.dispose()
    assert row is not None
    console.print(f"changed enterprise {row['id']} {row['credit_code']} {row['name']}")


@app.command("list")
def list_command(
    division: Text = None,
    q: Annotated[str | None, Opt("--search", help="Part of the name or credit code.")] = None,
) -> None:
    """List the register."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            page = enterprises.list_enterprises(
                conn, Scope.all(), division=division, q=q, limit=None
            )
    finally:
        db.dispose()
    table = Table(title=f"{page.total} enterprises")
    for column in ("id", "credit code", "name", "division", "industry", "level", "active"):
        table.add_column(column)
    for row in page.items:
        table.add_row(
            str(row["id"]),
            row["credit_code"],
            row["name"],
            row["division_code"],
            row["industry_code"],
            row["key_unit_level"],
            "yes" if row["active"] else "no",
        )
    console.print(table)


@app.command("show")
def show(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    as_json: Annotated[bool, Opt("--json", help="Print JSON.")] = False,
) -> None:
    """One enterprise with its energy manager and contacts."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            row = register.record(conn, Scope.all(), resolve_enterprise(conn, enterprise))
    finally:
        db.dispose()
    assert row is not None
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False, indent=2, default=str))
        return
    for key in ("id", "credit_code", "name", "division_code", "industry_code", "key_unit_level",
                "address", "contact", "active"):  # fmt: skip
        console.print(f"{key}: {row[key]}", markup=False, highlight=False)
    manager = row["manager"] or {}
    console.print(
        "manager: " + " / ".join(str(manager.get(k) or "–") for k in register.MANAGER_FIELDS),
        markup=False,
        highlight=False,
    )
    for contact in row["contacts"]:
        console.print(
            "contact: " + " / ".join(str(contact[k] or "–") for k in register.CONTACT_FIELDS),
            markup=False,
            highlight=False,
        )
