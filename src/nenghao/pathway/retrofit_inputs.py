"""Retrofit savings as pathway measures.

The retrofit ledger (`nenghao.retrofits`) gives each retrofit's annual saving: tce, and tCO2
when it is verified by M&V (a claimed saving has tce only). This module turns one into a
``retrofit`` measure of a policy scenario: a saving without its own tCO2 is valued at the
sector's base-year CO2 per tce (its mix of fuels, electricity, heat and process), and stays
marked ``claimed``.
"""

from __future__ import annotations

from .emissions import SectorEmissions
from .errors import PathwayInputError
from .model import Measure

__all__ = ["retrofit_measure"]


def retrofit_measure(
    *,
    retrofit_id: int,
    name: str,
    year: int,
    sector: str,
    saving_tce: float,
    saving_tco2: float | None,
    verified: bool,
    base: SectorEmissions,
) -> Measure:
    """A ``retrofit`` measure from a retrofit's annual saving.

    Parameters
    ----------
    retrofit_id : int
        The retrofit project.
    name : str
        Its name.
    year : int
        The first year the saving takes effect.
    sector : str
        The pathway sector of its enterprise.
    saving_tce : float [tce/year]
        Annual saving, equivalent value.
    saving_tco2 : float or None [tCO2/year]
        Annual avoided CO2 when measured; None: valued at the sector's CO2 per tce.
    verified : bool
        Whether M&V verified the saving (else it is the claimed figure).
    base : SectorEmissions
        The sector in the scenario's base year.
    """
    tco2 = saving_tco2
    if tco2 is None:
        if base.energy_tce <= 0:
            raise PathwayInputError(
                f"retrofit {retrofit_id}: sector {sector} has no energy in the base year to "
                "value a saving given in tce",
                details={"retrofit_id": retrofit_id, "sector": sector},
                zh=f"节能改造项目 {retrofit_id}：{sector} 行业基准年无能耗，"
                "无法将节能量折算为减排量",
            )
        tco2 = saving_tce * base.tco2 / base.energy_tce
    return Measure(
        kind="retrofit",
        name=name[:100],
        sector=sector,
        year=year,
        saving_tco2=tco2,
        saving_tce=saving_tce,
        status="verified" if verified else "claimed",
        retrofit_id=retrofit_id,
    )
