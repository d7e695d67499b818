"""CO2 of a project's planned energy lines, with the accounting core's carbon functions."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from nenghao.accounting import (
    CarbonResult,
    ComprehensiveLine,
    MissingFactorError,
    fuel_combustion_co2,
    purchased_electricity_co2,
    purchased_heat_co2,
    total_co2,
)
from nenghao.standards import Catalog

from .note import Note

__all__ = ["LinesCO2", "lines_co2"]


class LinesCO2(BaseModel):
    """CO2 of a set of energy lines.

    Attributes
    ----------
    results : tuple of CarbonResult
        One result per line that emits, with the factors used.
    tco2 : float [tCO2]
        Their sum.
    not_counted : tuple of Note
        Each line with no CO2 counted, with the reason (Chinese and English).

    References
    ----------
    .. [1] GB/T 32150-2015, 核算边界 (accounting boundary): fuel combustion, purchased
       electricity and purchased heat as separate sources.
    """

    model_config = ConfigDict(frozen=True)

    results: tuple[CarbonResult, ...]
    tco2: float
    not_counted: tuple[Note, ...]


ROLE_NAMES_ZH = {
    "input": "投入",
    "raw_material": "原料用能",
    "renewable_above_base": "新增可再生能源",
    "export": "外供",
}
"""How a planned line counts, in Chinese."""


def _line_co2(line: ComprehensiveLine, year: int, catalog: Catalog) -> CarbonResult | Note:
    """The CO2 of one line, or the reason none is counted."""
    flow, kind = line.flow, catalog.energy_kind(line.standard_coal.energy)
    what = f"{kind.name_zh} {kind.code} ({flow.role})"
    who = f"{kind.name_zh}（{ROLE_NAMES_ZH[flow.role]}）"
    if flow.role == "export":
        return Note.plain(
            f"{who}：供给他人，不抵减排放（不计负排放）",
            f"{what}: delivered to others, not netted (no negative emission)",
        )
    if flow.role == "renewable_above_base":
        return Note.plain(
            f"{who}：2020 年基数以上的可再生能源电力按零排放计（以绿证证明；该规则待核实）",
            f"{what}: renewable electricity above the 2020 base counted at zero emission "
            "(green certificates; unverified rule)",
        )
    if flow.role == "raw_material":
        return Note.plain(
            f"{who}：原料用能不属燃料燃烧，其工艺排放需按行业碳质量平衡核算（未估算）",
            f"{what}: raw-material energy is not combustion; its process CO2 needs the "
            "sector's carbon mass balance (not estimated)",
        )
    if kind.code == "electricity":
        return purchased_electricity_co2(flow.quantity, flow.unit, year, catalog=catalog)
    if kind.code == "heat":
        return purchased_heat_co2(flow.quantity, flow.unit, year, catalog=catalog)
    if not kind.fossil:
        return Note.plain(
            f"{who}：非化石能源或耗能工质，无排放因子",
            f"{what}: no emission factor for a non-fossil energy or energy-carrying medium",
        )
    try:
        return fuel_combustion_co2(flow.quantity, flow.unit, kind, catalog=catalog)
    except MissingFactorError as exc:
        return Note.plain(f"{who}：缺少缺省排放因子，未计入", f"{what}: {exc}")


def lines_co2(lines: Iterable[ComprehensiveLine], year: int, catalog: Catalog) -> LinesCO2:
    """CO2 of the lines of a comprehensive-consumption result.

    Fuels burned by combustion (heating value x carbon content x oxidation x 44/12),
    purchased electricity with the grid factor of ``year``, purchased heat with the heat
    factor. Lines delivered to others, raw-material lines, renewable electricity above the
    base and non-fossil media are listed in ``not_counted`` with the reason.

    Parameters
    ----------
    lines : iterable of ComprehensiveLine
        The lines (flows with their conversion).
    year : int [year]
        Year of the grid factor.
    catalog : Catalog
        The reference catalogue.

    Returns
    -------
    LinesCO2
        ``tco2`` [tCO2] with the results and the lines not counted.

    References
    ----------
    .. [1] GB/T 32151.5-2015, 核算步骤与核算方法 (fuel combustion); GB/T 32150-2015,
       核算步骤与方法 (purchased electricity and heat).
    """
    results: list[CarbonResult] = []
    skipped: list[Note] = []
    for line in lines:
        found = _line_co2(line, year, catalog)
        if isinstance(found, Note):
            skipped.append(found)
        else:
            results.append(found)
    return LinesCO2(results=tuple(results), tco2=total_co2(results), not_counted=tuple(skipped))
