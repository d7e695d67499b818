"""The demo city's projects: one in every state of the review, taken there by the real
services, and the fused-magnesia line whose metered consumption runs 20 % over its approval
raising ``project_deviation`` in the monitor's month run (as ``nenghao demo`` runs it)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date

import pytest
from sqlalchemy import func, select

from databases import migrated_pg_database
from nenghao.app.monitoring import build_monitor
from nenghao.config import Settings
from nenghao.demo import build_demo
from nenghao.review.workflow import STATUS_NAMES_ZH
from nenghao.standards.calendar import cst_midnight
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import alerts, audit_log, data_items, readings
from nenghao.store.schema_projects import project_items, project_steps, projects

END = date(2025, 3, 9)
DAYS = 70  # 2024-12-30 .. 2025-03-09: January and February are complete
TCE_PER_UNIT = {"electricity": 0.1229e-3, "diesel": 1.4571, "raw_coal": 0.7143}
"""GB/T 2589-2020 Annex A: kgce/kWh 0.1229 (当量值), diesel 1.4571 kgce/kg, raw coal 0.7143
kgce/kg, as tce per metered unit (kWh, t, t)."""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def city(request, tmp_path_factory):
    """The demo city built on each database (PostgreSQL: a database of its own, kept for
    the module), with the monitor's February run."""
    folder = tmp_path_factory.mktemp("demo")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'demo.db'}"
            engine = make_engine(url)
            upgrade(engine)
        else:
            url = stack.enter_context(migrated_pg_database())
            engine = make_engine(url)
        stack.callback(engine.dispose)
        build_demo(engine, days=DAYS, end=END, manifest_dir=folder)
        build_monitor(engine, Settings(database_url=url)).run_month(2025, 2)
        yield engine


def test_every_state_has_a_project_with_its_steps(city):
    with city.connect() as conn:
        rows = conn.execute(select(projects.c.id, projects.c.status, projects.c.two_high)).all()
        steps = conn.execute(select(func.count()).select_from(project_steps)).scalar_one()
        audited = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.entity == "project")
        ).scalar_one()
    assert {r.status for r in rows} == set(STATUS_NAMES_ZH)
    assert any(r.two_high for r in rows)
    assert steps > len(rows)
    assert audited > len(rows)


def test_the_linked_project_raises_a_20_percent_deviation(city):
    with city.connect() as conn:
        pid = conn.execute(
            select(projects.c.id).where(projects.c.commissioned_on.is_not(None))
        ).scalar_one()
        linked = conn.execute(
            select(data_items.c.id, data_items.c.energy_kind, data_items.c.measures)
            .join(project_items, project_items.c.item_id == data_items.c.id)
            .where(project_items.c.project_id == pid)
        ).all()
        low, high = cst_midnight(date(2025, 1, 1)), cst_midnight(date(2025, 3, 1))
        sums = dict(
            conn.execute(
                select(readings.c.item_id, func.sum(readings.c.value))
                .where(readings.c.item_id.in_([r.id for r in linked]))
                .where(readings.c.period_start >= low, readings.c.period_start < high)
                .group_by(readings.c.item_id)
            ).all()
        )
        assessed = conn.execute(select(projects.c.assessed_tce).where(projects.c.id == pid))
        approved = assessed.scalar_one()
        found = conn.execute(
            select(alerts).where(
                alerts.c.rule == "project_deviation",
                alerts.c.subject == f"project:{pid}:equivalent_tce",
            )
        ).one()
    energy = [r for r in linked if r.measures == "energy"]
    assert {r.energy_kind for r in energy} <= set(TCE_PER_UNIT)
    assert any(r.measures == "product" for r in linked)
    # Jan + Feb 2025 = 59 days scaled to the 365 days of the year ending with February
    actual = sum(sums.get(r.id, 0.0) * TCE_PER_UNIT[r.energy_kind] for r in energy) * 365 / 59
    assert approved == pytest.approx(actual / 1.2, rel=1e-6)  # approved = metered / 1.2
    assert found.detail["actual"] == pytest.approx(actual, rel=1e-6)
    assert found.detail["deviation"] == pytest.approx(0.20, abs=1e-6)
    assert found.severity == "warning"  # two months: fewer than three
    assert found.status == "open"
    assert "海城市东岳电熔镁有限公司" in found.title
    assert "电熔镁砂熔炼炉扩建项目" in found.title
    assert "+20.0%" in found.message
    assert "2 个月" in found.message


def test_one_alert_per_figure_the_approval_fixes(city):
    """Both bases run 20 % over (approved lines = metered / 1.2), yet only the counted
    (equivalent-value) consumption and the unit product raise an alert: the equal value is
    compared for reference."""
    with city.connect() as conn:
        pid = conn.execute(
            select(projects.c.id).where(projects.c.commissioned_on.is_not(None))
        ).scalar_one()
        subjects = set(
            conn.execute(
                select(alerts.c.subject).where(alerts.c.rule == "project_deviation")
            ).scalars()
        )
    figures = {s.removeprefix(f"project:{pid}:") for s in subjects}
    assert "equivalent_tce" in figures
    assert "equal_tce" not in figures
    assert "co2_t" not in figures
    assert figures <= {"equivalent_tce"} | {f for f in figures if f.startswith("unit:")}
