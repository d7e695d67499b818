"""Device status of each enterprise: last contact, records received against expected per CST
day, the online rate and the state now.

A day counts as online when at least 90 % of its expected records arrived (the national
rules: uploaded ÷ required data points ≥ 90 %, an hourly item needs 24 a day). Expected
records come from the enterprise's active, automatically collected items of a 15-minute (96
a day), hourly (24) or daily (1) period, from the day each was registered; monthly, yearly and
manual items are not counted. Received records come from the counters kept with every store
(`nenghao.store.status_counts`), so the city is computed from a few thousand small rows.

States: ``never`` (no contact ever), ``online`` (contact within the ``device_offline`` rule's
limit, 2 h by default), ``offline_long`` (silent past the ``outage_unrepaired`` rule's repair
limit, 3 working days by the work calendar, the same deadline the outage alert uses) and
``offline`` otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from nenghao.monitor.alerting import settings as rule_settings
from nenghao.monitor.deadlines import repair_deadline, workdays_elapsed
from nenghao.standards import get_catalog
from nenghao.standards.calendar import CST_OFFSET_S, DAY_S, cst_date, cst_midnight
from nenghao.standards.workdays import WorkCalendar
from nenghao.store.faults import open_by_enterprise
from nenghao.store.schema import data_items, enterprises, status_contacts, status_days
from nenghao.store.scope import Scope
from nenghao.store.status_counts import COUNTED_PERIODS

EPOCH = date(1970, 1, 1)
ONLINE_SHARE = 0.9
"""A day is online when received ÷ expected records reaches this share."""
STATES = ("online", "offline", "offline_long", "never")


@dataclass(frozen=True)
class StatusRules:
    """The limits the states use (the alert rules' current settings)."""

    offline_s: float = 7200.0
    workdays: int = 3
    window_days: int = 30

    @classmethod
    def of(cls, conn: Connection) -> StatusRules:
        """The limits as the device_offline and outage_unrepaired rules are configured."""
        rules = rule_settings(conn)
        return cls(
            float(rules["device_offline"].params["offline_hours"]) * 3600,
            int(rules["outage_unrepaired"].params["workdays"]),
        )


@dataclass
class Owed:
    """What one enterprise's counted items owe, grouped: (records per day of one item, how
    many items, their first CST day)."""

    items: list[tuple[int, int, date]]

    def per_day(self, day: date) -> int:
        """Records expected on a whole CST day."""
        return sum(n * k for n, k, first in self.items if first <= day)

    def window(self, start: date, days: int) -> list[int]:
        """Records expected on each of `days` whole CST days from `start`."""
        steps = [0] * (days + 1)
        for n, k, first in self.items:
            steps[min(days, max(0, (first - start).days))] += n * k
        out, total = [], 0
        for step in steps[:days]:
            total += step
            out.append(total)
        return out

    def so_far(self, day: date, elapsed_s: int) -> int:
        """Records expected from the sub-daily items in the first `elapsed_s` of `day`."""
        return sum(
            k * (elapsed_s // (DAY_S // n)) for n, k, first in self.items if n > 1 and first <= day
        )


def owed(conn: Connection, scope: Scope, ids: list[int] | None = None) -> dict[int, Owed]:
    """Counted items of the enterprises in `scope` (optionally `ids`)."""
    first = (data_items.c.created_at + CST_OFFSET_S) // DAY_S
    query = (
        select(data_items.c.enterprise_id, data_items.c.period, first, func.count())
        .where(
            data_items.c.active.is_(True),
            data_items.c.manual.is_(False),
            data_items.c.period.in_(list(COUNTED_PERIODS)),
            scope.enterprise_clause(data_items.c.enterprise_id),
        )
        .group_by(data_items.c.enterprise_id, data_items.c.period, first)
    )
    if ids is not None:
        query = query.where(data_items.c.enterprise_id.in_(ids))
    out: dict[int, Owed] = defaultdict(lambda: Owed([]))
    for enterprise_id, period, day, k in conn.execute(query).all():
        out[enterprise_id].items.append((COUNTED_PERIODS[period], k, EPOCH + timedelta(int(day))))
    return out


def received(
    conn: Connection, scope: Scope, lo: int, ids: list[int] | None = None
) -> dict[int, dict[int, int]]:
    """Records stored per enterprise and CST day from `lo` on: {enterprise: {day: n}}."""
    query = select(status_days.c.enterprise_id, status_days.c.day, status_days.c.records).where(
        status_days.c.day >= lo, scope.enterprise_clause(status_days.c.enterprise_id)
    )
    if ids is not None:
        query = query.where(status_days.c.enterprise_id.in_(ids))
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for enterprise_id, day, records in conn.execute(query).all():
        out[enterprise_id][day] = records
    return out


def day_row(day: date, got: int, due: int, *, partial: bool = False) -> dict[str, Any]:
    """One day's records received against expected; `online` is None when nothing is due
    (or the day is still running)."""
    share = min(1.0, got / due) if due else None
    online = None if partial or share is None else is_online(got, due)
    return {
        "day": day,
        "received": got,
        "expected": due,
        "completeness": share,
        "online": online,
        "partial": partial,
    }


def is_online(got: int, due: int) -> bool:
    """Whether `got` records of `due` make the day online (>= 90 %, in integers)."""
    return got * 10 >= due * 9


def state_of(last: int, as_of: int, offline_s: float, deadline: int) -> str:
    """The state of an enterprise last in contact at `last` whose repair limit ends at
    `deadline` (`repair_deadline`)."""
    if as_of - last <= offline_s:
        return "online"
    return "offline_long" if as_of >= deadline else "offline"


def city(
    conn: Connection,
    scope: Scope,
    as_of: int,
    *,
    division: str | None = None,
    enterprise_ids: list[int] | None = None,
    rules: StatusRules | None = None,
    calendar: WorkCalendar | None = None,
) -> list[dict[str, Any]]:
    """The status of every active enterprise in `scope` (or `division`, or `enterprise_ids`),
    offline-long first, then offline, never, online; by division and name within each."""
    rules = rules or StatusRules.of(conn)
    query = select(enterprises.c.id, enterprises.c.name, enterprises.c.division_code).where(
        enterprises.c.active.is_(True), scope.enterprise_clause()
    )
    if division is not None:
        query = query.where(enterprises.c.division_code == division)
    if enterprise_ids is not None:
        query = query.where(enterprises.c.id.in_(enterprise_ids))
    firms = conn.execute(query).all()
    today = cst_date(as_of)
    midnight = cst_midnight(today)
    window = [today - timedelta(days=k) for k in range(rules.window_days, 0, -1)]
    starts = [cst_midnight(day) for day in window]
    ids = None if enterprise_ids is None and division is None else [f.id for f in firms]
    dues = owed(conn, scope, ids)
    counts = received(conn, scope, starts[0], ids)
    contacts = _contacts(conn, scope, ids)
    faults = open_by_enterprise(conn, scope, ids)
    names = get_catalog().divisions
    windows: dict[tuple[tuple[int, int, date], ...], list[int]] = {}
    silent: dict[int, tuple[int, int]] = {}  # (repair deadline, working days silent) by day
    out = []
    for firm in firms:
        due = dues.get(firm.id) or Owed([])
        got = counts.get(firm.id, {})
        counted = online_days = 0
        key = tuple(due.items)
        if key not in windows:  # enterprises registered alike share their expected counts
            windows[key] = due.window(window[0], len(window))
        for start, need in zip(starts, windows[key], strict=True):
            if need:
                counted += 1
                online_days += is_online(got.get(start, 0), need)
        last = contacts.get(firm.id)
        state, workdays = "never", None
        if last is not None:
            day = (last + CST_OFFSET_S) // DAY_S
            if day not in silent:
                silent[day] = (
                    repair_deadline(last, rules.workdays, calendar),
                    workdays_elapsed(last, as_of, calendar),
                )
            deadline, workdays = silent[day]
            state = state_of(last, as_of, rules.offline_s, deadline)
        place = names.get(firm.division_code)
        out.append(
            {
                "enterprise_id": firm.id,
                "enterprise_name": firm.name,
                "division_code": firm.division_code,
                "division_name": place.name_zh if place else firm.division_code,
                "state": state,
                "last_seen_at": last,
                "silent_workdays": workdays,
                "today": day_row(
                    today,
                    got.get(midnight, 0),
                    due.so_far(today, as_of - midnight),
                    partial=True,
                ),
                "online_days": online_days,
                "counted_days": counted,
                "online_rate": online_days / counted if counted else None,
                "open_fault": faults.get(firm.id),
            }
        )
    order = {"offline_long": 0, "offline": 1, "never": 2, "online": 3}
    out.sort(key=lambda r: (order[r["state"]], r["division_code"], r["enterprise_name"]))
    return out


def districts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per division of the `city` rows: enterprises per state and the pooled online rate
    (online days ÷ counted days of all its enterprises)."""
    cells: dict[str, dict[str, Any]] = {}
    for row in rows:
        cell = cells.setdefault(
            row["division_code"],
            {
                "division_code": row["division_code"],
                "division_name": row["division_name"],
                "enterprises": 0,
                **dict.fromkeys(STATES, 0),
                "open_faults": 0,
                "online_days": 0,
                "counted_days": 0,
            },
        )
        cell["enterprises"] += 1
        cell[row["state"]] += 1
        cell["open_faults"] += row["open_fault"] is not None
        cell["online_days"] += row["online_days"]
        cell["counted_days"] += row["counted_days"]
    for cell in cells.values():
        cell["online_rate"] = (
            cell["online_days"] / cell["counted_days"] if cell["counted_days"] else None
        )
    return [cells[code] for code in sorted(cells)]


def _contacts(conn: Connection, scope: Scope, ids: list[int] | None) -> Mapping[int, int]:
    query = select(status_contacts.c.enterprise_id, status_contacts.c.last_seen_at).where(
        scope.enterprise_clause(status_contacts.c.enterprise_id)
    )
    if ids is not None:
        query = query.where(status_contacts.c.enterprise_id.in_(ids))
    return dict(conn.execute(query).all())
