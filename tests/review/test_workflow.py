"""The review workflow on both databases: every state, who may act, what each step needs."""

from __future__ import annotations

import pytest
from project_support import FIELDS, cast
from sqlalchemy import select

from nenghao.review import register, workflow
from nenghao.store import projects as store
from nenghao.store.common import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    OutsideScopeError,
)
from nenghao.store.schema import audit_log
from nenghao.store.scope import Scope

PDF = {
    "filename": "r.pdf",
    "content_type": "application/pdf",
    "size": 3,
    "sha256": "0" * 64,
    "content": b"%PDF",
}


def _act(conn, user, pid, action, **payload):
    return workflow.act(conn, user, Scope.for_user(user), pid, action, payload)


@pytest.fixture
def people(engine):
    with engine.begin() as conn:
        return cast(conn)


def _create(engine, people, user="ent1", **extra):
    with engine.begin() as conn:
        u = people[user]
        pid = register.create(conn, u, Scope.for_user(u), {**FIELDS, **extra})
        store.add_document(conn, pid, "energy_report", PDF, u["id"])
        return pid


def test_a_project_through_every_state_to_approval(engine, people):
    pid = _create(engine, people)
    with engine.begin() as conn:
        row = store.require(conn, Scope.all(), pid)
        assert (row["status"], row["review_tier"], row["two_high"]) == ("draft", "local", False)
        assert row["code"].startswith("XM-")
        assert row["division_code"] == "210302"
        assert row["assessed_tce"] == pytest.approx(1551.5)  # 1 428.6 + 122.9
        _act(conn, people["ent1"], pid, "submit")
        _act(conn, people["city"], pid, "return", comment="补充用能设备清单")
        _act(conn, people["ent1"], pid, "submit")
        _act(conn, people["city"], pid, "accept")
        accepted = store.require(conn, Scope.all(), pid)
        assert accepted["due_at"] > accepted["accepted_at"]
        with pytest.raises(ConflictError) as refused:
            _act(conn, people["city"], pid, "approve")
        assert refused.value.code == "expert_opinions_missing"
        _act(
            conn,
            people["city"],
            pid,
            "opinion",
            expert="王工",
            opinion="同意，建议采用一级能效电机",
        )
        _act(conn, people["city"], pid, "approve", conditions="投产后一年内完成节能验收")
        done = store.require(conn, Scope.all(), pid)
        steps = store.steps(conn, pid).items
        actions = (
            conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "project"))
            .scalars()
            .all()
        )
    assert done["status"] == "approved"
    assert done["conditions"].startswith("投产后")
    assert [s["action"] for s in steps] == [
        "create",
        "submit",
        "return",
        "submit",
        "accept",
        "opinion",
        "approve",
    ]
    assert steps[5]["details"] == {"expert": "王工", "opinion": "同意，建议采用一级能效电机"}
    assert {"project.approve", "project.return"} <= set(actions)


def test_transition_not_allowed_names_the_status_and_the_allowed_actions(engine, people):
    pid = _create(engine, people)
    with engine.begin() as conn, pytest.raises(ConflictError) as refused:
        _act(conn, people["city"], pid, "approve")
    assert refused.value.code == "project_transition_not_allowed"
    assert refused.value.details == {
        "status": "draft",
        "action": "approve",
        "allowed": ["submit", "withdraw"],
    }


def test_reviewers_act_within_their_level_and_division(engine, people):
    """A province that gives the local tier to the districts (set on the stored project)."""
    pid = _create(engine, people)
    with engine.begin() as conn:
        store.update_project(conn, pid, {"review_level": "district"})
        _act(conn, people["ent1"], pid, "submit")
        with pytest.raises(OutsideScopeError) as refused:
            _act(conn, people["city"], pid, "accept")
        assert refused.value.code == "project_action_forbidden"
        with pytest.raises(OutsideScopeError):
            _act(conn, people["ent1"], pid, "accept")
        _act(conn, people["dist1"], pid, "accept")
    with engine.begin() as conn, pytest.raises(NotFoundError) as hidden:
        _act(conn, people["dist2"], pid, "opinion", expert="x", opinion="y")
    assert hidden.value.code == "project_not_found"


def test_a_two_high_project_goes_to_the_city_and_needs_more_opinions(engine, people):
    big = [{"energy": "raw_coal", "quantity": 20000, "unit": "t"}]  # 14 286 tce >= 10 000
    pid = _create(engine, people, industry_code="3110", energy=big)  # ironmaking: two-high
    with engine.begin() as conn:
        row = store.require(conn, Scope.all(), pid)
        assert (row["two_high"], row["review_tier"], row["review_level"]) == (
            True,
            "provincial",
            "province",
        )
        _act(conn, people["ent1"], pid, "submit")
        with pytest.raises(OutsideScopeError):
            _act(conn, people["dist1"], pid, "accept")
        _act(conn, people["city"], pid, "accept")
        _act(conn, people["city"], pid, "opinion", expert="E1", opinion="可")
        with pytest.raises(ConflictError) as refused:
            _act(conn, people["city"], pid, "approve")
        assert refused.value.details == {"needed": 2, "have": 1, "two_high": True}
        _act(conn, people["city"], pid, "reject", comment="能效未达基准水平")
        assert store.require(conn, Scope.all(), pid)["status"] == "rejected"


def test_exempt_project_is_filed_on_its_commitment(engine, people):
    small = {**FIELDS, "energy": [{"energy": "raw_coal", "quantity": 100, "unit": "t"}]}
    with engine.begin() as conn:
        pid = register.create(conn, people["ent1"], Scope.for_user(people["ent1"]), small)
        with pytest.raises(ConflictError) as refused:
            _act(conn, people["ent1"], pid, "submit")
        assert refused.value.details == {"kind": "commitment"}
        store.add_document(conn, pid, "commitment", PDF, people["ent1"]["id"])
        _act(conn, people["ent1"], pid, "submit")
        with pytest.raises(ConflictError):
            _act(conn, people["dist1"], pid, "accept")
        _act(conn, people["dist1"], pid, "file")
        assert store.require(conn, Scope.all(), pid)["status"] == "filed"


def test_withdraw_before_a_decision_and_reasons_are_required(engine, people):
    pid = _create(engine, people)
    with engine.begin() as conn:
        _act(conn, people["ent1"], pid, "submit")
        with pytest.raises(InvalidInputError) as refused:
            _act(conn, people["city"], pid, "return", comment="  ")
        assert refused.value.code == "project_step_incomplete"
        with pytest.raises(NotFoundError):
            _act(conn, people["ent2"], pid, "withdraw")
        _act(conn, people["ent1"], pid, "withdraw")
        assert store.require(conn, Scope.all(), pid)["status"] == "withdrawn"
