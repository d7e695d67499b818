"""The review workflow of a project: one transition table, who may take each step, what each
step needs; every step audited and recorded in ``project_steps``.

States (see docs/projects.md): draft → submitted → under_review (受理) → expert_review →
approved / rejected; the exempt tier (no energy report) goes draft → submitted → filed (备案)
on the applicant's commitment (承诺书). A reviewer may return a submitted project to draft;
the applicant may withdraw it any time before a decision. ``commission`` records the date an
approved or filed project went into operation (its status stays).

Who: the *applicant side* is the applicant enterprise's user, or a regulator (city, admin,
or the district of the project's division) acting for it; the *reviewer* is the level
``review.toml`` assigns to the project's tier — a district user (its division only) for a
district-level tier, the city regulator (or admin) for a city-level tier and for the
provincial tier, whose opinion the city platform records. A two-high project is never
reviewed by a district and needs more expert opinions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection

from nenghao.review.authority import Authority, authority, due_at
from nenghao.review.rules import LEVEL_NAMES_ZH
from nenghao.store import audit
from nenghao.store import projects as store
from nenghao.store.common import ConflictError, InvalidInputError, OutsideScopeError, now
from nenghao.store.scope import Scope

Side = Literal["applicant", "reviewer", "either"]
OPEN = ("draft", "submitted", "under_review", "expert_review")
REVIEWING = ("under_review", "expert_review")
REPORTED = ("provincial", "local")


@dataclass(frozen=True)
class Transition:
    """A step: the states it leaves, the state it reaches (None: stays), who takes it and
    for which tiers (None: all)."""

    sources: tuple[str, ...]
    target: str | None
    side: Side
    tiers: tuple[str, ...] | None = None


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(("draft",), "submitted", "applicant"),
    "withdraw": Transition(OPEN, "withdrawn", "applicant"),
    "return": Transition(("submitted",), "draft", "reviewer"),
    "accept": Transition(("submitted",), "under_review", "reviewer", REPORTED),
    "file": Transition(("submitted",), "filed", "reviewer", ("exempt",)),
    "opinion": Transition(REVIEWING, "expert_review", "reviewer", REPORTED),
    "approve": Transition(REVIEWING, "approved", "reviewer", REPORTED),
    "reject": Transition(REVIEWING, "rejected", "reviewer", REPORTED),
    "commission": Transition(("approved", "filed"), None, "either"),
}
"""The one transition table; anything else is ``project_transition_not_allowed``."""

ACTION_NAMES_ZH = {
    "create": "创建",
    "update": "修改",
    "submit": "提交",
    "withdraw": "撤回",
    "return": "退回修改",
    "accept": "受理",
    "file": "备案",
    "opinion": "专家意见",
    "approve": "审查通过",
    "reject": "审查不通过",
    "commission": "投产",
    "document": "上传文件",
    "link": "关联数据项",
}
STATUS_NAMES_ZH = {
    "draft": "草稿",
    "submitted": "已提交",
    "under_review": "审查中（已受理）",
    "expert_review": "专家评审",
    "approved": "审查通过",
    "rejected": "审查不通过",
    "filed": "已备案",
    "withdrawn": "已撤回",
}


def allowed_actions(status: str, tier: str | None) -> list[str]:
    """The actions the table allows from `status` for a project of `tier`."""
    return [
        name
        for name, step in TRANSITIONS.items()
        if status in step.sources and (step.tiers is None or tier in step.tiers)
    ]


def is_reviewer(user: Mapping[str, Any], project: Mapping[str, Any], rules: Authority) -> bool:
    """Whether `user` reviews `project`: its level (tier, two-high) and division."""
    level = project["review_level"]
    if user["role"] == "district":
        return bool(level == "district" and user["division_code"] == project["division_code"])
    return user["role"] in ("regulator", "admin") and level in ("city", "province")


def is_applicant(user: Mapping[str, Any], project: Mapping[str, Any]) -> bool:
    """Whether `user` acts for the applicant: its enterprise, or a regulator in scope."""
    if user["role"] == "enterprise":
        return bool(user["enterprise_id"] == project["applicant_enterprise_id"])
    if user["role"] == "district":
        return bool(user["division_code"] == project["division_code"])
    return user["role"] in ("regulator", "admin")


def may(user: Mapping[str, Any], project: Mapping[str, Any], action: str, rules: Authority) -> bool:
    """Whether `user` may take `action` on `project` by role, tier and division."""
    side = TRANSITIONS[action].side
    applicant, reviewer = is_applicant(user, project), is_reviewer(user, project, rules)
    return {"applicant": applicant, "reviewer": reviewer, "either": applicant or reviewer}[side]


def actions_for(
    user: Mapping[str, Any], project: Mapping[str, Any], rules: Authority | None = None
) -> list[str]:
    """The actions `user` may take on `project` now."""
    used = rules or authority()
    status, tier = project["status"], project["review_tier"]
    return [a for a in allowed_actions(status, tier) if may(user, project, a, used)]


def _check_allowed(project: Mapping[str, Any], action: str) -> Transition:
    allowed = allowed_actions(project["status"], project["review_tier"])
    if action not in allowed:
        status = project["status"]
        raise ConflictError(
            f"project {project['code']} is {status}: '{action}' is not allowed; allowed:"
            f" {', '.join(allowed) or 'none'}",
            code="project_transition_not_allowed",
            details={"status": status, "action": action, "allowed": allowed},
            zh=f"项目当前状态为“{STATUS_NAMES_ZH[status]}”，不能执行“"
            f"{ACTION_NAMES_ZH.get(action, action)}”；可执行："
            f"{'、'.join(ACTION_NAMES_ZH[a] for a in allowed) or '无'}",
        )
    return TRANSITIONS[action]


def _check_actor(
    user: Mapping[str, Any], project: Mapping[str, Any], action: str, rules: Authority
) -> None:
    if may(user, project, action, rules):
        return
    level = project["review_level"]
    side = TRANSITIONS[action].side
    raise OutsideScopeError(
        f"'{action}' is for the {side} side; project {project['code']} is reviewed at"
        f" {level} level",
        code="project_action_forbidden",
        details={"action": action, "side": side, "level": level},
        zh=f"无权执行“{ACTION_NAMES_ZH[action]}”：该项目由{LEVEL_NAMES_ZH[level]}审查"
        + ("（两高项目）" if project["two_high"] else ""),
    )


def _text(payload: Mapping[str, Any], key: str, action: str) -> str:
    value = str(payload.get(key) or "").strip()
    if not value:
        raise InvalidInputError(
            f"'{action}' needs {key}",
            code="project_step_incomplete",
            details={"field": key, "action": action},
            zh=f"“{ACTION_NAMES_ZH[action]}”须填写{_FIELD_ZH[key]}",
        )
    return value


_FIELD_ZH = {
    "comment": "意见或理由",
    "expert": "专家姓名",
    "opinion": "专家意见",
    "commissioned_on": "投产日期",
}


def _needs(
    conn: Connection,
    project: Mapping[str, Any],
    action: str,
    payload: Mapping[str, Any],
    rules: Authority,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the step writes on the project and into the step's details, checked."""
    at = now()
    pid = project["id"]
    if action == "submit":
        kind = "commitment" if project["review_tier"] == "exempt" else "energy_report"
        if not store.has_document(conn, pid, kind):
            raise ConflictError(
                f"project {project['code']} needs a document of kind {kind} before submission",
                code="project_document_missing",
                details={"kind": kind},
                zh="提交前须上传" + ("承诺书" if kind == "commitment" else "节能报告"),
            )
        return {"submitted_at": at}, {}
    if action in ("return", "reject"):
        _text(payload, "comment", action)
        values = {"decided_at": at, "conditions": payload["comment"]} if action == "reject" else {}
        return values, {}
    if action == "accept":
        return {"accepted_at": at, "due_at": due_at(at, rules)}, {}
    if action == "opinion":
        details: dict[str, Any] = {
            "expert": _text(payload, "expert", action),
            "opinion": _text(payload, "opinion", action),
        }
        if payload.get("document_id") is not None:
            store.document(conn, pid, int(payload["document_id"]), content=False)
            details["document_id"] = int(payload["document_id"])
        return {}, details
    if action == "approve":
        needed = rules.opinions_needed(bool(project["two_high"]))
        have = store.count_steps(conn, pid, "opinion")
        if have < needed:
            raise ConflictError(
                f"approval needs {needed} expert opinions, project {project['code']} has {have}",
                code="expert_opinions_missing",
                details={"needed": needed, "have": have, "two_high": bool(project["two_high"])},
                zh=f"审查通过须至少 {needed} 份专家意见，目前 {have} 份",
            )
        return {"decided_at": at, "conditions": payload.get("conditions") or None}, {}
    if action in ("withdraw", "file"):
        return ({"decided_at": at} if action == "file" else {}), {}
    day = payload.get("commissioned_on")
    if not isinstance(day, date):
        _text({}, "commissioned_on", action)
    return {"commissioned_on": day}, {"commissioned_on": str(day)}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def act(
    conn: Connection,
    user: Mapping[str, Any],
    scope: Scope,
    project_id: int,
    action: str,
    payload: Mapping[str, Any] | None = None,
    *,
    rules: Authority | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Take `action` on the project; returns the step recorded.

    Raises ``project_not_found`` (404, also outside scope), ``project_transition_not_allowed``
    (409, naming the status and the allowed actions), ``project_action_forbidden`` (403),
    ``project_step_incomplete`` (422), ``project_document_missing`` and
    ``expert_opinions_missing`` (409).
    """
    used, given = rules or authority(), dict(payload or {})
    project = store.require(conn, scope, project_id)
    if action not in TRANSITIONS:
        _check_allowed(project, action)
    step = _check_allowed(project, action)
    _check_actor(user, project, action, used)
    values, details = _needs(conn, project, action, given, used)
    target = step.target or project["status"]
    store.update_project(conn, project_id, {**values, "status": target}, given.get("version"))
    comment = given.get("comment") or given.get("conditions")
    step_id = store.add_step(
        conn, project_id, action, project["status"], target, user["id"], comment, details
    )
    before = {"status": project["status"], "version": project["version"]}
    after = {"status": target, **{k: _jsonable(v) for k, v in values.items()}, **details}
    if comment:
        after["comment"] = comment
    audit.record(
        conn,
        str(user["username"]),
        f"project.{action}",
        "project",
        project_id,
        before,
        after,
        remote,
    )
    return {"id": step_id, "action": action, "from_status": project["status"], "to_status": target}
