"""Alert rules: their catalogue and settings, and turning findings into alerts.

Rules over quality events carry the quality rule's name (``spike``, ``completeness`` ...).
Live rules look at the present state: ``device_offline`` (no gateway contact for longer than
``offline_hours``), the gateway heartbeat rules (`nenghao.monitor.gateway_alerts`) and
``outage_unrepaired`` (a data gap or a silent meter not repaired
within ``workdays`` Chinese working days: report to the platform and file data manually).
External rules take candidates from warning sources supplied by the caller (the analytics
layer's unit-product consumption and target progress, the review layer's rectification
plans and its comparison of operating projects with their approval): ``quota_above_limit``,
``target_warning``, ``rectification_overdue`` and ``project_deviation``. A source whose answer
is complete for a kind of run names the rules it judges in a ``clears`` attribute
(``{"month": ("project_deviation",)}``): after such a run, the active alerts of those rules it
no longer finds are resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, select

from nenghao.monitor.config import STEP_S, QualityConfig
from nenghao.monitor.data import last_contacts, last_starts
from nenghao.monitor.deadlines import repair_deadline
from nenghao.monitor.events import QUALITY_RULES
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import cst_date, to_cst
from nenghao.standards.vocabulary import HEARTBEAT_STALE_FACTOR, SEVERITIES, SIGNING_WINDOW_S
from nenghao.standards.workdays import WorkCalendar
from nenghao.store import alerts as alert_store
from nenghao.store.faults import open_by_enterprise
from nenghao.store.schema import data_items, enterprises, quality_events
from nenghao.store.scope import Scope

QUALITY_PARAMS: dict[str, tuple[str, ...]] = {
    "completeness": ("completeness_min",),
    "gap": ("gap_min_points",),
    "timeliness": ("deadline_s",),
    "consistency": ("consistency_max",),
    "time_tag": ("tag_tolerance_s",),
    "spike": ("spike_window", "spike_ratio", "spike_mad_k", "spike_mad_floor"),
    "flat_line": ("flat_min_points",),
    "level_shift": (
        "level_before_days",
        "level_after_days",
        "level_min_change",
        "level_max_spread",
    ),
    "register_backwards": ("register_tolerance",),
}
"""Which quality thresholds each rule's settings may change."""


@dataclass(frozen=True)
class RuleSpec:
    """A rule's defaults."""

    name: str
    kind: str  # quality, live, external
    severity: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


def _catalogue() -> dict[str, RuleSpec]:
    defaults = QualityConfig()
    quiet = {"timeliness": "info", "time_tag": "info", "gap": "info"}
    out = {
        name: RuleSpec(
            name,
            "quality",
            quiet.get(name, "warning"),
            text,
            {key: getattr(defaults, key) for key in QUALITY_PARAMS.get(name, ())},
        )
        for name, text in QUALITY_RULES.items()
    }
    out["device_offline"] = RuleSpec(
        "device_offline",
        "live",
        "warning",
        "no gateway contact for longer than offline_hours",
        {"offline_hours": 2.0},
    )
    out["outage_unrepaired"] = RuleSpec(
        "outage_unrepaired",
        "live",
        "critical",
        "a gap or silent meter not repaired within `workdays` Chinese working days",
        {"workdays": 3},
    )
    out["gateway_heartbeat_stale"] = RuleSpec(
        "gateway_heartbeat_stale",
        "live",
        "warning",
        "a gateway's latest heartbeat older than `intervals` of its announced intervals",
        {"intervals": HEARTBEAT_STALE_FACTOR},
    )
    out["gateway_clock_skew"] = RuleSpec(
        "gateway_clock_skew",
        "live",
        "warning",
        "a gateway's clock skew beyond `tolerance_s` (the protocol's ±300 s)",
        {"tolerance_s": SIGNING_WINDOW_S},
    )
    out["quota_above_limit"] = RuleSpec(
        "quota_above_limit",
        "external",
        "critical",
        "unit-product consumption above the quota standard's Level 3 (mandatory limit)",
    )
    out["target_warning"] = RuleSpec(
        "target_warning",
        "external",
        "warning",
        "dual-control target projected above its yellow/red threshold",
        {"levels": ["yellow", "red"]},
    )
    out["rectification_overdue"] = RuleSpec(
        "rectification_overdue",
        "external",
        "critical",
        "整改逾期：两高装置整改方案过了整改期限仍未确认完成 / a two-high installation's "
        "rectification plan past its deadline and not confirmed completed (critical only "
        "when the baseline value is confirmed)",
    )
    out["project_deviation"] = RuleSpec(
        "project_deviation",
        "external",
        "warning",
        "投产项目实际能耗（年化综合能源消费量或单位产品能耗）超过节能审查批复值达到偏差限值"
        "（review.toml deviation_threshold，默认 10%）；数据完整且满 3 个月为严重，否则为警告"
        " / an operating project's actual consumption over its approval by the deviation"
        " threshold",
    )
    return out


