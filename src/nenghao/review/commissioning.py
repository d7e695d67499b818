"""After commissioning (事中事后监管): link an operating project to the data items that meter
it.

An approved or filed (备案) project whose applicant is an enterprise of the register is
linked to that enterprise's approved energy, medium and product-output items. The date of
commissioning is the workflow's ``commission`` step (`nenghao.review.workflow`, the one
transition table): given with the link, it is recorded through that step; a project not yet
commissioned must give it. The link itself is a step (``link``) and is audited.

Refusals: ``project_not_found`` (404, also outside scope); ``project_not_commissionable``
(409, not approved or filed); ``project_applicant_unregistered`` (422, no enterprise of the
register to meter); ``item_not_found`` (404, no such item); ``project_item_not_linkable``
(422, an item of another enterprise, not approved in the collection plan, or metering
neither energy nor product output); ``project_step_incomplete`` (422, no commissioning date).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from nenghao.review import workflow
from nenghao.store import audit, enterprises
from nenghao.store import project_items as links
from nenghao.store import projects as store
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError
from nenghao.store.scope import Scope

OPERATING = ("approved", "filed")
"""The states whose projects may be commissioned and linked."""
LINKABLE_MEASURES = ("energy", "medium", "product")
"""Energy and energy-carrying media (consumption) and product output (unit consumption)."""
MAX_ITEMS = 200


def operating_project(conn: Connection, scope: Scope, project_id: int) -> dict[str, Any]:
    """The project in scope, approved or filed, with a registered applicant; else refused."""
    project = store.require(conn, scope, project_id)
    status = project["status"]
    if status not in OPERATING:
        raise ConflictError(
            f"project {project['code']} is {status}; only an approved or filed project"
            " operates and is linked to data items",
            code="project_not_commissionable",
            details={"status": status},
            zh=f"项目当前状态为“{workflow.STATUS_NAMES_ZH[status]}”，"
            "只有审查通过或已备案的项目才能投产并关联数据项",
        )
    if project["applicant_enterprise_id"] is None:
        raise InvalidInputError(
            f"the applicant of project {project['code']} is not an enterprise of the register;"
            " register the enterprise and its items first",
            code="project_applicant_unregistered",
            details={"applicant": project.get("applicant")},
            zh=f"项目申报单位“{project.get('applicant') or ''}”尚未登记为用能单位，"
            "请先登记单位及其数据项",
        )
    return project


def _refusal(item: Mapping[str, Any], enterprise_id: int) -> str | None:
    """Why `item` may not meter a project of `enterprise_id` (Chinese), or None."""
    if item["enterprise_id"] != enterprise_id:
        return "不属于项目申报单位"
    if item["approval"] != "approved":
        return "采集方案中尚未批准"
    if item["measures"] not in LINKABLE_MEASURES:
        return "既非能源消费也非产品产量数据项"
    return None


def check_items(
    conn: Connection, enterprise_id: int, item_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """The items of `item_ids` if every one may meter a project of `enterprise_id`."""
    if not item_ids or len(set(item_ids)) > MAX_ITEMS:
        raise InvalidInputError(
            f"give between 1 and {MAX_ITEMS} item ids",
            code="project_item_not_linkable",
            details={"field": "item_ids"},
            zh=f"请给出 1 至 {MAX_ITEMS} 个数据项",
        )
    found = links.items_by_id(conn, item_ids)
    missing = sorted(set(item_ids) - set(found))
    if missing:
        raise NotFoundError(
            f"data items {missing} not found",
            code="item_not_found",
            details={"item_ids": missing},
        )
    refused = {
        i: why for i, item in found.items() if (why := _refusal(item, enterprise_id)) is not None
    }
    if refused:
        listed = "；".join(
            f"{found[i]['name']}（{found[i]['code']}）{why}" for i, why in refused.items()
        )
        raise InvalidInputError(
            f"items {sorted(refused)} may not meter this project: an item of the applicant"
            " enterprise, approved in its collection plan, metering energy or product output",
            code="project_item_not_linkable",
            details={"item_ids": sorted(refused), "reasons": refused},
            zh=f"以下数据项不能关联到该项目：{listed}",
        )
    return [found[i] for i in sorted(found)]


def link(
    conn: Connection,
    user: Mapping[str, Any],
    scope: Scope,
    project_id: int,
    item_ids: Sequence[int],
    commissioned_on: date | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Link items to an operating project (commissioning it first when a date is given);
    returns the project's commissioning date and every linked item."""
    project = operating_project(conn, scope, project_id)
    items = check_items(conn, project["applicant_enterprise_id"], item_ids)
    if commissioned_on is not None and commissioned_on != project["commissioned_on"]:
        workflow.act(
            conn,
            user,
            scope,
            project_id,
            "commission",
            {"commissioned_on": commissioned_on},
            remote=remote,
        )
    elif project["commissioned_on"] is None:
        workflow.act(conn, user, scope, project_id, "commission", {}, remote=remote)  # refused
    before = links.linked_ids(conn, project_id)
    new = links.link(conn, project_id, [i["id"] for i in items], user["id"])
    if new:
        status = project["status"]
        store.add_step(
            conn, project_id, "link", status, status, user["id"], None, {"item_ids": new}
        )
        audit.record(
            conn,
            str(user["username"]),
            "project.link",
            "project",
            project_id,
            {"item_ids": before},
            {"item_ids": sorted({*before, *new})},
            remote,
        )
    return linked_view(conn, scope, project_id)


def linked_view(conn: Connection, scope: Scope, project_id: int) -> dict[str, Any]:
    """The project's commissioning date, applicant and linked items (in scope)."""
    project = store.require(conn, scope, project_id)
    enterprise_id = project["applicant_enterprise_id"]
    found = enterprises.get(conn, Scope.all(), enterprise_id) if enterprise_id else None
    return {
        "project_id": project_id,
        "project_name": project["name"],
        "enterprise_id": enterprise_id,
        "enterprise_name": found["name"] if found else project.get("applicant"),
        "commissioned_on": project["commissioned_on"],
        "items": links.linked(conn, project_id),
    }
