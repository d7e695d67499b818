"""Retrofit savings become pathway measures; a saving in tce alone is valued by hand."""

from __future__ import annotations

import pytest

from nenghao.pathway.emissions import SectorEmissions
from nenghao.pathway.errors import PathwayInputError
from nenghao.pathway.retrofit_inputs import retrofit_measure

# Magnesia in the base year: fuels 600 + electricity 200 + process 400 = 1 200 tCO2 from
# 300 tce of energy: 1 200 / 300 = 4 tCO2 per tce.
BASE = SectorEmissions({"fuels": 600.0, "electricity": 200.0, "heat": 0.0, "process": 400.0})
BASE.energy_tce = 300.0


def test_a_claimed_saving_in_tce_is_valued_at_the_sectors_co2_per_tce():
    # 50 tce x 4 tCO2/tce = 200 tCO2 per year, still marked claimed.
    measure = retrofit_measure(
        retrofit_id=7, name="1号窑", year=2027, sector="magnesia", saving_tce=50.0,
        saving_tco2=None, verified=False, base=BASE,
    )  # fmt: skip
    assert (measure.saving_tco2, measure.status, measure.retrofit_id) == (200.0, "claimed", 7)


def test_a_verified_saving_keeps_its_measured_co2():
    measure = retrofit_measure(
        retrofit_id=8, name="2号窑", year=2027, sector="magnesia", saving_tce=50.0,
        saving_tco2=130.0, verified=True, base=BASE,
    )  # fmt: skip
    assert (measure.saving_tco2, measure.status) == (130.0, "verified")


def test_no_base_energy_is_refused():
    empty = SectorEmissions({"fuels": 0.0})
    with pytest.raises(PathwayInputError, match="no energy"):
        retrofit_measure(
            retrofit_id=9, name="x", year=2027, sector="rest", saving_tce=1.0,
            saving_tco2=None, verified=False, base=empty,
        )  # fmt: skip