RULES: dict[str, RuleSpec] = _catalogue()

RULE_NAMES_ZH: dict[str, str] = {
    "completeness": "完整性不足",
    "gap": "数据缺测",
    "missing_filing": "月报/年报未报",
    "timeliness": "上传不及时",
    "consistency": "数据不一致",
    "time_tag": "时间标签异常",
    "negative": "出现负值",
    "spike": "数据突变",
    "flat_line": "数值长时间不变",
    "register_backwards": "累计读数倒退",
    "level_shift": "水平突变",
    "missing_indicator": "缺少必报指标",
    "calibration_overdue": "计量器具检定过期",
    "reset_unbridged": "表计清零能耗未知",
    "replacement_suspected": "疑似换表未报",
    "device_offline": "设备离线",
    "outage_unrepaired": "中断未修复",
    "gateway_heartbeat_stale": "网关心跳超时",
    "gateway_clock_skew": "网关时钟偏差",
    "quota_above_limit": "超限额",
    "target_warning": "目标预警",
    "rectification_overdue": "整改逾期",
    "project_deviation": "项目能耗超批复",
}
"""The Chinese name of each rule, as alert titles and the dashboard show it."""


@dataclass(frozen=True)
class RuleSetting:
    """A rule as configured (defaults overlaid with the stored settings)."""

    name: str
    kind: str
    enabled: bool
    severity: str
    params: dict[str, Any]
    description: str
    customised: bool = False


def settings(conn: Connection) -> dict[str, RuleSetting]:
    """Every rule with its current settings."""
    stored = alert_store.rule_settings(conn)
    out = {}
    for name, spec in RULES.items():
        row = stored.get(name)
        out[name] = RuleSetting(
            name,
            spec.kind,
            row["enabled"] if row else spec.enabled,
            row["severity"] if row else spec.severity,
            {**spec.params, **(row["params"] if row else {})},
            spec.description,
            row is not None,
        )
    return out


