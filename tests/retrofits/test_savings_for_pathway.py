"""`retrofit_savings`, what the carbon-peak pathway reads: the verified saving per year when
the baseline model is accepted, else the claimed one marked ``claimed`` (both databases).

The kiln is tests/retrofit_kiln.py's (worked by hand in tests/api/test_retrofits_api.py):
321.435 tce saved over 6 reporting months -> 642.87 tce/a; coal has the same equal value;
tCO2: 450 t of coal x 1.866535 tCO2/t x 12/6 = 1679.88 tCO2/a.
"""

from __future__ import annotations

import pytest

from factories import add_enterprise, add_item
from nenghao.retrofits import register
from nenghao.retrofits.savings import retrofit_savings
from nenghao.store.rollups import rebuild
from nenghao.store.scope import Scope
from retrofit_kiln import body, kiln


def test_verified_and_claimed_savings(engine) -> None:
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0KN0003", "210381", "3089")
        coal, output = kiln(conn, enterprise, "kiln3", reporting_rate=0.15)
        silent = add_item(
            conn, enterprise, "kiln3.other", measures="product", usage="production", unit="t"
        )
        rebuild(conn)
        register.create(conn, Scope.all(), enterprise, body(enterprise, coal, output), actor="t")
        unverifiable = body(
            enterprise, coal, output, name="4号窑改造", claimed_saving_tce=300.0,
            variables=[{"name": "副产品", "item_id": silent}],
        )  # fmt: skip
        register.create(conn, Scope.all(), enterprise, unverifiable, actor="t")
    with engine.connect() as conn:
        found = {s.name: s for s in retrofit_savings(conn, Scope.all())}
        elsewhere = retrofit_savings(conn, Scope("division", division_code="210302"))
    verified = found["3号轻烧窑改造"]
    assert (verified.basis, verified.year) == ("verified", 2025)
    assert verified.equivalent_tce == pytest.approx(642.87, abs=1e-6)
    assert verified.equal_tce == pytest.approx(642.87, abs=1e-6)
    assert verified.tco2 == pytest.approx(1679.88, abs=2e-2)
    claimed = found["4号窑改造"]
    assert (claimed.basis, claimed.equivalent_tce, claimed.tco2) == ("claimed", 300.0, None)
    assert elsewhere == []
