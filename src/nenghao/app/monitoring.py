"""Wiring of the monitor for the platform: settings, and the warning sources that come from
the analytics layer (unit-product consumption against quota Level 3, target progress) and
the review layer (two-high rectification plans past their deadline; operating projects against
their approval, `nenghao.app.project_deviation`).

`nenghao.monitor` imports only accounting and store; the composition root, which may import
every service, hands it these sources. The scheduler (the server's lifespan) and the command
line build their monitor here, so both judge alike.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select

from nenghao.analytics.periods import Period
from nenghao.analytics.targets import (
    INDICATOR_ZH,
    TARGET_LEVEL_ZH,
    Thresholds,
    progress,
    subject_name,
)
from nenghao.analytics.unit_products import unit_products
from nenghao.app.project_deviation import project_source
from nenghao.config import Settings
from nenghao.monitor.alerting import Candidate, WarningSource
from nenghao.monitor.config import DEFAULT_WEIGHTS, Season, check_weights
from nenghao.monitor.notify import Retry, SmtpConfig
from nenghao.monitor.scheduler import Progress, Scheduler, run_history
from nenghao.monitor.series_checks import Window
from nenghao.monitor.service import Monitor
from nenghao.review.rectification import overdue_plans
from nenghao.standards.calendar import cst_date
from nenghao.standards.workdays import with_file
from nenghao.store import targets
from nenghao.store.common import now
from nenghao.store.job_lock import JobLock
from nenghao.store.schema import data_items, enterprises
from nenghao.store.scope import Scope
from nenghao.store.two_high_plans import OVERDUE_RULE, subject

TARGET_SEVERITY = {"yellow": "warning", "red": "critical"}
LEVEL_ZH = {"yellow": "黄色", "red": "红色"}


def quota_source(conn: Connection, window: Window, kind: str) -> list[Candidate]:
    """Products above their quota's Level 3 in the month evaluated (month runs only)."""
    if kind != "month":
        return []
    first = cst_date(window.start)
    period = Period.month(first.year, first.month)
    producers = conn.execute(
        select(data_items.c.enterprise_id, enterprises.c.division_code)
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(
            data_items.c.measures == "product",
            data_items.c.product_code.is_not(None),
            data_items.c.active.is_(True),
            enterprises.c.active.is_(True),
        )
        .distinct()
    ).all()
    out = []
    for enterprise_id, division in sorted(producers):
        answer = unit_products(conn, Scope.all(), enterprise_id, period)
        for row in answer["rows"]:
            quota = row.get("quota") or {}
            if row.get("status") != "assessed" or quota.get("level") != "above_limit":
                continue
            out.append(_quota_candidate(answer, row, period.label, (enterprise_id, division)))
    return out


def _quota_candidate(
    answer: dict[str, Any], row: dict[str, Any], period: str, place: tuple[int, str]
) -> Candidate:
    """A product above Level 3: critical against a confirmed limit; informational, saying
    why, against a limit whose values are unverified (a local placeholder included)."""
    quota = row["quota"]
    enterprise = answer["enterprise_name"]
    limit = quota["thresholds"].get("L3")
    certain = quota["status"] == "confirmed"
    what = f"{enterprise} {row['product_name']} {period}"
    figures = f"{row['unit_consumption']:.1f} kgce/t"
    if certain:
        title = f"超限额：{enterprise} {row['product_name']}"
        message = (
            f"{what}：单位产品能耗 {figures}，超过 {quota['edition']} 3级限定值 {limit}"
            f" / above the Level 3 limit {limit} of {quota['edition']}"
        )
    else:
        title = f"超出未核实限额（提示）：{enterprise} {row['product_name']}"
        message = (
            f"{what}：单位产品能耗 {figures}，高于 {quota['edition']} 的 3级值 {limit}；"
            f"{_uncertainty_zh(quota)}，仅作提示，不作超限判定"
            f" / above Level 3 ({limit}) of {quota['edition']}, whose values are "
            f"{_uncertainty_en(quota)}: informational, not a breach"
        )
    return Candidate(
        rule="quota_above_limit",
        subject=f"item:{row['item_id']}",
        title=title,
        message=message,
        severity="critical" if certain else "info",
        ceiling=None if certain else "info",
        enterprise_id=place[0],
        division_code=place[1],
        item_id=row["item_id"],
        detail={
            "period": period,
            "unit_consumption": row["unit_consumption"],
            "limit": limit,
            "edition": quota["edition"],
            "limit_status": quota["status"],
            "local": quota["local"],
        },
    )


def _uncertainty_zh(quota: dict[str, Any]) -> str:
    if quota["local"]:
        return "该限额为本地配置的占位值，未经核实，并非任何标准所定"
    return "该限额值未经与标准原文核对（待核实）"


def _uncertainty_en(quota: dict[str, Any]) -> str:
    return "a locally configured placeholder" if quota["local"] else "unverified"


