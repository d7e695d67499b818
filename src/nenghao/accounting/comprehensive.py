"""Comprehensive energy consumption (综合能耗) of an accounting boundary."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from nenghao.standards import Catalog, get_catalog
from nenghao.standards.vocabulary import Basis

from .conversion import StandardCoal, to_standard_coal

__all__ = [
    "ComprehensiveLine",
    "ComprehensiveResult",
    "EnergyFlow",
    "EnergyRole",
    "comprehensive_consumption",
]

EnergyRole = Literal["input", "medium", "export", "raw_material", "renewable_above_base"]
"""How an energy flow counts in comprehensive consumption (see `EnergyFlow`)."""


class EnergyFlow(BaseModel):
    """One energy flow across the boundary in the period.

    ``quantity`` is a non-negative amount; the ``role`` decides how it counts:

    * ``input``: energy consumed (purchased or drawn from stock) - added;
    * ``medium``: energy-carrying medium consumed (oxygen, compressed air, water ...) - added;
    * ``export``: energy delivered to others (surplus gas, power, heat sold) - deducted;
    * ``raw_material``: energy consumed as feedstock for non-energy products - added to gross
      like an input, then shown as a deduction for assessment;
    * ``renewable_above_base``: renewable electricity consumed above the 2020 base - added to
      gross like an input, then shown as a deduction for assessment.

    A quantity belongs to exactly one line: feedstock coal is listed once, as
    ``raw_material``, not also inside an ``input`` line.

    Attributes
    ----------
    energy : str
        Energy-kind code or name.
    quantity : float [unit]
        Amount in the period, finite and >= 0.
    unit : str
        Unit of ``quantity``.
    role : {"input", "medium", "export", "raw_material", "renewable_above_base"}
        How the flow counts (above).
    heating_value : float or None [heating_value_unit]
        Measured low heating value, if any.
    heating_value_unit : str or None
        Unit of ``heating_value``.
    label : str or None
        Free text shown with the line.

    References
    ----------
    .. [1] GB/T 2589-2020, clause 4 (计算原则, calculation principle) and clause 6 (计算范围,
       calculation scope): what the consumption counts and deducts.
    .. [2] 发改环资〔2022〕803号 (raw-material energy) and 发改运行〔2022〕1258号 (renewable
       electricity above the 2020 base): deductions in dual-control assessment.
    """

    model_config = ConfigDict(frozen=True)

    energy: str
    quantity: float
    unit: str
    role: EnergyRole = "input"
    heating_value: float | None = None
    heating_value_unit: str | None = None
    label: str | None = None

    @field_validator("quantity")
    @classmethod
    def _non_negative(cls, value: float) -> float:
        if not math.isfinite(value) or value < 0:
            raise ValueError("quantity must be a finite number >= 0 (the role gives the sign)")
        return value


class ComprehensiveLine(BaseModel):
    """One flow with its conversion and its signed contribution to gross consumption.

    Attributes
    ----------
    flow : EnergyFlow
        The flow as given.
    standard_coal : StandardCoal
        Its conversion to standard coal.
    signed_tce : float [tce]
        Its contribution to gross consumption: negative for an export.

    References
    ----------
    .. [1] GB/T 2589-2020, clauses 4 and 6: energy output to others is deducted.
    """

    model_config = ConfigDict(frozen=True)

    flow: EnergyFlow
    standard_coal: StandardCoal
    signed_tce: float


class ComprehensiveResult(BaseModel):
    """Comprehensive energy consumption with its parts (all in tce).

    Attributes
    ----------
    basis : {"equivalent", "equal"}
        Basis for electricity and heat.
    year : int or None [year]
        Statistics year.
    lines : tuple of ComprehensiveLine
        Every flow with its conversion.
    inputs_tce : float [tce]
        Input, raw-material and renewable-above-base lines.
    media_tce : float [tce]
        Energy-carrying media consumed.
    exported_tce : float [tce]
        Energy output to others (a positive number).
    gross_tce : float [tce]
        Comprehensive energy consumption, ``inputs + media - exported``.
    raw_material_tce : float [tce]
        Raw-material energy, deducted for assessment.
    renewable_above_base_tce : float [tce]
        Renewable electricity above the 2020 base, deducted for assessment.
    assessed_tce : float [tce]
        ``gross - raw_material - renewable_above_base``.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.5-3.8 (definition of 综合能耗) and clauses 4 and 6.
    .. [2] 发改环资〔2022〕803号 and 发改运行〔2022〕1258号 (assessment deductions).
    """

    model_config = ConfigDict(frozen=True)

    basis: Basis
    year: int | None
    lines: tuple[ComprehensiveLine, ...]
    inputs_tce: float
    media_tce: float
    exported_tce: float
    gross_tce: float
    raw_material_tce: float
    renewable_above_base_tce: float
    assessed_tce: float

    @property
    def gross_kgce(self) -> float:
        """Gross comprehensive consumption [kgce], ``gross_tce x 1000``."""
        return self.gross_tce * 1000.0


def comprehensive_consumption(
    flows: Iterable[EnergyFlow],
    *,
    basis: Basis = "equivalent",
    year: int | None = None,
    catalog: Catalog | None = None,
) -> ComprehensiveResult:
    """Comprehensive energy consumption of a boundary over a period.

    Parameters
    ----------
    flows : iterable of EnergyFlow
        Every energy flow of the period, each with its quantity [its unit] and role.
    basis : {"equivalent", "equal"}
        Basis for electricity and heat (当量值 / 等价值).
    year : int, optional [year]
        Statistics year; required for ``basis="equal"``.
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    ComprehensiveResult
        ``inputs_tce`` (input + raw_material + renewable_above_base lines), ``media_tce``,
        ``exported_tce`` (positive number), ``gross_tce = inputs + media - exported``,
        the two deductions ``raw_material_tce`` and ``renewable_above_base_tce``, and
        ``assessed_tce = gross - raw_material - renewable_above_base`` [tce].

    Raises
    ------
    ValueError
        A renewable_above_base flow that is not electricity; and every error of
        :func:`to_standard_coal`.

    References
    ----------
    .. [1] GB/T 2589-2020 综合能耗计算通则, 3.5-3.8 (definition of 综合能耗): each energy
       consumed, converted to standard coal and summed, primary and secondary energy and
       energy-carrying media alike.
    .. [2] GB/T 2589-2020, clause 4 (计算原则, calculation principle) and clause 6 (计算范围,
       calculation scope): energy output to others is deducted.
    .. [3] 发改环资〔2022〕803号: raw-material energy deducted in dual-control assessment.
    .. [4] 发改运行〔2022〕1258号: renewable electricity above the 2020 base deducted from the
       total-consumption assessment, still counted for intensity.
    """
    units = catalog or get_catalog()
    lines: list[ComprehensiveLine] = []
    totals = dict.fromkeys(
        ("input", "medium", "export", "raw_material", "renewable_above_base"), 0.0
    )
    for flow in flows:
        coal = to_standard_coal(
            flow.quantity,
            flow.unit,
            flow.energy,
            basis=basis,
            year=year,
            heating_value=flow.heating_value,
            heating_value_unit=flow.heating_value_unit,
            catalog=units,
        )
        if flow.role == "renewable_above_base" and coal.energy != "electricity":
            raise ValueError(f"renewable_above_base applies to electricity only, got {coal.energy}")
        totals[flow.role] += coal.tce
        signed = -coal.tce if flow.role == "export" else coal.tce
        lines.append(ComprehensiveLine(flow=flow, standard_coal=coal, signed_tce=signed))
    inputs = totals["input"] + totals["raw_material"] + totals["renewable_above_base"]
    # GB/T 2589-2020, 3.5-3.8 with clauses 4 and 6: sum of conversions, media included,
    # energy output to others deducted
    gross = inputs + totals["medium"] - totals["export"]
    return ComprehensiveResult(
        basis=basis,
        year=year,
        lines=tuple(lines),
        inputs_tce=inputs,
        media_tce=totals["medium"],
        exported_tce=totals["export"],
        gross_tce=gross,
        raw_material_tce=totals["raw_material"],
        renewable_above_base_tce=totals["renewable_above_base"],
        # 发改环资〔2022〕803号 and 发改运行〔2022〕1258号: deductions for assessment
        assessed_tce=gross - totals["raw_material"] - totals["renewable_above_base"],
    )
