"""Property tests (hypothesis): additivity, round trips, signs, linearity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nenghao.accounting import EnergyFlow, comprehensive_consumption, convert, to_standard_coal
from nenghao.standards import get_catalog

CATALOG = get_catalog()
KINDS = sorted(CATALOG.energy_kinds)
AMOUNT = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
SIGNED = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
ROUND_TRIPS = [
    ("t", "kg"),
    ("万m3", "m3"),
    ("MWh", "kWh"),
    ("GJ", "MJ"),
    ("万元", "元"),
    ("tce", "kgce"),
]


def canonical(kind: str) -> str:
    return CATALOG.energy_kinds[kind].unit


@given(kind=st.sampled_from(KINDS), a=AMOUNT, b=AMOUNT)
def test_conversion_is_additive(kind: str, a: float, b: float) -> None:
    unit = canonical(kind)
    whole = to_standard_coal(a + b, unit, kind).kgce
    parts = to_standard_coal(a, unit, kind).kgce + to_standard_coal(b, unit, kind).kgce
    assert whole == pytest.approx(parts, rel=1e-9, abs=1e-6)


@given(kind=st.sampled_from(KINDS), q=AMOUNT, k=st.floats(min_value=0, max_value=1e3))
def test_conversion_scales_linearly(kind: str, q: float, k: float) -> None:
    unit = canonical(kind)
    assert to_standard_coal(k * q, unit, kind).kgce == pytest.approx(
        k * to_standard_coal(q, unit, kind).kgce, rel=1e-9, abs=1e-6
    )


@given(kind=st.sampled_from(KINDS), q=SIGNED)
def test_tce_is_kgce_over_1000(kind: str, q: float) -> None:
    result = to_standard_coal(q, canonical(kind), kind)
    assert result.tce == pytest.approx(result.kgce / 1000, rel=1e-12, abs=1e-12)
    assert (result.kgce >= 0) == (q >= 0) or result.kgce == 0


@pytest.mark.parametrize(("big", "small"), ROUND_TRIPS)
@given(x=SIGNED)
def test_unit_round_trip(big: str, small: str, x: float) -> None:
    assert convert(convert(x, big, small), small, big) == pytest.approx(x, rel=1e-12, abs=1e-9)
    assert convert(x, big, small) == pytest.approx(
        x * CATALOG.unit(big).factor / CATALOG.unit(small).factor, rel=1e-12, abs=1e-9
    )


@given(x=AMOUNT)
def test_conversion_does_not_depend_on_the_unit_spelling(x: float) -> None:
    in_tonnes = to_standard_coal(x, "t", "coke").kgce
    in_kg = to_standard_coal(x * 1000, "kg", "coke").kgce
    assert in_tonnes == pytest.approx(in_kg, rel=1e-9, abs=1e-6)


FLOW = st.builds(
    EnergyFlow,
    energy=st.sampled_from(["raw_coal", "coke", "electricity", "natural_gas", "heat", "diesel"]),
    quantity=st.floats(min_value=0, max_value=1e7),
    unit=st.just("kg"),
    role=st.sampled_from(["input", "export", "raw_material"]),
)


def _fix_unit(flow: EnergyFlow) -> EnergyFlow:
    return flow.model_copy(update={"unit": canonical(flow.energy)})


@settings(max_examples=60)
@given(flows=st.lists(FLOW, max_size=8), extra=st.floats(min_value=0.001, max_value=1e7))
def test_inputs_increase_and_exports_reduce_gross(flows: list[EnergyFlow], extra: float) -> None:
    flows = [_fix_unit(f) for f in flows]
    base = comprehensive_consumption(flows)
    assert base.gross_tce == pytest.approx(
        base.inputs_tce + base.media_tce - base.exported_tce, abs=1e-6
    )
    assert base.assessed_tce == pytest.approx(
        base.gross_tce - base.raw_material_tce - base.renewable_above_base_tce, abs=1e-6
    )
    more = comprehensive_consumption([*flows, EnergyFlow(energy="coke", quantity=extra, unit="kg")])
    less = comprehensive_consumption(
        [*flows, EnergyFlow(energy="coke", quantity=extra, unit="kg", role="export")]
    )
    assert more.gross_tce > base.gross_tce
    assert less.gross_tce < base.gross_tce
    # the same quantity added or exported moves gross by the same amount (up to rounding of
    # a sum whose magnitude is that of the largest term)
    scale = max(1.0, abs(base.inputs_tce) + abs(base.exported_tce) + abs(base.media_tce))
    assert more.gross_tce - base.gross_tce == pytest.approx(
        base.gross_tce - less.gross_tce, rel=1e-9, abs=1e-12 * scale
    )
    # a deduction never changes gross, only the assessed figure
    deducted = comprehensive_consumption(
        [*flows, EnergyFlow(energy="coke", quantity=extra, unit="kg", role="raw_material")]
    )
    assert deducted.gross_tce == pytest.approx(more.gross_tce)
    assert deducted.assessed_tce == pytest.approx(base.assessed_tce, abs=1e-6)
