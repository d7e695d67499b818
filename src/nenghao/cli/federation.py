"""``nenghao federation``: forwarding upstream (set-upstream, status, backfill, forward) and
the member platforms of an upstream (add-member, members, revoke-member). docs/federation.md.

A member's secret is printed once, on add-member, and never logged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from nenghao.cli.common import AsJson, actor, console, engine, fail, reported, settings, uplink
from nenghao.federation.backfill import backfill as queue_backfill
from nenghao.federation.forwarder import ADAPTERS, BatchLimits, Forwarder
from nenghao.federation.status import forwarding_status, member_status
from nenghao.standards.jsonable import iso
from nenghao.store import federation
from nenghao.store.common import now

app = typer.Typer(
    help="Forwarding to an upstream platform; member platforms.", no_args_is_help=True
)


def _master_key() -> bytes:
    current = settings()
    db = engine(current)
    try:
        return uplink(current, db).credentials.master_key()
    finally:
        db.dispose()


@app.command("set-upstream")
def set_upstream(
    url: Annotated[str, typer.Argument(help="The upstream platform, e.g. https://ln.example.cn")],
    key_id: Annotated[str, typer.Option("--key-id", help="The key id the upstream issued.")],
    secret_file: Annotated[
        Path, typer.Option("--secret-file", help="A file holding the secret it issued.")
    ],
    adapter: Annotated[str, typer.Option(help="The upstream's protocol.")] = "nenghao",
) -> None:
    """Forward this platform's data to URL from now on (stored data: see backfill)."""
    if adapter not in ADAPTERS:
        fail(f"adapter: one of {', '.join(sorted(ADAPTERS))}, got {adapter!r}")
    try:
        secret = secret_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        fail(f"--secret-file: {exc.strerror or exc}")
    master = _master_key()
    db = engine()
    try:
        with reported(), db.begin() as conn:
            federation.set_upstream(
                conn,
                url=url,
                adapter=adapter,
                key_id=key_id,
                secret=secret,
                master_key=master,
                actor=actor(),
            )
    finally:
        db.dispose()
    console.print(f"forwarding to {url.rstrip('/')} as {key_id} ({adapter})", markup=False)


@app.command("clear-upstream")
def clear_upstream() -> None:
    """Stop forwarding (entries already in the outbox stay, for a later upstream)."""
    db = engine()
    try:
        with reported(), db.begin() as conn:
            removed = federation.clear_upstream(conn, actor=actor())
    finally:
        db.dispose()
    console.print("forwarding stopped" if removed else "no upstream was configured")


@app.command("status")
def status(as_json: AsJson = False) -> None:
    """The upstream, the outbox depth, the last delivery and the lag; the members."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            answer = forwarding_status(conn, now())
            answer["members"] = member_status(conn)
    finally:
        db.dispose()
    if as_json:
        console.print_json(json.dumps(answer, ensure_ascii=False, default=str))
        return
    upstream = answer["upstream"]
    if upstream is None:
        console.print("upstream: none (this platform does not forward)")
    else:
        console.print(f"upstream: {upstream['url']} ({upstream['adapter']}, {upstream['key_id']})")
        console.print(
            f"last delivery: {iso(upstream['last_delivery_at']) or 'never'}; delivered"
            f" {upstream['delivered_entries']} entries, {upstream['delivered_records']} readings"
        )
        if upstream["failures"]:
            console.print(
                f"failing: {upstream['failures']} in a row, next attempt"
                f" {iso(upstream['next_attempt_at'])}: {upstream['last_error']}",
                markup=False,
            )
    console.print(
        f"outbox: {answer['outbox_entries']} entries, {answer['outbox_records']} readings;"
        f" lag {answer['lag_s']} s"
    )
    if answer["members"]:
        _members_table(answer["members"])


def _members_table(rows: list[dict]) -> None:  # type: ignore[type-arg]
    table = Table("name", "divisions", "key id", "active", "enterprises", "entries", "last batch")
    for row in rows:
        table.add_row(
            row["name"],
            ",".join(row["divisions"]),
            row["key_id"],
            "yes" if row["revoked_at"] is None else "revoked",
            str(row.get("enterprises", "")),
            str(row["applied_entries"]),
            iso(row["last_batch_at"]) or "",
        )
    console.print(table)


@app.command("backfill")
def backfill(
    credit_code: Annotated[
        list[str] | None, typer.Option("--enterprise", "-e", help="Only these (credit codes).")
    ] = None,
) -> None:
    """Queue the register, items and current readings already stored (once, on joining)."""
    db = engine()

    def told(code: str, count: int) -> None:
        console.print(f"{code}: {count} readings queued", markup=False)

    try:
        with reported():
            try:
                entries, readings = queue_backfill(db, credit_code, progress=told)
            except RuntimeError as exc:
                fail(str(exc))
    finally:
        db.dispose()
    console.print(f"queued {entries} entries, {readings} readings")


@app.command("forward")
def forward() -> None:
    """Deliver the outbox now, in the foreground (the server does it in the background)."""
    current = settings()
    db = engine(current)
    try:
        service = uplink(current, db)
        limits = BatchLimits(records=current.federation_batch_records)
        with reported():
            delivered = Forwarder(db, service.credentials.master_key, limits=limits).run_round()
            with db.connect() as conn:
                answer = forwarding_status(conn, now())
    finally:
        db.dispose()
    console.print(f"delivered {delivered} entries; {answer['outbox_entries']} waiting")
    upstream = answer["upstream"]
    if upstream and upstream["failures"]:
        fail(f"delivery failed: {upstream['last_error']}", code=1)


@app.command("add-member")
def add_member(
    name: Annotated[str, typer.Argument(help="The member platform, e.g. 鞍山市")],
    divisions: Annotated[
        list[str], typer.Option("--divisions", help="Division code prefixes it may write.")
    ],
) -> None:
    """Register a member platform; prints its key id and secret once."""
    codes = [code for value in divisions for code in value.split(",") if code.strip()]
    master = _master_key()
    db = engine()
    try:
        with reported(), db.begin() as conn:
            row, secret = federation.add_member(conn, name, codes, master_key=master, actor=actor())
    finally:
        db.dispose()
    console.print(f"member {row['name']} ({','.join(row['divisions'])}) key {row['key_id']}")
    console.print(f"secret {secret}", markup=False, highlight=False)
    console.print(
        "(shown once: give it to the member for set-upstream; only its fingerprint is kept)"
    )


@app.command("members")
def members(as_json: AsJson = False) -> None:
    """List the member platforms."""
    db = engine()
    try:
        with reported(), db.connect() as conn:
            rows = member_status(conn)
    finally:
        db.dispose()
    if as_json:
        console.print_json(json.dumps(rows, ensure_ascii=False, default=str))
        return
    _members_table(rows)


@app.command("revoke-member")
def revoke_member(name: Annotated[str, typer.Argument(help="The member platform.")]) -> None:
    """Revoke a member's credential: its batches are refused from now on."""
    db = engine()
    try:
        with reported(), db.begin() as conn:
            row = federation.revoke_member(conn, name, actor=actor())
    finally:
        db.dispose()
    console.print(f"member {row['name']} revoked at {iso(row['revoked_at'])}")
