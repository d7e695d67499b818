"""``nenghao device``: issue, rotate, revoke and list device credentials (regulator tasks).

Secrets are printed once, on issue and rotation, and never logged.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from nenghao.cli.common import (
    actor,
    console,
    engine,
    err_console,
    fail,
    reported,
    settings,
    uplink,
)
from nenghao.cli.users import resolve_enterprise
from nenghao.config import Settings
from nenghao.ingest.broker_sync import after_key_change
from nenghao.standards.jsonable import iso
from nenghao.store import devices
from nenghao.store.scope import Scope

app = typer.Typer(help="Device credentials of enterprise gateways.", no_args_is_help=True)


def _show_secret(key_id: str, secret: str, what: str) -> None:
    console.print(f"{what} key {key_id}")
    console.print(f"secret {secret}", markup=False, highlight=False)
    console.print("(shown once: configure it on the device now; only its fingerprint is kept)")


def _when(instant: int | None) -> str:
    return iso(instant) or ""


def _sync_broker(current: Settings, key_id: str) -> None:
    """Bring the MQTT broker in step with a changed key (when the platform manages it)."""
    db = engine(current)
    try:
        warning = after_key_change(uplink(current, db).credentials, current, key_id)
    finally:
        db.dispose()
    if warning:
        err_console.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)


@app.command("issue")
def issue(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    label: Annotated[str | None, typer.Option(help="A name for the device.")] = None,
) -> None:
    """Issue a new key id and secret for an enterprise's device."""
    current = settings()
    db = engine(current)
    try:
        with reported(), db.begin() as conn:
            enterprise_id = resolve_enterprise(conn, enterprise)
            issued = devices.issue(
                conn,
                Scope.all(),
                enterprise_id,
                master_key=uplink(current, db).credentials.master_key(),
                label=label,
                actor=actor(),
            )
    finally:
        db.dispose()
    assert issued is not None
    row, secret = issued
    _show_secret(row["key_id"], secret, "issued")
    _sync_broker(current, row["key_id"])


@app.command("rotate")
def rotate(key_id: Annotated[str, typer.Argument(help="The key id.")]) -> None:
    """Give a key a new secret; the old secret stops working at once."""
    current = settings()
    db = engine(current)
    try:
        with reported(), db.begin() as conn:
            rotated = devices.rotate(
                conn,
                Scope.all(),
                key_id,
                master_key=uplink(current, db).credentials.master_key(),
                actor=actor(),
            )
    finally:
        db.dispose()
    if rotated is None:
        fail(f"no active device credential {key_id!r} [device_not_found]")
    _show_secret(key_id, rotated[1], "rotated")
    _sync_broker(current, key_id)


@app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key id.")]) -> None:
    """Revoke a key (idempotent): the device can no longer upload."""
    current = settings()
    db = engine(current)
    try:
        with reported(), db.begin() as conn:
            row = devices.revoke(conn, Scope.all(), key_id, actor=actor())
    finally:
        db.dispose()
    if row is None:
        fail(f"no device credential {key_id!r} [device_not_found]")
    console.print(f"revoked key {key_id}")
    _sync_broker(current, key_id)


@app.command("list")
def list_command(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
) -> None:
    """List an enterprise's device credentials (revoked ones too)."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            page = devices.list_devices(conn, Scope.all(), resolve_enterprise(conn, enterprise))
            rows = page.items
    finally:
        db.dispose()
    table = Table(title=f"{len(rows)} device credentials")
    table.add_column("key id", no_wrap=True, min_width=20)
    for column in ("label", "active", "created", "rotated", "revoked"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["key_id"],
            row["label"] or "",
            "yes" if row["active"] else "no",
            _when(row["created_at"]),
            _when(row["rotated_at"]),
            _when(row["revoked_at"]),
        )
    console.print(table)
