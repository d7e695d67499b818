"""Documents of a project (节能报告, 专家意见, 承诺书, 审查意见, 其他): stored once checked by
content (`nenghao.ingest.attachments.check` in the API), uploaded by the applicant side or
the project's reviewer, audited and recorded as a step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from nenghao.review.authority import Authority, authority
from nenghao.review.workflow import is_applicant, is_reviewer
from nenghao.store import audit
from nenghao.store import projects as store
from nenghao.store.common import OutsideScopeError
from nenghao.store.scope import Scope

KIND_NAMES_ZH = {
    "energy_report": "节能报告",
    "expert_opinion": "专家意见",
    "commitment": "承诺书",
    "approval": "审查意见",
    "other": "其他",
}


def upload(
    conn: Connection,
    user: Mapping[str, Any],
    scope: Scope,
    project_id: int,
    kind: str,
    file: Mapping[str, Any],
    *,
    rules: Authority | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Store a checked file on a project in scope; returns the document (no bytes)."""
    project = store.require(conn, scope, project_id)
    used = rules or authority()
    if not (is_applicant(user, project) or is_reviewer(user, project, used)):
        raise OutsideScopeError(
            f"only the applicant side or the reviewer of project {project['code']} adds documents",
            code="project_action_forbidden",
            details={"action": "upload"},
            zh="只有申报方或该项目的审查方可以上传文件",
        )
    stored = store.add_document(conn, project_id, kind, file, user["id"])
    details = {k: stored[k] for k in ("id", "kind", "filename", "content_type", "size", "sha256")}
    store.add_step(
        conn,
        project_id,
        "document",
        project["status"],
        project["status"],
        user["id"],
        details=details,
    )
    audit.record(
        conn,
        str(user["username"]),
        "project.document",
        "project",
        project_id,
        None,
        details,
        remote,
    )
    return stored
