"""How many decimals each kind of quantity is answered with (docs/accounting.md, Precision).

Figures keep full precision inside (accounting, analytics, store); they are rounded once, at
the output: the API's response models, the XLSX values and the PDF text. A rate or a share is
rounded after its division, never computed from rounded figures.

Rounding follows GB/T 8170-2008 (数值修约规则, 3.3): the decimal written (the shortest
representation of the float, what a person reads) is rounded half to even, so
``1000 x 0.1229 = 122.89999999999999`` kgce is answered as ``122.9``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum


class Quantity(StrEnum):
    """A kind of quantity the platform answers."""

    TCE = "tce"
    """Standard coal [tce]; the dashboard shows 万tce above 10 000 tce."""
    KGCE = "kgce"
    """Standard coal [kgce] (a single conversion)."""
    UNIT_PRODUCT = "unit_product"
    """Unit-product consumption and its quota thresholds [kgce/t]."""
    INTENSITY = "intensity"
    """Consumption or CO2 per output or added value [tce/万元, tCO2/万元]."""
    ENERGY = "energy"
    """A physical quantity of energy or output [kWh, m3, kg, t, MJ, GJ ...]."""
    CO2 = "co2"
    """Carbon dioxide [tCO2]."""
    MONEY = "money"
    """Output or added value [万元]."""
    RATE = "rate"
    """A rate, share or ratio given as a fraction (0.1897 for 18.97 %)."""
    SCORE = "score"
    """A data-quality score [points of 100], as the monitor stores it."""


DECIMALS: dict[Quantity, int] = {
    Quantity.TCE: 4,
    Quantity.KGCE: 1,
    Quantity.UNIT_PRODUCT: 2,
    Quantity.INTENSITY: 4,
    Quantity.ENERGY: 2,
    Quantity.CO2: 4,
    Quantity.MONEY: 2,
    Quantity.RATE: 4,
    Quantity.SCORE: 2,
}
"""Decimals answered (API and XLSX values). tce and kgce share a resolution of 0.1 kgce; a
rate's 4 decimals are 0.01 %. Coefficients and emission factors are not listed: they keep
the digits of their catalogue entry."""

SHOWN: dict[Quantity, int] = {
    Quantity.TCE: 2,
    Quantity.KGCE: 1,
    Quantity.UNIT_PRODUCT: 2,
    Quantity.INTENSITY: 4,
    Quantity.ENERGY: 2,
    Quantity.CO2: 2,
    Quantity.MONEY: 2,
    Quantity.RATE: 2,
    Quantity.SCORE: 2,
}
"""Decimals shown to a reader (dashboard, PDF, XLSX number format); a rate's are those of
its percentage. 万tce is shown with 2 decimals."""


def rounded(value: float, quantity: Quantity) -> float:
    """`value` rounded to the decimals answered for `quantity` (GB/T 8170-2008, 3.3).

    NaN and infinities are returned unchanged; a negative zero becomes ``0.0``.
    """
    return round_to(value, DECIMALS[quantity])


def round_to(value: float, decimals: int) -> float:
    """`value` rounded half to even on its written decimal form, to `decimals` places."""
    if value != value or value in (float("inf"), float("-inf")):
        return value
    return float(_quantized(value, decimals)) + 0.0  # -0.0 + 0.0 is 0.0


def _quantized(value: float, decimals: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN
    )


def shown(value: float | None, quantity: Quantity, *, signed: bool = False) -> str:
    """`value` as a reader sees it: `SHOWN` decimals, thousands grouped, never an exponent.

    A rate is written as a percentage (``0.18973`` -> ``"18.97%"``); None is ``"—"``.
    """
    if value is None or value != value:
        return "—"
    decimals = SHOWN[quantity]
    number = value * 100.0 if quantity is Quantity.RATE else value
    text = format(_quantized(number, decimals) + 0, f"{'+' if signed else ''},.{decimals}f")
    return f"{text}%" if quantity is Quantity.RATE else text


def excel_format(quantity: Quantity) -> str:
    """The XLSX number format showing `quantity` with its `SHOWN` decimals (a rate as a
    number of per cent)."""
    decimals = SHOWN[quantity]
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def written(value: float) -> str:
    """A catalogue value (coefficient, factor) with its own digits and no exponent."""
    return format(Decimal(repr(float(value))), "f")
