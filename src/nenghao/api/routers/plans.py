"""An enterprise's collection plan (采集方案): the plan now, its versions, submission by the
enterprise and review (approve or return) by the district or the city; the list of plans
awaiting review. Scoped like the enterprise routes (outside the scope answers 404)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep
from nenghao.api.models.plans import (
    PlanListed,
    PlanNoteIn,
    PlanOut,
    PlanReturnIn,
    PlanReviewIn,
    PlanVersionOut,
    PlanVersionSummary,
)
from nenghao.api.params import INT32_MAX, Id
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, page_out
from nenghao.store import plans

router = APIRouter(tags=["plans"], route_class=JsonRoute)
Reader = Annotated[Principal, require("plans:read")]
Submitter = Annotated[Principal, require("plans:submit")]
Reviewer = Annotated[Principal, require("plans:review")]
PLAN = "/enterprises/{enterprise_id}/plan"
Version = Annotated[int, Path(ge=1, le=INT32_MAX)]


@router.get(PLAN, response_model=PlanOut, summary="The collection plan now")
def current_plan(enterprise_id: Id, principal: Reader, engine: EngineDep) -> Any:
    """Status (draft, submitted, returned, approved), the newest version, the change waiting
    to be submitted and every item's approval state."""
    with engine.connect() as conn:
        return plans.current(conn, principal.scope, enterprise_id)


@router.get(
    PLAN + "/versions",
    response_model=PageOut[PlanVersionSummary],
    summary="Versions of the collection plan",
)
def plan_versions(
    enterprise_id: Id, principal: Reader, engine: EngineDep, paging: PagingDep
) -> Any:
    """Every submitted version with its review, newest first."""
    with engine.connect() as conn:
        page = plans.list_versions(
            conn, principal.scope, enterprise_id, offset=paging.offset, limit=paging.page_size
        )
    return page_out(page, paging.page_size)


@router.get(
    PLAN + "/versions/{version}",
    response_model=PlanVersionOut,
    summary="One version of the collection plan",
)
def plan_version(enterprise_id: Id, version: Version, principal: Reader, engine: EngineDep) -> Any:
    """The version's items as submitted and its change from the approved plan."""
    with engine.connect() as conn:
        return plans.get_version(conn, principal.scope, enterprise_id, version)


@router.post(
    PLAN + "/submit",
    response_model=PlanVersionOut,
    status_code=201,
    summary="Submit the collection plan for review",
    responses={409: {"description": "plan_already_submitted"}, 422: {"description": "plan_empty"}},
)
def submit_plan(
    enterprise_id: Id, body: PlanNoteIn, principal: Submitter, engine: EngineDep, remote: RemoteDep
) -> Any:
    """The enterprise's active items become the next version, awaiting review."""
    with engine.begin() as conn:
        return plans.submit(
            conn,
            principal.scope,
            enterprise_id,
            actor=principal.username,
            note=body.note,
            remote=remote,
        )


def _review(
    enterprise_id: int,
    decision: Literal["approved", "returned"],
    body: PlanReviewIn | PlanReturnIn,
    principal: Principal,
    engine: Any,
    remote: str | None,
) -> Any:
    with engine.begin() as conn:
        return plans.review(
            conn,
            principal.scope,
            enterprise_id,
            decision,
            actor=principal.username,
            comment=body.comment,
            remote=remote,
        )


@router.post(
    PLAN + "/approve",
    response_model=PlanVersionOut,
    summary="Approve the submitted collection plan",
    responses={409: {"description": "plan_not_submitted"}},
)
def approve_plan(
    enterprise_id: Id, body: PlanReviewIn, principal: Reviewer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """The submitted items that still stand as submitted are approved and accept data."""
    return _review(enterprise_id, "approved", body, principal, engine, remote)


@router.post(
    PLAN + "/return",
    response_model=PlanVersionOut,
    summary="Return the submitted collection plan with a comment",
    responses={409: {"description": "plan_not_submitted"}},
)
def return_plan(
    enterprise_id: Id, body: PlanReturnIn, principal: Reviewer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Back to the enterprise with the reviewer's comment (required: 422
    ``plan_comment_required``)."""
    return _review(enterprise_id, "returned", body, principal, engine, remote)


@router.get("/plans", response_model=PageOut[PlanListed], summary="Collection plans by status")
def list_plans(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    status: Literal["submitted", "approved", "returned"] = "submitted",
) -> Any:
    """Plan versions in the caller's scope, by default those awaiting review, oldest first."""
    with engine.connect() as conn:
        page = plans.awaiting(
            conn, principal.scope, status=status, offset=paging.offset, limit=paging.page_size
        )
    return page_out(page, paging.page_size)
