"""Alerts, alert-rule settings, notification channels and deliveries.

At most one alert per rule and subject is active (open or acknowledged): a repeat of the
condition counts an occurrence and moves ``last_seen``. Transitions open -> acknowledged ->
resolved record who, when and the comment, and are audited. Reads are scoped: a caller sees
alerts of enterprises in its scope (`Scope.enterprise_clause`) and, for a district, the
alerts about its division as a whole; alerts about the city as a whole only the city-wide
roles.

Rules judging an enterprise against a limit set by the authority (`REGULATED_RULES`) are
closed only by a regulator (or by the monitor when the condition clears); the enterprise
answers them with a rectification note (整改说明). Data-quality alerts about its own data an
enterprise may resolve itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, delete, insert, select
from sqlalchemy import update as sql_update

from nenghao.standards.vocabulary import SEVERITIES
from nenghao.store import audit
from nenghao.store.common import (
    ConflictError,
    NotFoundError,
    OutsideScopeError,
    Page,
    now,
    page_of,
)
from nenghao.store.schema import alert_notifications, alert_rules, alerts, enterprises
from nenghao.store.schema import notification_channels as channels
from nenghao.store.scope import Scope

ACTIVE = ("open", "acknowledged")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
REGULATED_RULES = frozenset(
    {
        "quota_above_limit",
        "target_warning",
        "outage_unrepaired",
        "missing_filing",
        "rectification_overdue",
        "project_deviation",
    }
)
"""Judgements against a limit the authority sets: the quota's Level 3 limit, the dual-control
target, the repair deadline for a metering outage, the filing deadline, a two-high
installation's rectification deadline and a project's approved consumption. Only a regulator
closes them."""
CHANNEL_FIELDS = ("name", "kind", "target", "min_severity", "rules", "division_code", "enabled")


def visible(scope: Scope) -> ColumnElement[bool]:
    """Alerts a caller with `scope` may read."""
    return scope.subject_clause(
        alerts.c.enterprise_id,
        alerts.c.division_code,
        about_enterprise=alerts.c.enterprise_id.is_not(None),
        about_division=alerts.c.enterprise_id.is_(None),
    )


def raise_alert(
    conn: Connection, values: Mapping[str, Any], at: int, *, ceiling: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Open an alert for ``values["rule"]`` and ``values["subject"]``, or count a repeat of
    the active one; returns (row, opened). `values` holds the alert columns (rule, subject,
    enterprise_id, division_code, item_id, severity, title, message, detail).

    A repeat keeps the highest severity seen, but never above `ceiling`, the highest the
    finding's certainty allows now (an alert raised critical against a limit since found
    unverified comes down to it)."""
    active = conn.execute(
        select(alerts).where(
            alerts.c.rule == values["rule"],
            alerts.c.subject == values["subject"],
            alerts.c.status.in_(ACTIVE),
        )
    ).first()
    if active is None:
        row = {**values, "status": "open", "occurrences": 1, "first_seen": at, "last_seen": at}
        key = conn.execute(insert(alerts).values(**row)).inserted_primary_key
        assert key is not None
        return {**row, "id": int(key[0])}, True
    current = dict(active._mapping)
    severity = max(current["severity"], values["severity"], key=SEVERITY_RANK.__getitem__)
    if ceiling is not None:
        severity = min(severity, ceiling, key=SEVERITY_RANK.__getitem__)
    changes = {
        "occurrences": current["occurrences"] + 1,
        "last_seen": max(at, current["last_seen"]),
        "severity": severity,
        "message": values["message"],
        "detail": values.get("detail"),
    }
    conn.execute(sql_update(alerts).where(alerts.c.id == current["id"]).values(**changes))
    return {**current, **changes}, False