def check_setting(rule: str, severity: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a rule's new settings; returns the params. Raises ValueError saying why."""
    spec = RULES.get(rule)
    if spec is None:
        raise ValueError(f"unknown rule {rule!r}; rules: {', '.join(RULES)}")
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
    unknown = set(params) - set(spec.params)
    if unknown:
        allowed = ", ".join(spec.params) or "none"
        raise ValueError(f"rule {rule} has no parameter {', '.join(sorted(unknown))} ({allowed})")
    merged = {**spec.params, **params}
    quality = {k: v for k, v in merged.items() if k in QUALITY_PARAMS.get(rule, ())}
    if quality:
        QualityConfig().with_overrides(quality)
    _check_values(rule, merged)
    return dict(params)


def _check_values(rule: str, params: Mapping[str, Any]) -> None:
    for key, value in params.items():
        if key == "levels":
            if not set(value) <= {"yellow", "red"}:
                raise ValueError("levels may hold yellow and red only")
            continue
        values = value.values() if isinstance(value, Mapping) else [value]
        for number in values:
            if not isinstance(number, int | float) or isinstance(number, bool) or number <= 0:
                raise ValueError(f"{rule}.{key} must be positive numbers, got {value!r}")
    if params.get("completeness_min", 0.5) > 1 or params.get("consistency_max", 0.5) >= 1:
        raise ValueError("completeness_min and consistency_max are shares below 1")


def quality_config(rules: Mapping[str, RuleSetting]) -> QualityConfig:
    """The quality thresholds with the rules' parameter overrides applied."""
    config = QualityConfig()
    for name, keys in QUALITY_PARAMS.items():
        setting = rules.get(name)
        if setting is None:
            continue
        overrides = {k: setting.params[k] for k in keys if k in setting.params}
        if (
            "deadline_s" in overrides
            or "tag_tolerance_s" in overrides
            or "flat_min_points" in (overrides)
        ):
            for key in ("deadline_s", "tag_tolerance_s", "flat_min_points"):
                if key in overrides:
                    overrides[key] = {**getattr(config, key), **overrides[key]}
        config = config.with_overrides(overrides)
    return config


@dataclass(frozen=True)
class Candidate:
    """A condition that should be (or stay) an alert."""

    rule: str
    subject: str
    title: str
    message: str
    severity: str = "warning"
    enterprise_id: int | None = None
    division_code: str | None = None
    item_id: int | None = None
    detail: dict[str, Any] | None = None
    ceiling: str | None = None
    """The highest severity the finding's certainty allows (a limit whose values are
    unverified: ``info``); the rule's configured severity never raises it above."""

    def values(self) -> dict[str, Any]:
        """The alert columns."""
        return {
            "rule": self.rule,
            "subject": self.subject,
            "enterprise_id": self.enterprise_id,
            "division_code": self.division_code,
            "item_id": self.item_id,
            "severity": self.severity,
            "title": self.title[:200],
            "message": self.message,
            "detail": self.detail,
        }


WarningSource = Callable[[Connection, Window, str], list[Candidate]]
"""A supplier of external candidates: ``source(conn, window, kind)`` with kind "day",
"month" or "live"."""


def from_events(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> list[Candidate]:
    """Candidates of new quality-event rows, titled by the rule's Chinese name, the
    enterprise and the item (by name)."""
    rows = list(rows)
    if not rows:
        return []
    ids = sorted({row["enterprise_id"] for row in rows})
    places = {
        r.id: (r.division_code, r.name)
        for r in conn.execute(
            select(enterprises.c.id, enterprises.c.division_code, enterprises.c.name).where(
                enterprises.c.id.in_(ids)
            )
        )
    }
    item_ids = sorted({row["item_id"] for row in rows if row["item_id"] is not None})
    items = dict(
        conn.execute(
            select(data_items.c.id, data_items.c.name).where(data_items.c.id.in_(item_ids))
        ).all()
    )
    out = []
    for row in rows:
        division, enterprise = places.get(row["enterprise_id"], (None, None))
        about = " ".join(name for name in (enterprise, items.get(row["item_id"])) if name)
        out.append(
            Candidate(
                rule=row["rule"],
                subject=row["subject"],
                title=f"{RULE_NAMES_ZH.get(row['rule'], row['rule'])}：{about}",
                message=row["message"],
                severity=row["severity"],
                enterprise_id=row["enterprise_id"],
                division_code=division,
                item_id=row["item_id"],
                detail={"start": row["start"], "end": row["end"], "period": row["period"]},
            )
        )
    return out


def live_candidates(
    conn: Connection,
    as_of: int,
    rules: Mapping[str, RuleSetting],
    calendar: WorkCalendar | None = None,
) -> tuple[list[Candidate], list[Candidate]]:
    """(device_offline, outage_unrepaired) candidates at `as_of`."""
    offline_s = float(rules["device_offline"].params["offline_hours"]) * 3600
    workdays = int(rules["outage_unrepaired"].params["workdays"])
    automatic = conn.execute(
        select(
            data_items.c.id,
            data_items.c.enterprise_id,
            data_items.c.code,
            data_items.c.name.label("item_name"),
            data_items.c.period,
            data_items.c.created_at,
            enterprises.c.division_code,
            enterprises.c.name.label("enterprise_name"),
        )
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(
            data_items.c.active.is_(True),
            data_items.c.manual.is_(False),
            enterprises.c.active.is_(True),
            data_items.c.period.in_(list(STEP_S)),
        )
    ).all()
    places = {row.enterprise_id: (row.division_code, row.enterprise_name) for row in automatic}
    contacts = last_contacts(conn)
    offline = []
    for enterprise_id, (division, name) in sorted(places.items()):
        last = contacts.get(enterprise_id)
        if last is not None and as_of - last <= offline_s:
            continue
        hours = f"{offline_s / 3600:g} h"
        if last is None:
            since_zh, since_en = "从未与网关通信", "no gateway contact ever"
        else:
            when = _when(last)
            since_zh, since_en = f"自 {when}（北京时间）起未与网关通信", f"no contact since {when}"
        offline.append(
            Candidate(
                "device_offline",
                f"enterprise:{enterprise_id}",
                f"设备离线：{name}",
                f"{name}：{since_zh}（限值 {hours}） / {since_en} (limit {hours})",
                enterprise_id=enterprise_id,
                division_code=division,
                detail={"last_contact": last},
            )
        )
    starts = last_starts(conn)
    outages = []
    for row in automatic:
        last = starts.get(row.id)
        silent_from = (last + STEP_S[row.period]) if last is not None else row.created_at
        if as_of < repair_deadline(silent_from, workdays, calendar):
            continue
        when = _when(silent_from)
        outages.append(
            _outage(
                row, silent_from, (f"自 {when}（北京时间）起无读数", f"no readings since {when}")
            )
        )
    outages += _unrepaired_gaps(conn, as_of, workdays, calendar, {r.id: r for r in automatic})
    reported = open_by_enterprise(conn, Scope.all())
    return _beside(offline, reported), _beside(outages, reported)


def _beside(found: list[Candidate], reported: Mapping[int, Any]) -> list[Candidate]:
    """Candidates naming their enterprise's open fault report (故障报备), if any: a reported
    fault does not hide the alert, it is shown beside it."""
    out = []
    for candidate in found:
        fault = reported.get(candidate.enterprise_id or 0)
        if fault is None:
            out.append(candidate)
            continue
        due = fault["expected_repair"]
        note = (
            f"；已报备故障（{fault['cause_name']}），预计 {due} 修复"
            f" / fault reported ({fault['cause_name_en']}), repair expected {due}"
        )
        detail = {**(candidate.detail or {}), "fault_report_id": fault["id"]}
        out.append(replace(candidate, message=candidate.message + note, detail=detail))
    return out


def _when(instant: int) -> str:
    """A Unix instant as Beijing time to the minute."""
    return to_cst(instant).strftime("%Y-%m-%d %H:%M")


def _outage(row: Any, since: int, what: tuple[str, str]) -> Candidate:
    """An unrepaired outage of item `row`; `what` is (Chinese, English)."""
    return Candidate(
        "outage_unrepaired",
        f"item:{row.id}",
        f"中断未修复：{row.enterprise_name} {row.item_name}",
        f"{row.item_name}（{row.code}）：{what[0]}，超过维修期限仍未修复；请向平台报告中断并手工补报数据"
        f" / {what[1]}; not repaired within the working-day limit - report the outage "
        "to the platform and file the data manually",
        severity="critical",
        enterprise_id=row.enterprise_id,
        division_code=row.division_code,
        item_id=row.id,
        detail={"since": since},
    )


def _unrepaired_gaps(
    conn: Connection,
    as_of: int,
    workdays: int,
    calendar: WorkCalendar | None,
    items: Mapping[int, Any],
) -> list[Candidate]:
    """Days still incomplete after the repair limit (completeness events stay only while the
    gap is not filled: a re-evaluation after a back-fill removes them)."""
    rows = conn.execute(
        select(quality_events.c.item_id, quality_events.c.start).where(
            quality_events.c.rule == "completeness",
            quality_events.c.start >= as_of - 62 * 86_400,
            quality_events.c.item_id.is_not(None),
        )
    ).all()
    oldest: dict[int, int] = {}
    for item_id, start in rows:
        if item_id in items and as_of >= repair_deadline(start + 86_399, workdays, calendar):
            oldest[item_id] = min(start, oldest.get(item_id, start))
    return [
        _outage(
            items[i],
            start,
            (
                f"{cst_date(start).isoformat()} 的数据缺口未补齐",
                f"data gap on {cst_date(start)} not filled",
            ),
        )
        for i, start in sorted(oldest.items())
    ]


def with_setting(candidate: Candidate, setting: RuleSetting) -> Candidate:
    """The candidate at the rule's configured severity (or its own, when higher), never above
    its certainty's ceiling."""
    rank = alert_store.SEVERITY_RANK
    severity = max(candidate.severity, setting.severity, key=rank.__getitem__)
    if candidate.ceiling is not None:
        severity = min(severity, candidate.ceiling, key=rank.__getitem__)
    return replace(candidate, severity=severity)
