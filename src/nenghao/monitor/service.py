"""The monitor as the platform runs it: evaluate, raise alerts, notify.

`Monitor` is used by the scheduler thread inside the API process and by the command line
(``nenghao monitor run``); both give it the same settings and warning sources.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine

from nenghao.monitor import alerting
from nenghao.monitor.alerting import Candidate, RuleSetting, WarningSource
from nenghao.monitor.config import DEFAULT_WEIGHTS, HEATING_SEASON, Season
from nenghao.monitor.gateway_alerts import GATEWAY_RULES, heartbeat_candidates
from nenghao.monitor.notify import Retry, SmtpConfig, body_of, send_email, send_webhook
from nenghao.monitor.runner import RunResult, day_window, month_window, run_window
from nenghao.monitor.series_checks import Window
from nenghao.standards.vocabulary import SEVERITIES
from nenghao.standards.workdays import WorkCalendar
from nenghao.store import alerts as alert_store
from nenghao.store.common import now

logger = logging.getLogger("nenghao.monitor")


@dataclass
class Report:
    """What one monitor call did."""

    run: RunResult | None = None
    opened: list[dict[str, Any]] = field(default_factory=list)
    repeated: int = 0
    cleared: int = 0
    notifications: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Counts for logs and the command line."""
        return {
            **(self.run.summary() if self.run else {}),
            "alerts_opened": len(self.opened),
            "alerts_repeated": self.repeated,
            "alerts_cleared": self.cleared,
            "notifications": len(self.notifications),
            "notifications_failed": sum(not n["ok"] for n in self.notifications),
        }


