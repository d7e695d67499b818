"""Additive LMDI-I on worked examples computed by hand (Ang 2005; zeros: Ang & Liu 2007)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nenghao.pathway.errors import LmdiInputError
from nenghao.pathway.lmdi import SectorYear, decompose, log_mean


def test_two_sectors_two_years_sum_exactly_to_the_change():
    # Year 0: A  Q=100 万元  E=50 tce  C=120 tCO2;  B  Q=100  E=20  C=40   (Q0 = 200)
    # Year T: A  Q=120       E=54      C=126;       B  Q=180  E=27  C=54   (QT = 300)
    # Change: (126 + 54) - (120 + 40) = 180 - 160 = 20 tCO2
    base = {"A": SectorYear(100, 50, 120), "B": SectorYear(100, 20, 40)}
    target = {"A": SectorYear(120, 54, 126), "B": SectorYear(180, 27, 54)}
    # Logarithmic means of the sectors' CO2:
    #   L_A = (126 - 120) / ln(126/120) = 6 / ln 1.05 = 6 / 0.0487901642 = 122.9756059
    #   L_B = (54 - 40) / ln(54/40)     = 14 / ln 1.35 = 14 / 0.3001045925 = 46.6504024
    # Factor ratios (T over 0):
    #   activity   Q:  300/200 = 1.5 for both sectors            ln = 0.4054651081
    #   structure  S:  A 0.4/0.5 = 0.8 (ln -0.2231435513); B 0.6/0.5 = 1.2 (ln 0.1823215568)
    #   intensity  I:  A 0.45/0.5 = 0.9 (ln -0.1053605157); B 0.15/0.2 = 0.75 (ln -0.2876820725)
    #   carbon     F:  A (126/54)/(120/50) = 2.3333/2.4 = 0.9722222 (ln -0.0281708770); B 2/2 = 1
    # Effects = L_A ln(ratio_A) + L_B ln(ratio_B):
    #   activity  = 122.9756059*0.4054651081 + 46.6504024*0.4054651081
    #             = 49.8623173 + 18.9151105 = 68.7774278
    #   structure = 122.9756059*(-0.2231435513) + 46.6504024*0.1823215568
    #             = -27.4412134 + 8.5053740 = -18.9358394
    #   intensity = 122.9756059*(-0.1053605157) + 46.6504024*(-0.2876820725)
    #             = -12.9567732 - 13.4204844 = -26.3772577
    #   carbon    = 122.9756059*(-0.0281708770) + 0 = -3.4643307
    #   sum       = 68.7774278 - 18.9358394 - 26.3772577 - 3.4643307 = 20.0000000
    result = decompose(base, target)
    assert log_mean(126, 120) == pytest.approx(122.9756059, abs=1e-6)
    assert log_mean(54, 40) == pytest.approx(46.6504024, abs=1e-6)
    assert result.change == pytest.approx(20.0, abs=1e-12)
    assert result.effects["activity"] == pytest.approx(68.7774278, abs=1e-6)
    assert result.effects["structure"] == pytest.approx(-18.9358394, abs=1e-6)
    assert result.effects["intensity"] == pytest.approx(-26.3772577, abs=1e-6)
    assert result.effects["carbon_factor"] == pytest.approx(-3.4643307, abs=1e-6)
    assert abs(result.residual) < 1e-9
    by_sector = {s.sector: s for s in result.sectors}
    assert by_sector["A"].effects["structure"] == pytest.approx(-27.4412134, abs=1e-6)
    assert by_sector["B"].effects["intensity"] == pytest.approx(-13.4204844, abs=1e-6)
    assert sum(by_sector["B"].effects.values()) == pytest.approx(14.0, abs=1e-9)


def test_a_sector_that_starts_takes_the_limit_treatment():
    # Year 0: A  Q=100 E=50 C=100; C absent (all zero).        Q0 = 100
    # Year T: A  Q=100 E=50 C=100; C  Q=100 E=10 C=30.          QT = 200
    # A: L_A = L(100, 100) = 100; activity 100 ln 2 = 69.3147181; structure 100 ln(0.5/1)
    #    = -69.3147181; intensity and carbon factor 0.
    # C: C^0 = 0, its output value is zero in year 0, so structure is the first zero factor:
    #    limit of L(30, d) ln(S^T / d) as d -> 0 is 30 (Ang & Liu 2007); other effects 0.
    # Effects: activity 69.3147181, structure -69.3147181 + 30 = -39.3147181; total 30.
    base = {"A": SectorYear(100, 50, 100)}
    target = {"A": SectorYear(100, 50, 100), "C": SectorYear(100, 10, 30)}
    result = decompose(base, target)
    assert result.effects["activity"] == pytest.approx(69.3147181, abs=1e-6)
    assert result.effects["structure"] == pytest.approx(-39.3147181, abs=1e-6)
    assert result.effects["intensity"] == 0.0
    assert result.effects["carbon_factor"] == 0.0
    assert result.change == 30.0
    assert abs(result.residual) < 1e-9
    treatment = {s.sector: s.treatment for s in result.sectors}
    assert treatment == {"A": "log_mean", "C": "limit_start"}


def test_a_sector_whose_emissions_stop_gives_its_co2_to_the_carbon_factor():
    # A keeps output and energy but emits nothing in year T (F^T = 0): the carbon factor
    # effect is the limit -C^0 = -40; B unchanged (weights L(60,60) = 60, every ln = 0).
    base = {"A": SectorYear(50, 20, 40), "B": SectorYear(50, 30, 60)}
    target = {"A": SectorYear(50, 20, 0), "B": SectorYear(50, 30, 60)}
    result = decompose(base, target)
    assert result.effects == {
        "activity": 0.0,
        "structure": 0.0,
        "intensity": 0.0,
        "carbon_factor": -40.0,
    }


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (SectorYear(-5, 10, 10), "output_value"),
        (SectorYear(5, -10, 10), "energy_tce"),
        (SectorYear(5, 10, -1), "tco2"),
        (SectorYear(0, 10, 10), "output_value"),  # energy without output value
        (SectorYear(5, 0, 10), "energy_tce"),  # CO2 without energy
    ],
)
def test_negative_or_undefined_inputs_are_refused_saying_where(value, field):
    base = {"A": SectorYear(100, 50, 100), "B": SectorYear(10, 5, 5)}
    with pytest.raises(LmdiInputError) as caught:
        decompose(base, {"A": SectorYear(100, 50, 100), "B": value}, "2020", "2025")
    assert caught.value.code == "lmdi_invalid_input"
    assert caught.value.details["sector"] == "B"
    assert caught.value.details["year"] == "2025"
    assert caught.value.details["field"] == field
    assert "LMDI" in caught.value.message or "undefined" in caught.value.message


def test_a_year_without_output_value_is_refused():
    with pytest.raises(LmdiInputError, match="no output value"):
        decompose({"A": SectorYear(0, 0, 0)}, {"A": SectorYear(10, 5, 5)})


_figure = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
_sector = st.one_of(
    st.builds(SectorYear, _figure, _figure, _figure),
    st.just(SectorYear(0.0, 0.0, 0.0)),
    st.builds(lambda q, e: SectorYear(q, e, 0.0), _figure, _figure),
)


@given(
    st.lists(st.tuples(_sector, _sector), min_size=1, max_size=6).filter(
        lambda pairs: (
            sum(a.output_value for a, _b in pairs) > 0
            and sum(b.output_value for _a, b in pairs) > 0
        )
    )
)
def test_effects_always_sum_to_the_change(pairs):
    """Any positive or zero inputs: the four effects add up to the change (no residual)."""
    base = {f"s{k}": a for k, (a, _b) in enumerate(pairs)}
    target = {f"s{k}": b for k, (_a, b) in enumerate(pairs)}
    result = decompose(base, target)
    scale = max(1.0, result.base_total, result.target_total)
    assert abs(result.residual) <= 1e-9 * scale