def _with_kind(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["regulated"] = data["rule"] in REGULATED_RULES
    return data


def _named() -> Select[Any]:
    """Alerts with the name of the enterprise each is about (None for a district or the
    city as a whole), so that screens show the enterprise by name."""
    return select(alerts, enterprises.c.name.label("enterprise_name")).select_from(
        alerts.outerjoin(enterprises, enterprises.c.id == alerts.c.enterprise_id)
    )


def get(conn: Connection, scope: Scope, alert_id: int) -> dict[str, Any] | None:
    """One alert in scope with ``regulated`` (only a regulator closes it) and
    ``enterprise_name``, or None."""
    row = conn.execute(_named().where(alerts.c.id == alert_id, visible(scope))).first()
    return _with_kind(row) if row else None


def list_alerts(
    conn: Connection,
    scope: Scope,
    *,
    status: str | None = None,
    rule: str | None = None,
    severity: str | None = None,
    enterprise_id: int | None = None,
    since: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Alerts in scope matching the filters, most recently seen first, each with
    ``regulated`` and ``enterprise_name``."""
    conditions = [visible(scope)]
    if status == "active":
        conditions.append(alerts.c.status.in_(ACTIVE))
    elif status is not None:
        conditions.append(alerts.c.status == status)
    for column, value in (
        (alerts.c.rule, rule),
        (alerts.c.severity, severity),
        (alerts.c.enterprise_id, enterprise_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if since is not None:
        conditions.append(alerts.c.last_seen >= since)
    query = _named().where(*conditions).order_by(alerts.c.last_seen.desc(), alerts.c.id.desc())
    return page_of(
        conn, query, offset=offset, limit=limit, items=lambda rows: [_with_kind(r) for r in rows]
    )


STATUS_ZH = {"open": "未处理", "acknowledged": "已确认", "resolved": "已关闭"}
ACTION_ZH = {"acknowledge": "确认", "resolve": "关闭"}
TRANSITIONS = {
    "acknowledge": (("open",), "acknowledged", "acknowledged"),
    "resolve": (ACTIVE, "resolved", "resolved"),
}


def transition(
    conn: Connection,
    scope: Scope,
    alert_id: int,
    action: str,
    *,
    actor: str,
    comment: str | None,
    remote: str | None = None,
    closes_regulated: bool = False,
) -> dict[str, Any]:
    """Acknowledge or resolve an alert in scope; audited. Raises NotFoundError (missing or
    outside scope), OutsideScopeError (resolving a regulated alert without
    `closes_regulated`; see `record_refusal`) or ConflictError (already in or past that
    state)."""
    before = _in_scope(conn, scope, alert_id)
    if action == "resolve" and before["rule"] in REGULATED_RULES and not closes_regulated:
        raise OutsideScopeError(
            "此告警属于监管判定（超限额、目标预警、维修或报送期限），只能由监管部门关闭；"
            "企业可提交整改说明。 / Only a regulator may close this alert; the enterprise "
            "may submit a rectification note.",
            code="alert_regulator_only",
            details={"rule": before["rule"]},
        )
    allowed, status, prefix = TRANSITIONS[action]
    if before["status"] not in allowed:
        raise ConflictError(
            f"告警 {alert_id} 当前{STATUS_ZH[before['status']]}，不能再{ACTION_ZH[action]} / "
            f"alert {alert_id} is {before['status']}; it cannot be {status} now",
            code="alert_state",
        )
    at = now()
    column_comment = "acknowledge_comment" if action == "acknowledge" else "resolve_comment"
    changes = {
        "status": status,
        f"{prefix}_at": at,
        f"{prefix}_by": actor[:64],
        column_comment: comment,
    }
    conn.execute(sql_update(alerts).where(alerts.c.id == alert_id).values(**changes))
    after = {**before, **changes}
    audit.record(
        conn,
        actor,
        f"alert.{action}",
        "alert",
        alert_id,
        {"status": before["status"]},
        {"status": status, "comment": comment},
        remote,
    )
    return after


def _in_scope(conn: Connection, scope: Scope, alert_id: int) -> dict[str, Any]:
    row = get(conn, scope, alert_id)
    if row is None:
        raise NotFoundError(
            f"告警 {alert_id} 不存在 / alert {alert_id} not found", code="alert_not_found"
        )
    return row


def record_refusal(
    conn: Connection, alert_id: int, *, actor: str, comment: str | None, remote: str | None
) -> None:
    """Audit a refused attempt to close a regulated alert (in its own transaction, since the
    refused one rolls back)."""
    audit.record(
        conn, actor, "alert.resolve_refused", "alert", alert_id, None, {"comment": comment}, remote
    )


def rectify(
    conn: Connection,
    scope: Scope,
    alert_id: int,
    note: str,
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Attach (or replace) the rectification note of an alert in scope that is not yet
    resolved; the status is unchanged; audited with the note before and after."""
    before = _in_scope(conn, scope, alert_id)
    if before["status"] not in ACTIVE:
        raise ConflictError(
            f"告警 {alert_id} 已关闭，不能再提交整改说明 / alert {alert_id} is resolved",
            code="alert_state",
        )
    changes = {
        "rectification_note": note,
        "rectification_by": actor[:64],
        "rectification_at": now(),
    }
    conn.execute(sql_update(alerts).where(alerts.c.id == alert_id).values(**changes))
    audit.record(
        conn,
        actor,
        "alert.rectify",
        "alert",
        alert_id,
        {"rectification_note": before.get("rectification_note")},
        {"rectification_note": note},
        remote,
    )
    return {**before, **changes}


def resolve_cleared(conn: Connection, rule: str, active_subjects: set[str], at: int) -> int:
    """Resolve the active alerts of `rule` whose subject is no longer in `active_subjects`
    (the condition cleared); returns how many. Audited as the monitor."""
    rows = conn.execute(
        select(alerts.c.id, alerts.c.subject, alerts.c.status).where(
            alerts.c.rule == rule, alerts.c.status.in_(ACTIVE)
        )
    ).all()
    cleared = [(i, status) for i, subject, status in rows if subject not in active_subjects]
    for alert_id, status in cleared:
        conn.execute(
            sql_update(alerts)
            .where(alerts.c.id == alert_id)
            .values(
                status="resolved",
                resolved_at=at,
                resolved_by="monitor",
                resolve_comment="condition cleared",
            )
        )
        audit.record(
            conn,
            "monitor",
            "alert.resolve",
            "alert",
            alert_id,
            {"status": status},
            {"status": "resolved", "comment": "condition cleared"},
        )
    return len(cleared)


# --- rule settings -----------------------------------------------------------------------


def rule_settings(conn: Connection) -> dict[str, dict[str, Any]]:
    """Stored rule settings by rule name (only rules changed from their defaults)."""
    return {row.rule: dict(row._mapping) for row in conn.execute(select(alert_rules))}


def put_rule(
    conn: Connection,
    rule: str,
    values: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Store the settings of `rule` (enabled, severity, params); audited."""
    before = conn.execute(select(alert_rules).where(alert_rules.c.rule == rule)).first()
    row = {
        "rule": rule,
        "enabled": bool(values["enabled"]),
        "severity": values["severity"],
        "params": dict(values["params"]),
        "updated_at": now(),
        "updated_by": actor[:64],
    }
    if before is None:
        conn.execute(insert(alert_rules).values(**row))
    else:
        conn.execute(sql_update(alert_rules).where(alert_rules.c.rule == rule).values(**row))
    audit.record(
        conn,
        actor,
        "alert_rule.update",
        "alert_rule",
        rule,
        dict(before._mapping) if before else None,
        row,
        remote,
    )
    return row


# --- channels ----------------------------------------------------------------------------


def public_channel(row: Mapping[str, Any]) -> dict[str, Any]:
    """A channel without its secret (``has_secret`` says whether one is set)."""
    out = {k: v for k, v in row.items() if k != "secret"}
    out["has_secret"] = bool(row.get("secret"))
    return out


def list_channels(
    conn: Connection, *, with_secrets: bool = False, offset: int = 0, limit: int | None = None
) -> Page:
    """The channels by id (secrets only for the notifier)."""

    def item(row: Any) -> dict[str, Any]:
        data = dict(row._mapping)
        return data if with_secrets else public_channel(data)

    query = select(channels).order_by(channels.c.id)
    return page_of(
        conn, query, offset=offset, limit=limit, items=lambda rows: [item(r) for r in rows]
    )


def get_channel(conn: Connection, channel_id: int) -> dict[str, Any] | None:
    """One channel without its secret, or None."""
    row = conn.execute(select(channels).where(channels.c.id == channel_id)).first()
    return public_channel(dict(row._mapping)) if row else None


def _unique_name(conn: Connection, name: str, except_id: int | None = None) -> None:
    query = select(channels.c.id).where(channels.c.name == name)
    if except_id is not None:
        query = query.where(channels.c.id != except_id)
    if conn.execute(query).first() is not None:
        raise ConflictError(f"a channel named {name!r} exists", code="channel_exists")


def create_channel(
    conn: Connection, values: Mapping[str, Any], *, actor: str, remote: str | None = None
) -> dict[str, Any]:
    """Add a channel; audited (without its secret)."""
    _unique_name(conn, values["name"])
    at = now()
    row = {**{k: values.get(k) for k in CHANNEL_FIELDS}, "secret": values.get("secret")}
    row.update(created_at=at, updated_at=at)
    key = conn.execute(insert(channels).values(**row)).inserted_primary_key
    assert key is not None
    new_id = int(key[0])
    out = public_channel({**row, "id": new_id})
    audit.record(conn, actor, "channel.create", "channel", new_id, None, out, remote)
    return out


def update_channel(
    conn: Connection,
    channel_id: int,
    values: Mapping[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Change some fields of a channel (``secret`` too); audited without the secret."""
    before = get_channel(conn, channel_id)
    if before is None:
        raise NotFoundError(f"channel {channel_id} not found", code="channel_not_found")
    if "name" in values:
        _unique_name(conn, values["name"], channel_id)
    changes = {k: v for k, v in values.items() if k in (*CHANNEL_FIELDS, "secret")}
    changes["updated_at"] = now()
    conn.execute(sql_update(channels).where(channels.c.id == channel_id).values(**changes))
    after = get_channel(conn, channel_id)
    assert after is not None
    audit.record(conn, actor, "channel.update", "channel", channel_id, before, after, remote)
    return after


def delete_channel(
    conn: Connection, channel_id: int, *, actor: str, remote: str | None = None
) -> dict[str, Any]:
    """Remove a channel and its delivery records; audited."""
    before = get_channel(conn, channel_id)
    if before is None:
        raise NotFoundError(f"channel {channel_id} not found", code="channel_not_found")
    conn.execute(delete(alert_notifications).where(alert_notifications.c.channel_id == channel_id))
    conn.execute(delete(channels).where(channels.c.id == channel_id))
    audit.record(conn, actor, "channel.delete", "channel", channel_id, before, None, remote)
    return before


def record_delivery(conn: Connection, **values: Any) -> None:
    """Log one delivery of an alert to a channel."""
    conn.execute(insert(alert_notifications).values(**values))


def deliveries(conn: Connection, alert_id: int) -> list[dict[str, Any]]:
    """Deliveries of one alert, oldest first, each with the name of its channel."""
    rows = conn.execute(
        select(alert_notifications, channels.c.name.label("channel_name"))
        .select_from(
            alert_notifications.outerjoin(
                channels, channels.c.id == alert_notifications.c.channel_id
            )
        )
        .where(alert_notifications.c.alert_id == alert_id)
        .order_by(alert_notifications.c.id)
    )
    return [dict(row._mapping) for row in rows]
