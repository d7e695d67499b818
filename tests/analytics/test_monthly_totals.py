"""Monthly tce and CO2 by division and industry: a worked example computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from factories import add_enterprise, add_item
from nenghao.analytics.monthly import monthly_totals
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings
from nenghao.store.scope import Scope

JAN_2023 = int(datetime(2022, 12, 31, 16, tzinfo=UTC).timestamp())  # 2023-01-01 00:00 CST
FEB_2023 = int(datetime(2023, 1, 31, 16, tzinfo=UTC).timestamp())  # 2023-02-01 00:00 CST


def _hourly(conn, item: int, start: int, total: float, hours: int = 10) -> None:
    conn.execute(
        insert(readings),
        [
            {
                "item_id": item,
                "period": "hour",
                "period_start": start + 3600 * h,
                "value": total / hours,
                "source": "test",
                "received_at": start,
            }
            for h in range(hours)
        ],
    )


@pytest.fixture
def kiln_and_works(engine):
    with engine.begin() as conn:
        kiln = add_enterprise(conn, "MA0000001", "210381", "3089")
        elec = add_item(conn, kiln, "ent.elec", energy_kind="electricity", unit="kWh")
        coal = add_item(conn, kiln, "ent.coal", energy_kind="raw_coal", unit="t")
        steam_out = add_item(
            conn, kiln, "ent.steam.out", energy_kind="steam", unit="t", usage="export"
        )
        sub = add_item(
            conn, kiln, "kiln.elec", energy_kind="electricity", unit="kWh", boundary="kiln"
        )
        mgo = add_item(
            conn,
            kiln,
            "kiln.mgo",
            measures="product",
            usage="production",
            product_code="light_burned_magnesia",
            unit="t",
            boundary="kiln",
        )
        _hourly(conn, elec, JAN_2023, 10_000.0)
        _hourly(conn, coal, JAN_2023, 100.0)
        _hourly(conn, steam_out, JAN_2023, 10.0)
        _hourly(conn, sub, JAN_2023, 5_000.0)  # a sub-meter: not added to the fence total
        _hourly(conn, mgo, JAN_2023, 50.0)
        works = add_enterprise(conn, "MA0000002", "210303", "3130")
        gas = add_item(conn, works, "ent.ng", energy_kind="natural_gas", unit="万m3")
        _hourly(conn, gas, FEB_2023, 2.0)
        rebuild(conn)
    return kiln, works


def test_monthly_totals_worked_example(engine, kiln_and_works):
    totals = monthly_totals(engine, 2023)
    kiln = totals.tce[("210381", "3089")]
    # electricity 10 000 kWh x 0.1229 kgce/kWh        =  1 229 kgce   =  1.229 tce
    # raw coal    100 t x 714.3 kgce/t                 = 71 430 kgce   = 71.430 tce
    # steam out   10 t = 10 000 kg x 0.1286 kgce/kg    =  1 286 kgce   = -1.286 tce (exported)
    # January                                            1.229 + 71.430 - 1.286 = 71.373 tce
    assert kiln[0] == pytest.approx(71.373, rel=1e-9)
    assert kiln[1:].sum() == 0
    co2 = totals.tco2[("210381", "3089")]
    # electricity 10 MWh x 0.5122 tCO2/MWh (Northeast grid 2023)        =   5.122 tCO2
    # raw coal 100 t x 20.908 GJ/t x 0.02618 tC/GJ x 0.93 x 44/12       = 186.653661 tCO2
    # light-burned MgO 50 t x 1.0921 tCO2/t (calcination of MgCO3)      =  54.605 tCO2
    # exported steam is not credited                                    = 246.380661 tCO2
    assert co2[0] == pytest.approx(246.380661, rel=1e-8)
    works = totals.tce[("210303", "3130")]
    # natural gas 2 万m3 = 20 000 m3 x 1.2143 kgce/m3 = 24 286 kgce = 24.286 tce in February
    assert works[1] == pytest.approx(24.286, rel=1e-9)
    assert totals.city()[:2] == pytest.approx([71.373, 24.286])
    assert set(totals.by_division()) == {"210381", "210303"}
    assert totals.by_industry()["3130"][1] == pytest.approx(24.286)


def test_monthly_totals_respect_scope(engine, kiln_and_works):
    _, works = kiln_and_works
    district = monthly_totals(engine, 2023, scope=Scope("division", division_code="210303"))
    assert set(district.tce) == {("210303", "3130")}
    own = monthly_totals(engine, 2023, scope=Scope("enterprise", enterprise_id=works))
    assert set(own.tce) == {("210303", "3130")}
    assert monthly_totals(engine, 2022).city().sum() == 0
