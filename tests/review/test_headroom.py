"""Headroom (增量空间) of the district's and the city's targets, worked by hand."""

from __future__ import annotations

import pytest
from project_support import cast
from sqlalchemy import insert

from nenghao.review.headroom import headroom, share_of
from nenghao.store.schema import targets
from nenghao.store.schema_projects import projects


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
