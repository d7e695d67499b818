"""``nenghao status``: the device status (设备在线状态) of the enterprises — the city's list
and one enterprise's records per day and per device credential."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from nenghao.cli.common import AsJson, Enterprise, console, fail, print_json, say, session, when
from nenghao.cli.users import resolve_enterprise
from nenghao.monitor import device_status, device_traffic
from nenghao.standards.digits import is_digits
from nenghao.store import common
from nenghao.store.scope import Scope

app = typer.Typer(help="Device status (设备在线状态) of the enterprises.", no_args_is_help=True)

State = Literal["online", "offline", "offline_long", "never"]
STATE_ZH = {"online": "在线", "offline": "离线", "offline_long": "长期离线", "never": "从未上线"}


def _rate(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1%}"


@app.command("list")
def list_command(
    state: Annotated[State | None, typer.Option(help="Only enterprises in this state.")] = None,
    division: Annotated[
        str | None, typer.Option(help="GB/T 2260 division code, e.g. 210302.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """State, last contact, today's completeness and 30-day online rate of each active
    enterprise, offline for more than 3 working days first."""
    if division is not None and not (len(division) == 6 and is_digits(division)):
        fail(f"division must be a 6-digit GB/T 2260 code, not {division!r} [invalid_division]")
    with session() as conn:
        rows = device_status.city(conn, Scope.all(), common.now(), division=division)
    rows = [row for row in rows if state is None or row["state"] == state]
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} enterprises (企业)")
    for column in ("enterprise", "division", "state", "last seen", "today", "30-day rate"):
        table.add_column(column)
    for row in rows:
        today = row["today"]
        table.add_row(
            row["enterprise_name"],
            row["division_name"],
            STATE_ZH[row["state"]] + (" · 故障报备" if row["open_fault"] else ""),
            when(row["last_seen_at"]),
            f"{today['received']}/{today['expected']}",
            _rate(row["online_rate"]),
        )
    console.print(table)


@app.command("show")
def show(
    enterprise: Enterprise,
    days: Annotated[int, typer.Option(min=1, max=366, help="CST days up to today.")] = 30,
    as_json: AsJson = False,
) -> None:
    """One enterprise: records received against expected per day, and per credential."""
    at = common.now()
    with session() as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        rows = device_status.city(conn, Scope.all(), at, enterprise_ids=[enterprise_id])
        if not rows:
            fail(f"enterprise {enterprise} is not active [enterprise_inactive]")
        series = device_traffic.day_series(conn, Scope.all(), enterprise_id, at, days)
        keys = device_traffic.credentials(conn, enterprise_id, at, days)
    detail: dict[str, Any] = {"as_of": at, "status": rows[0], "days": series, "credentials": keys}
    if as_json:
        print_json(detail)
        return
    row = rows[0]
    say(
        f"{row['enterprise_name']}: {STATE_ZH[row['state']]} ({row['state']}),"
        f" 最近上报 last seen {when(row['last_seen_at']) or '—'},"
        f" 在线率 online rate {_rate(row['online_rate']) or '—'}"
    )
    fault = row["open_fault"]
    if fault:
        say(
            f"故障报备 fault {fault['id']}: {fault['cause_name']},"
            f" 预计修复 expected {fault['expected_repair']}"
        )
    table = Table(title=f"{len(series)} days (日)")
    for column in ("day", "received", "expected", "completeness", "online"):
        table.add_column(column)
    for day in series:
        online = {True: "在线", False: "离线", None: ""}[day["online"]]
        table.add_row(
            str(day["day"]), str(day["received"]), str(day["expected"]),
            _rate(day["completeness"]), online,
        )  # fmt: skip
    console.print(table)
    for key in keys:
        state = "启用" if key["active"] else "已吊销"
        say(f"凭证 credential {key['key_id']} ({state}): 最近 last {when(key['last_seen_at'])}")