@dataclass
class Monitor:
    """Evaluation, alerting and notification on one database."""

    engine: Engine
    sources: Sequence[WarningSource] = ()
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    smtp: SmtpConfig | None = None
    retry: Retry = field(default_factory=Retry)
    calendar: WorkCalendar | None = None
    season: Season = HEATING_SEASON
    actor: str = "monitor"

    def rules(self) -> dict[str, RuleSetting]:
        """The rules as configured now."""
        with self.engine.connect() as conn:
            return alerting.settings(conn)

    def run_day(self, day: date, as_of: int | None = None) -> Report:
        """Evaluate a CST day, raise alerts of what is new, notify."""
        return self._run(day_window(day, as_of), "day")

    def run_month(self, year: int, month: int, as_of: int | None = None) -> Report:
        """Evaluate a CST month (and score it), raise alerts, notify."""
        return self._run(month_window(year, month, as_of), "month")

    def run_window(self, window: Window, kind: str = "range") -> Report:
        """Evaluate any whole-day window."""
        return self._run(window, kind)

    def _run(self, window: Window, kind: str) -> Report:
        rules = self.rules()
        config = replace(alerting.quality_config(rules), season=self.season)
        result = run_window(
            self.engine, window, kind=kind, config=config, weights=self.weights, actor=self.actor
        )
        judged: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            candidates = alerting.from_events(conn, result.new_events)
            for source in self.sources:
                found = self._external(source, conn, window, kind)
                if found is None:
                    continue
                candidates += found
                for rule in getattr(source, "clears", {}).get(kind, ()):
                    judged.setdefault(rule, set()).update(
                        c.subject for c in found if c.rule == rule
                    )
        report = Report(run=result)
        self._raise(candidates, rules, report, window.as_of)
        if judged:
            with self.engine.begin() as conn:
                for rule, subjects in judged.items():
                    report.cleared += alert_store.resolve_cleared(
                        conn, rule, subjects, window.as_of
                    )
        self._notify(report)
        logger.info("monitor %s run: %s", kind, report.summary())
        return report

    def live(self, as_of: int | None = None) -> Report:
        """Check device contact, gateway heartbeats and unrepaired outages now (or at
        `as_of`); offline and heartbeat alerts whose condition is gone are resolved."""
        at = now() if as_of is None else as_of
        rules = self.rules()
        report = Report()
        with self.engine.connect() as conn:
            offline, outages = alerting.live_candidates(conn, at, rules, self.calendar)
            gateways = heartbeat_candidates(conn, at, rules)
            extra: list[Candidate] = []
            for source in self.sources:
                extra += self._external(source, conn, Window(at, at, at), "live") or []
        found = [c for rule in GATEWAY_RULES for c in gateways[rule]]
        self._raise(offline + outages + found + extra, rules, report, at)
        clearing = {"device_offline": offline, **gateways}
        with self.engine.begin() as conn:
            for rule, still in clearing.items():
                if rules[rule].enabled:
                    report.cleared += alert_store.resolve_cleared(
                        conn, rule, {c.subject for c in still}, at
                    )
        self._notify(report)
        return report

    @staticmethod
    def _external(
        source: WarningSource, conn: Any, window: Window, kind: str
    ) -> list[Candidate] | None:
        """The source's candidates, or None when it failed (then nothing it judges clears)."""
        try:
            return source(conn, window, kind)
        except Exception:  # a broken source must not stop the quality run
            logger.exception("warning source %s failed", getattr(source, "__name__", source))
            return None

    def _raise(
        self, candidates: list[Candidate], rules: dict[str, RuleSetting], report: Report, at: int
    ) -> None:
        with self.engine.begin() as conn:
            for candidate in candidates:
                setting = rules.get(candidate.rule)
                if setting is None or not setting.enabled or not _level_wanted(candidate, setting):
                    continue
                row, opened = alert_store.raise_alert(
                    conn,
                    alerting.with_setting(candidate, setting).values(),
                    at,
                    ceiling=candidate.ceiling,
                )
                if opened:
                    report.opened.append(row)
                else:
                    report.repeated += 1

    def _notify(self, report: Report) -> None:
        if not report.opened:
            return
        with self.engine.connect() as conn:
            stored = alert_store.list_channels(conn, with_secrets=True).items
        channels = [channel for channel in stored if channel["enabled"]]
        for alert in report.opened:
            for channel in channels:
                if not wants(channel, alert):
                    continue
                outcome = self._deliver(channel, alert)
                report.notifications.append(
                    {"alert_id": alert["id"], "channel_id": channel["id"], **outcome}
                )
                with self.engine.begin() as conn:
                    alert_store.record_delivery(
                        conn,
                        alert_id=alert["id"],
                        channel_id=channel["id"],
                        event="opened",
                        status="sent" if outcome["ok"] else "failed",
                        attempts=outcome["attempts"],
                        error=outcome["error"],
                        at=now(),
                    )

    def _deliver(self, channel: dict[str, Any], alert: dict[str, Any]) -> dict[str, Any]:
        payload = alert_payload(alert)
        if channel["kind"] == "webhook":
            delivery = send_webhook(channel["target"], channel["secret"], payload, retry=self.retry)
        elif self.smtp is None:
            return {"ok": False, "attempts": 0, "error": "no SMTP server configured"}
        else:
            recipients = [a.strip() for a in channel["target"].split(",") if a.strip()]
            subject = f"[nenghao 能耗监测] {alert['severity']}: {alert['title']}"[:250]
            text = body_of(payload).decode("utf-8")
            delivery = send_email(
                self.smtp, recipients, subject, f"{alert['message']}\n\n{text}\n", retry=self.retry
            )
        return {"ok": delivery.ok, "attempts": delivery.attempts, "error": delivery.error}


def _level_wanted(candidate: Candidate, setting: RuleSetting) -> bool:
    """Whether a leveled candidate (target warnings) has a level the rule alerts on."""
    levels = setting.params.get("levels")
    level = (candidate.detail or {}).get("level")
    return levels is None or level is None or level in levels


def wants(channel: dict[str, Any], alert: dict[str, Any]) -> bool:
    """Whether `channel` subscribes to `alert` (severity, rules, division)."""
    if SEVERITIES.index(alert["severity"]) < SEVERITIES.index(channel["min_severity"]):
        return False
    if channel.get("rules") and alert["rule"] not in channel["rules"]:
        return False
    return not channel.get("division_code") or channel["division_code"] == alert.get(
        "division_code"
    )


def alert_payload(alert: dict[str, Any]) -> dict[str, Any]:
    """The JSON a webhook receives for an opened alert."""
    keys = (
        "id",
        "rule",
        "subject",
        "severity",
        "status",
        "title",
        "message",
        "enterprise_id",
        "division_code",
        "item_id",
        "first_seen",
        "last_seen",
        "occurrences",
        "detail",
    )
    return {"event": "alert.opened", "sent_at": now(), "alert": {k: alert.get(k) for k in keys}}
