"""The demo city's pathway: two scenarios made through the services, the policy one peaking
no later and no higher than business as usual, every edit audited, removed with the demo."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from nenghao.demo import build_demo
from nenghao.demo.build import remove_demo
from nenghao.demo.pathway import BAU_NAME, POLICY_NAME, base_year_of
from nenghao.pathway.answers import pathway_answer
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import audit_log
from nenghao.store.schema_pathway import pathway_measures, pathway_scenarios
from nenghao.store.scope import Scope

END = date(2025, 3, 9)
DAYS = 70  # 2024-12-30 .. 2025-03-09: no whole year, so the base year 2025 is partial


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    upgrade(engine)
    build_demo(engine, days=DAYS, end=END, manifest_dir=folder)
    yield engine
    engine.dispose()


def test_base_year_is_the_last_whole_year():
    assert base_year_of(date(2024, 12, 1), date(2026, 12, 4)) == (2025, False)
    assert base_year_of(date(2025, 1, 1), date(2025, 12, 31)) == (2025, False)
    assert base_year_of(date(2024, 12, 30), END) == (2025, True)


def test_two_scenarios_with_measures_and_audit(city):
    with city.connect() as conn:
        answer = pathway_answer(conn, Scope.all(), END)
        kinds = conn.execute(select(pathway_measures.c.kind, pathway_measures.c.status)).all()
        audited = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.action.like("pathway.%"))
        ).scalar_one()
    lines = {s["name"]: s for s in answer["scenarios"]}
    assert set(lines) == {BAU_NAME, POLICY_NAME}
    bau, policy = lines[BAU_NAME], lines[POLICY_NAME]
    assert policy["peak_year"] <= bau["peak_year"]
    assert policy["peak_tco2"] <= bau["peak_tco2"]
    assert policy["years"][-1]["tco2"] < bau["years"][-1]["tco2"]
    assert {k for k, _s in kinds} == {
        "retrofit",
        "fuel_switch",
        "renewable_electricity",
        "capacity_change",
    }
    assert {s for k, s in kinds if k == "retrofit"} == {"verified", "claimed"}
    assert audited >= 2 + len(kinds)
    remove_demo(city)  # the demo leaves no scenario behind
    with city.connect() as conn:
        assert conn.execute(select(func.count()).select_from(pathway_scenarios)).scalar_one() == 0
