"""Float types of the answers, one per kind of quantity, rounded when answered.

Each rounds to the decimals of its quantity in `nenghao.standards.precision` (the table in
docs/accounting.md); the figure behind it keeps full precision until then. Coefficients and
emission factors are plain floats: they keep their catalogue digits.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import PlainSerializer

from nenghao.standards.precision import DECIMALS, Quantity, rounded


def _answered(quantity: Quantity) -> PlainSerializer:
    return PlainSerializer(lambda value: rounded(value, quantity), return_type=float)


Tce = Annotated[float, _answered(Quantity.TCE)]
"""[tce], 4 decimals."""
Kgce = Annotated[float, _answered(Quantity.KGCE)]
"""[kgce], 1 decimal."""
UnitProduct = Annotated[float, _answered(Quantity.UNIT_PRODUCT)]
"""[kgce/t], 2 decimals."""
IntensityValue = Annotated[float, _answered(Quantity.INTENSITY)]
"""[tce/万元] or [tCO2/万元], 4 decimals."""
Energy = Annotated[float, _answered(Quantity.ENERGY)]
"""A physical quantity [kWh, m3, t ...], 2 decimals."""
Co2 = Annotated[float, _answered(Quantity.CO2)]
"""[tCO2], 4 decimals."""
Money = Annotated[float, _answered(Quantity.MONEY)]
"""[万元], 2 decimals."""
Rate = Annotated[float, _answered(Quantity.RATE)]
"""A rate, share or ratio as a fraction, 4 decimals (0.01 %)."""
Score = Annotated[float, _answered(Quantity.SCORE)]
"""A data-quality score [of 100], 2 decimals."""

assert DECIMALS[Quantity.TCE] == DECIMALS[Quantity.CO2] == DECIMALS[Quantity.INTENSITY]
TceOrCo2 = Tce
"""A figure whose measure is tce, tCO2 or an intensity per 万元 (comparisons, rankings, a
target's indicators): all have 4 decimals."""
