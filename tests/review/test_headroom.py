"""Headroom (增量空间) of the district's and the city's targets, worked by hand."""

from __future__ import annotations

import pytest
from project_support import FIELDS, cast
from sqlalchemy import insert, update

from nenghao.review import register
from nenghao.review.headroom import headroom, share_of
from nenghao.store import projects as store
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import targets
from nenghao.store.schema_projects import projects
from nenghao.store.scope import Scope


def test_share_of_a_worked_example() -> None:
    # headroom = 1 000 - 700 - 100 = 200 tce; share = 50 / 200 = 0.25
    assert share_of(50.0, 1000.0, 700.0, 100.0) == {
        "headroom": 200.0,
        "share": 0.25,
        "exceeds": False,
    }
    # 250 tce > 200 tce: flagged, not refused
    assert share_of(250.0, 1000.0, 700.0, 100.0)["exceeds"] is True
    # no headroom left: no share, flagged
    assert share_of(1.0, 1000.0, 950.0, 100.0) == {
        "headroom": -50.0,
        "share": None,
        "exceeds": True,
    }


def _target(conn, level, subject, division, energy, co2) -> None:
    conn.execute(
        insert(targets).values(
            year=2030, level=level, subject=subject, division_code=division,
            total_energy_tce=energy, total_co2_t=co2, created_at=0, updated_at=0,
        )
    )  # fmt: skip


def _approved(conn, user_id, code, division, tce, co2, commissioned=None) -> None:
    conn.execute(
        insert(projects).values(
            code=code, name=code, applicant_name="x", applicant_credit_code=None,
            division_code=division, industry_code="2641", construction_type="new",
            first_full_year=2029, status="approved", assessed_tce=tce, counted_co2_t=co2,
            commissioned_on=commissioned, created_by=user_id, created_at=0, updated_at=0,
        )
    )  # fmt: skip


def test_the_project_against_the_city_and_district_targets(engine) -> None:
    from datetime import date

    with engine.begin() as conn:
        people = cast(conn)
        uid = people["city"]["id"]
        _target(conn, "city", "210300", None, 100_000.0, 250_000.0)
        _target(conn, "division", "210302", "210302", 10_000.0, None)
        _approved(conn, uid, "XM-2029-0001", "210302", 2_000.0, 5_000.0)
        _approved(conn, uid, "XM-2029-0002", "210303", 3_000.0, 6_000.0)
        _approved(conn, uid, "XM-2029-0003", "210302", 9_999.0, 9_999.0, date(2029, 1, 1))
        project = {"id": 999, "first_full_year": 2030, "division_code": "210302"}
        project |= {"assessed_tce": 1_600.0, "counted_co2_t": 4_000.0}
        found = headroom(conn, project)
    city, district = found["subjects"]
    energy, co2 = city["indicators"]
    # no metered data: expected 0. City energy: 100 000 - 0 - (2 000 + 3 000) = 95 000 tce;
    # 1 600 / 95 000 = 0.016842 (the commissioned project no longer counts as pending)
    assert energy["pending"] == 5_000.0
    assert energy["headroom"] == 95_000.0
    assert energy["share"] == pytest.approx(0.016842, abs=1e-6)
    assert energy["line_zh"] == "占本市 2030 年能耗增量空间 1.7 %"
    # City CO2: 250 000 - 0 - (5 000 + 6 000) = 239 000 t; 4 000 / 239 000 = 0.016736
    assert co2["share"] == pytest.approx(0.016736, abs=1e-6)
    # District energy: 10 000 - 0 - 2 000 = 8 000 tce; 1 600 / 8 000 = 0.2
    d_energy, d_co2 = district["indicators"]
    assert d_energy["headroom"] == 8_000.0
    assert d_energy["share"] == pytest.approx(0.2)
    assert d_energy["line_zh"] == "占铁东区 2030 年能耗增量空间 20.0 %"
    assert d_co2["line_zh"] == "铁东区 2030 年未设定二氧化碳排放总量目标"
    assert found["exceeds"] is False


def test_no_target_is_stated(engine) -> None:
    with engine.begin() as conn:
        cast(conn)
        project = {"id": 1, "first_full_year": 2031, "division_code": "210302"}
        found = headroom(conn, project | {"assessed_tce": 1.0, "counted_co2_t": 1.0})
    assert [s.get("note") for s in found["subjects"]] == [
        "本市 2031 年未设定能耗和碳排放目标",
        "铁东区 2031 年未设定能耗和碳排放目标",
    ]


def test_a_target_on_equal_value_is_compared_at_equal_value(engine) -> None:
    """The city's 2027 target of 10 000 tce is set on equal value (等价值): the project and
    the approved project not yet in operation count at equal value too."""
    with engine.begin() as conn:
        people = cast(conn)
        city = people["city"]
        conn.execute(
            insert(targets).values(
                year=2027, level="city", subject="210300", basis="equal",
                total_energy_tce=10_000.0, created_at=0, updated_at=0,
            )
        )  # fmt: skip
        # approved, not in operation: 200 万kWh = 2e6 kWh; 当量值 2e6 x 0.1229 kgce/kWh =
        # 245.8 tce; 等价值 2e6 x 0.404 kgce/kWh (the fallback for 2027) = 808.0 tce
        electric = {**FIELDS, "name": "已批项目", "division_code": "210303"}
        electric |= {"industry_code": "2641", "applicant_name": "某公司", "products": []}
        electric["applicant_credit_code"] = make_credit_code("210303", "MA0000001")
        electric["energy"] = [{"energy": "electricity", "quantity": 200, "unit": "万kWh"}]
        other = register.create(conn, city, Scope.all(), electric)
        conn.execute(update(projects).where(projects.c.id == other).values(status="approved"))
        # the project (FIELDS): 2 000 t x 0.7143 = 1 428.6 tce of coal + 1e6 kWh: 122.9 tce
        # 当量值 (1 551.5) or 404.0 tce 等价值 (1 832.6)
        ent = people["ent1"]
        pid = register.create(conn, ent, Scope.for_user(ent), FIELDS)
        found = headroom(conn, store.require(conn, Scope.all(), pid))
    energy = found["subjects"][0]["indicators"][0]
    assert energy["basis"] == "equal"
    assert energy["project"] == pytest.approx(1_832.6)
    # headroom = 10 000 - 0 (no metered data) - 808.0 = 9 192.0 tce
    assert energy["pending"] == pytest.approx(808.0)
    assert energy["headroom"] == pytest.approx(9_192.0)
    # share = 1 832.6 / 9 192.0 = 0.199369
    assert energy["share"] == pytest.approx(0.199369, abs=1e-6)
    assert energy["line_zh"] == "占本市 2027 年能耗增量空间（等价值） 19.9 %"
