"""The warning source of operating projects (事中事后监管): a project whose actual annualised
consumption or unit-product consumption reaches the deviation threshold over its approval
raises ``project_deviation`` (`nenghao.review.operation`); month runs only. The source judges
every operating project each month, so an alert whose deviation fell back under the threshold
is resolved (``clears``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from nenghao.monitor.alerting import Candidate
from nenghao.monitor.series_checks import Window
from nenghao.review.operation import operation
from nenghao.standards.calendar import cst_date
from nenghao.store import project_items
from nenghao.store.scope import Scope

RULE = "project_deviation"


def project_source(conn: Connection, window: Window, kind: str) -> list[Candidate]:
    """Figures of operating projects over the threshold, as of the end of the month run."""
    if kind != "month":
        return []
    as_of = cst_date(window.end)
    out = []
    for project_id in project_items.operating_projects(conn):
        answer = operation(conn, Scope.all(), project_id, as_of=as_of)
        compared = answer["comparison"]
        if compared is None:
            continue
        for figure in compared["figures"]:
            if figure["over"] and figure["alerted"]:
                out.append(candidate(answer, compared, figure))
    return out


project_source.clears = {"month": (RULE,)}  # type: ignore[attr-defined]


def candidate(
    answer: dict[str, Any], compared: dict[str, Any], figure: dict[str, Any]
) -> Candidate:
    """The alert of one figure over the threshold: project and enterprise by name, approved
    against actual, the months used; critical only on a certain base."""
    project, enterprise = answer["project_name"], answer["enterprise_name"]
    months = f"{_month(compared['first_used'])}至{_month(compared['last_used'])}"
    used = f"{compared['months_used']} 个月（{months}，{compared['basis_zh']}）"
    unit = figure["unit"]
    certain = compared["certain"]
    caveat = "" if certain else "；数据不足 3 个完整月或有缺测，仅作警告"
    return Candidate(
        rule=RULE,
        subject=f"project:{answer['project_id']}:{figure['key']}",
        title=f"项目能耗超批复：{enterprise} {project}",
        message=(
            f"{enterprise}“{project}”{figure['name_zh']}：批复 {figure['approved']:,.2f} {unit}，"
            f"实际 {figure['actual']:,.2f} {unit}，偏差 {figure['deviation']:+.1%}，"
            f"达到 {answer['threshold']:.0%} 的限值；依据 {used}{caveat}"
            f" / project {answer['project_code']} {figure['key']}: approved"
            f" {figure['approved']:.2f} {unit}, actual {figure['actual']:.2f} {unit}"
            f" ({figure['deviation']:+.1%}) over {compared['months_used']} months"
        ),
        severity="critical" if certain else "warning",
        ceiling=None if certain else "warning",
        enterprise_id=answer["enterprise_id"],
        division_code=answer["division_code"],
        detail={
            "project_id": answer["project_id"],
            "figure": figure["key"],
            "approved": figure["approved"],
            "actual": figure["actual"],
            "deviation": figure["deviation"],
            "threshold": answer["threshold"],
            "months_used": compared["months_used"],
            "first_month": str(compared["first_used"]),
            "last_month": str(compared["last_used"]),
            "partial": compared["partial"],
            "complete": compared["complete"],
        },
    )


def _month(day: Any) -> str:
    return f"{day.year}年{day.month}月"