def target_source(settings: Settings) -> WarningSource:
    """Targets projected above their yellow or red threshold (day and month runs)."""
    thresholds = Thresholds(settings.target_warning_yellow, settings.target_warning_red)

    def source(conn: Connection, window: Window, kind: str) -> list[Candidate]:
        if kind == "live":
            return []
        as_of = cst_date(window.end) - timedelta(days=1)
        out = []
        for target in targets.list_targets(conn, Scope.all(), year=as_of.year).items:
            answer = progress(conn, target, as_of, thresholds)
            level = answer["level"]
            if level not in TARGET_SEVERITY:
                continue
            out.append(_target_candidate(target, answer, level, subject_name(conn, target)))
        return out

    source.__name__ = "target_source"
    return source


def _target_candidate(
    target: dict[str, Any], answer: dict[str, Any], level: str, subject: str
) -> Candidate:
    """A target projected above its yellow or red threshold, named by its subject."""
    name = f"{target['year']} 年{TARGET_LEVEL_ZH.get(target['level'], '')}目标 {subject}"
    worst = {
        key: entry["ratio"]
        for key, entry in answer["indicators"].items()
        if entry.get("level") == level
    }
    ratios = [(key, ratio) for key, ratio in worst.items() if ratio is not None]
    zh = "，".join(f"{INDICATOR_ZH.get(key, key)} {ratio:.2f}" for key, ratio in ratios)
    en = ", ".join(f"{key} {ratio:.2f}" for key, ratio in ratios)
    return Candidate(
        rule="target_warning",
        subject=f"target:{target['id']}",
        title=f"目标预警（{LEVEL_ZH[level]}）：{name}",
        message=f"{name} 截至 {answer['as_of']} 为{LEVEL_ZH[level]}预警，预计值/目标值：{zh}"
        f" / target {target['year']} {target['level']} {target['subject']} is {level} as of"
        f" {answer['as_of']}: projected/target {en}",
        severity=TARGET_SEVERITY[level],
        enterprise_id=target.get("enterprise_id"),
        division_code=target.get("division_code"),
        detail={"level": level, "as_of": answer["as_of"], "ratios": worst},
    )


def rectification_source(conn: Connection, window: Window, kind: str) -> list[Candidate]:
    """Rectification plans past their deadline (day and live runs), judged on the CST day
    of the run's instant: a plan is overdue from the day after its deadline."""
    if kind not in ("day", "live"):
        return []
    return [_overdue_candidate(plan) for plan in overdue_plans(conn, cst_date(window.as_of))]


def _overdue_candidate(plan: dict[str, Any]) -> Candidate:
    """An overdue plan: critical when the baseline value is confirmed, else a warning
    saying the baseline is unverified."""
    installation = plan["installation"]
    certain = plan["baseline_confirmed"]
    who = f"{installation['enterprise_name']} {installation['name']}"
    caveat = "" if certain else "；基准值未核实，按预警处理 / baseline unverified: a warning"
    return Candidate(
        rule=OVERDUE_RULE,
        subject=subject(plan["id"]),
        title=f"整改逾期：{who}",
        message=f"{who}（{installation['sector_name']}）整改方案 {plan['id']} 的整改期限"
        f" {plan['deadline']} 已过，尚未确认完成；责任人 {plan['responsible_name']}"
        f" {plan['responsible_phone']}{caveat}"
        f" / rectification plan {plan['id']} of {installation['name']} passed its deadline"
        f" {plan['deadline']} without confirmed completion",
        severity="critical" if certain else "warning",
        ceiling=None if certain else "warning",
        enterprise_id=installation["enterprise_id"],
        division_code=installation["division_code"],
        detail={
            "plan_id": plan["id"],
            "installation_id": installation["id"],
            "deadline": plan["deadline"].isoformat(),
            "target_unit_consumption": plan["target_unit_consumption"],
            "baseline_confirmed": certain,
        },
    )


def build_monitor(engine: Engine, settings: Settings) -> Monitor:
    """The platform's monitor on `engine`, configured by `settings`."""
    smtp = None
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        smtp = SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            username=settings.smtp_username,
            password=password,
            starttls=settings.smtp_starttls,
        )
    calendar = with_file(settings.monitor_workdays_file) if settings.monitor_workdays_file else None
    return Monitor(
        engine,
        sources=(quota_source, target_source(settings), rectification_source, project_source),
        weights=check_weights(settings.monitor_score_weights or DEFAULT_WEIGHTS),
        smtp=smtp,
        retry=Retry(settings.monitor_notify_attempts, settings.monitor_notify_backoff_s),
        calendar=calendar,
        season=Season.parse(settings.monitor_heating_season, settings.monitor_seasonal_industries),
    )


def start_scheduler(
    engine: Engine, settings: Settings, lock: JobLock | None = None
) -> Scheduler | None:
    """Start the monitor's schedule (on by default; off when `settings.monitor_enabled` is
    false); with `lock`, it ticks only while this node holds it (once across nodes)."""
    if not settings.monitor_enabled:
        return None
    scheduler = Scheduler(build_monitor(engine, settings), settings.monitor_interval_s, lock)
    return scheduler.start()


def score_history(
    engine: Engine, settings: Settings, first: date, last: date, progress: Progress | None = None
) -> int:
    """Evaluate, score and alert every month from `first` to `last` now (the demo build);
    returns the number of months run."""
    return run_history(build_monitor(engine, settings), first, last, now(), progress)
