"""CO2 emissions: fuel combustion, purchased electricity and heat, carbonate calcination.

GB/T 32150-2015 and GB/T 32151.5-2015 are cited by section title (核算边界, 核算步骤与核算方法):
their clause and equation numbers were not available from a checked source.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nenghao.standards import (
    DEFAULT_GRID_REGION,
    DEFAULT_GRID_SERIES,
    Catalog,
    EnergyKind,
    Sourced,
    Status,
    get_catalog,
)

from .conversion import resolve_kind, to_canonical
from .errors import InvalidQuantityError, MissingFactorError
from .heating_value import heating_value_per_canonical
from .units import convert, require_finite

__all__ = [
    "CO2_PER_C",
    "CarbonResult",
    "FactorUsed",
    "fuel_combustion_co2",
    "process_co2",
    "purchased_electricity_co2",
    "purchased_heat_co2",
    "total_co2",
]

#: Mass ratio CO2 / C (44/12), as in GB/T 32151.5-2015 and the 2006 IPCC Guidelines, Vol. 2.
CO2_PER_C = 44.0 / 12.0

EmissionSource = Literal["combustion", "purchased_electricity", "purchased_heat", "process"]
"""The emission source category of a CO2 figure (GB/T 32150-2015, 核算边界)."""


class FactorUsed(BaseModel):
    """A factor that entered a CO2 figure, with its origin.

    Attributes
    ----------
    name : str
        What the factor is (``"carbon content"``, ``"grid factor northeast/mee_nbs 2023"``).
    value : float [unit]
        The factor.
    unit : str
        Its unit (``"tC/GJ"``, ``"tCO2/MWh"``, ``"1"`` ...).
    source : str
        Publication and table, or ``"supplied by the caller"``.
    status : {"confirmed", "unverified"}
        Whether it was checked against its source.
    note : str or None
        Caveat attached to the factor.

    References
    ----------
    .. [1] GB/T 32150-2015, 核算步骤与方法 (accounting steps and methods): activity data and
       emission factors, each with its source.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    value: float
    unit: str
    source: str
    status: Status
    note: str | None = None


class CarbonResult(BaseModel):
    """A CO2 figure [tCO2] and everything used to compute it.

    Attributes
    ----------
    scope : {"combustion", "purchased_electricity", "purchased_heat", "process"}
        The emission source category.
    subject : str
        Fuel, energy or material code.
    tco2 : float [tCO2]
        The emission.
    activity : float [activity_unit]
        Activity data.
    activity_unit : str
        Its unit (t, m3, MWh, GJ ...).
    factors : tuple of FactorUsed
        Every factor used.
    formula : str
        The computation with its numbers.
    status : {"confirmed", "unverified"}
        ``"unverified"`` if any factor is.

    References
    ----------
    .. [1] GB/T 32150-2015, 核算边界 (accounting boundary): fuel combustion, process, and
       purchased electricity and heat as separate sources.
    """

    model_config = ConfigDict(frozen=True)

    scope: EmissionSource
    subject: str
    tco2: float
    activity: float
    activity_unit: str
    factors: tuple[FactorUsed, ...]
    formula: str
    status: Status


def _used(name: str, value: Sourced) -> FactorUsed:
    return FactorUsed(
        name=name,
        value=value.value,
        unit=value.unit,
        source=value.source,
        status=value.status,
        note=value.note,
    )


def _indirect(
    scope: EmissionSource, subject: str, activity: float, unit: str, name: str, factor: Sourced
) -> CarbonResult:
    """Indirect CO2 of an activity [unit] times one emission factor [tCO2/unit]."""
    used = _used(name, factor)
    return CarbonResult(
        scope=scope,
        subject=subject,
        tco2=activity * factor.value,  # GB/T 32150-2015, 核算步骤与方法: activity x factor
        activity=activity,
        activity_unit=unit,
        factors=(used,),
        formula=f"{activity:g} {unit} x {factor.value:g} tCO2/{unit}",
        status=used.status,
    )


def _caller(name: str, value: float, unit: str) -> FactorUsed:
    return FactorUsed(
        name=name, value=value, unit=unit, source="supplied by the caller", status="confirmed"
    )


def _status(factors: Iterable[FactorUsed]) -> Status:
    return "unverified" if any(f.status == "unverified" for f in factors) else "confirmed"


def _default_heating_value(kind: EnergyKind, catalog: Catalog) -> tuple[float, FactorUsed]:
    """Default heating value [GJ per canonical unit] of ``kind`` and how it was found."""
    if kind.carbon is not None:
        value = kind.carbon.heating_value
        kj = heating_value_per_canonical(value.value, value.unit, kind, catalog=catalog)
        return kj / 1e6, _used("heating value", value)
    if kind.heating_value is not None:
        return kind.heating_value.value / 1e6, _used("heating value", kind.heating_value)
    raise MissingFactorError(
        f"{kind.name_zh} {kind.code} has no default heating value: pass heating_value"
    )


def fuel_combustion_co2(
    quantity: float,
    unit: str,
    fuel: str | EnergyKind,
    *,
    heating_value: float | None = None,
    heating_value_unit: str | None = None,
    carbon_content: float | None = None,
    oxidation: float | None = None,
    catalog: Catalog | None = None,
) -> CarbonResult:
    """CO2 from burning a fossil fuel.

    ``CO2 = quantity x heating value x carbon content x oxidation x 44/12`` [1]_.  Defaults
    come from the catalogue (fuel_carbon in emission_factors.toml; else the GB/T 2589 heating
    value of the kind); every argument given overrides its default.

    Parameters
    ----------
    quantity : float [unit]
        Fuel burned; finite.
    unit : str
        Unit of ``quantity``, of the fuel's dimension (t, kg, 万m3, m3 ...).
    fuel : str or EnergyKind
        A fossil energy kind (code, Chinese or English name).
    heating_value : float, optional [heating_value_unit]
        Measured low heating value.
    heating_value_unit : str, optional
        Energy per quantity (GJ/t, MJ/m3, kcal/kg ...); required with ``heating_value``.
    carbon_content : float, optional [tC/GJ]
        Carbon per unit of heat.
    oxidation : float, optional [unitless]
        Carbon oxidation rate, a fraction in (0, 1].
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    CarbonResult
        ``tco2`` [tCO2] with the heating value [GJ per canonical unit], carbon content
        [tC/GJ] and oxidation [unitless] used.

    Raises
    ------
    MissingFactorError
        No default for a factor that was not supplied (e.g. raw coal carbon content).
    InvalidQuantityError
        Non-finite inputs, or a factor out of range.
    ValueError
        ``fuel`` is not a fossil fuel (electricity, heat, media).

    References
    ----------
    .. [1] GB/T 32151.5-2015 (钢铁生产企业), 核算步骤与核算方法, fuel combustion: activity data
       = fuel x low heating value; emission factor = carbon per heat x oxidation x 44/12;
       default fuel parameters (emission_factors.toml, unverified).
    .. [2] GB/T 32150-2015, 核算步骤与方法 (accounting steps and methods): emission =
       activity data x emission factor.
    .. [3] 2006 IPCC Guidelines, Vol. 2, Ch. 2, 2.3.1.1 (Tier 1: fuel x emission factor);
       Vol. 2, Ch. 1, Table 1.3 (default carbon contents).
    """
    units = catalog or get_catalog()
    kind = resolve_kind(fuel, units)
    if not kind.fossil:
        raise ValueError(f"{kind.name_zh} {kind.code} is not a fossil fuel: no combustion CO2")
    amount = to_canonical(require_finite(quantity), unit, kind, units)
    factors: list[FactorUsed] = []
    if heating_value is not None:
        if heating_value_unit is None:
            raise InvalidQuantityError("heating_value_unit is required with heating_value")
        kj = heating_value_per_canonical(heating_value, heating_value_unit, kind, catalog=units)
        gj = kj / 1e6
        factors.append(_caller("heating value", heating_value, heating_value_unit))
    else:
        gj, used = _default_heating_value(kind, units)
        factors.append(used)
    if carbon_content is not None:
        cc = require_finite(carbon_content, "carbon_content")
        if cc <= 0:
            raise InvalidQuantityError(f"carbon_content must be > 0 tC/GJ, got {cc:g}")
        factors.append(_caller("carbon content", cc, "tC/GJ"))
    elif kind.carbon is not None:
        cc = kind.carbon.carbon_content.value
        factors.append(_used("carbon content", kind.carbon.carbon_content))
    else:
        raise MissingFactorError(
            f"no default carbon content for {kind.name_zh} {kind.code}: pass carbon_content [tC/GJ]"
        )
    if oxidation is not None:
        of = require_finite(oxidation, "oxidation")
        if not 0 < of <= 1:
            raise InvalidQuantityError(f"oxidation must be in (0, 1], got {of:g}")
        factors.append(_caller("oxidation", of, "1"))
    elif kind.carbon is not None:
        of = kind.carbon.oxidation.value
        factors.append(_used("oxidation", kind.carbon.oxidation))
    else:
        raise MissingFactorError(
            f"no default oxidation rate for {kind.name_zh} {kind.code}: pass oxidation"
        )
    # GB/T 32151.5-2015, fuel combustion: fuel x NCV x carbon per heat x oxidation x 44/12
    tco2 = amount * gj * cc * of * CO2_PER_C
    return CarbonResult(
        scope="combustion",
        subject=kind.code,
        tco2=tco2,
        activity=amount,
        activity_unit=kind.unit,
        factors=tuple(factors),
        formula=(f"{amount:g} {kind.unit} x {gj:g} GJ/{kind.unit} x {cc:g} tC/GJ x {of:g} x 44/12"),
        status=_status(factors),
    )


def purchased_electricity_co2(
    quantity: float,
    unit: str,
    year: int,
    *,
    region: str = DEFAULT_GRID_REGION,
    series: str = DEFAULT_GRID_SERIES,
    catalog: Catalog | None = None,
) -> CarbonResult:
    """Indirect CO2 of purchased electricity: MWh x grid factor.

    Parameters
    ----------
    quantity : float [unit]
        Electricity purchased from the grid.
    unit : str
        An energy unit (kWh, MWh, 万kWh ...).
    year : int [year]
        Reporting year; selects the grid factor (latest earlier year if none for it).
    region : str
        Grid region (default ``"northeast"``: Liaoning is in the Northeast grid).
    series : str
        Factor series (default ``"mee_nbs"``; ``"carbon_market"`` for national ETS reporting).
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    CarbonResult
        ``tco2`` [tCO2]; the factor records the year, region and series used.

    Notes
    -----
    Electricity delivered to others is not netted here: nenghao reports exports separately
    and never as a negative emission.

    References
    ----------
    .. [1] GB/T 32150-2015, 核算步骤与方法 (accounting steps and methods): emissions of
       purchased electricity = electricity x grid emission factor.
    .. [2] MEE & NBS grid emission factors (2021-2023) and national carbon-market reporting
       values; emission_factors.toml names the publication of each figure.
    """
    units = catalog or get_catalog()
    mwh = convert(quantity, unit, "MWh", catalog=units)
    factor = units.grid_factor(year, region, series)
    name = f"grid factor {factor.region}/{factor.series} {factor.year}"
    return _indirect("purchased_electricity", "electricity", mwh, "MWh", name, factor)


def purchased_heat_co2(
    quantity: float,
    unit: str,
    year: int,
    *,
    catalog: Catalog | None = None,
) -> CarbonResult:
    """Indirect CO2 of purchased heat: GJ x heat factor.

    Parameters
    ----------
    quantity : float [unit]
        Heat purchased.
    unit : str
        An energy unit (GJ, MJ, 百万千焦 ...).
    year : int [year]
        Reporting year.
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    CarbonResult
        ``tco2`` [tCO2]; the factor [tCO2/GJ] and its source.

    References
    ----------
    .. [1] GB/T 32150-2015, 核算步骤与方法 (accounting steps and methods): emissions of
       purchased heat = heat x emission factor.
    .. [2] Default factor 0.11 tCO2/GJ, a carbon-accounting guideline default (status
       unverified in emission_factors.toml).
    """
    units = catalog or get_catalog()
    gj = convert(quantity, unit, "GJ", catalog=units)
    factor = units.heat_emission_factor(year)
    return _indirect("purchased_heat", "heat", gj, "GJ", "purchased heat factor", factor)


def process_co2(
    quantity: float,
    unit: str,
    material: str,
    *,
    fraction: float = 1.0,
    catalog: Catalog | None = None,
) -> CarbonResult:
    """Process CO2 from calcining a carbonate: tonnes x fraction x factor.

    Parameters
    ----------
    quantity : float [unit]
        Mass of the material (the basis of the factor: MgCO3 calcined for ``"magnesite"``,
        MgO produced for ``"magnesia_from_magnesite"``, limestone, dolomite).
    unit : str
        A mass unit (t, kg, 万t).
    material : str
        Process-emission code in process_emissions.toml.
    fraction : float [unitless]
        Mass fraction of the pure carbonate (or of MgO in the product), in (0, 1].
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    CarbonResult
        ``tco2`` [tCO2]; the factor [tCO2/t] and its basis.

    References
    ----------
    .. [1] Stoichiometry of MgCO3 -> MgO + CO2: 44.01/84.31 = 0.5220 tCO2/t MgCO3,
       44.01/40.30 = 1.0921 tCO2/t MgO.  It agrees with the magnesite factor of the 2006
       IPCC Guidelines, Vol. 3, Ch. 2 (Mineral Industry Emissions), 0.52197 tCO2/t.
    .. [2] GB/T 32150-2015, 核算边界 (accounting boundary): process emissions counted apart
       from fuel combustion.
    .. [3] Limestone 0.440 and dolomite 0.471 tCO2/t: guideline defaults, unverified.
    """
    units = catalog or get_catalog()
    tonnes = convert(quantity, unit, "t", catalog=units)
    share = require_finite(fraction, "fraction")
    if not 0 < share <= 1:
        raise InvalidQuantityError(f"fraction must be in (0, 1], got {share:g}")
    factor = units.process_emission(material)
    factors = [_used(f"process factor {factor.code}", factor)]
    if share != 1.0:
        factors.append(_caller("mass fraction", share, "1"))
    return CarbonResult(
        scope="process",
        subject=factor.code,
        # 2006 IPCC Guidelines, Vol. 3, Ch. 2: carbonate mass x purity x emission factor
        tco2=tonnes * share * factor.value,
        activity=tonnes,
        activity_unit="t",
        factors=tuple(factors),
        formula=f"{tonnes:g} t x {share:g} x {factor.value:g} tCO2/t {factor.basis}",
        status=_status(factors),
    )


def total_co2(results: Iterable[CarbonResult]) -> float:
    """Sum of several CO2 results.

    Parameters
    ----------
    results : iterable of CarbonResult
        Results to add.

    Returns
    -------
    float [tCO2]
        The total.

    References
    ----------
    .. [1] GB/T 32150-2015, 核算步骤与方法 (accounting steps and methods): total emissions are
       the sum over the sources within the accounting boundary.
    """
    return sum((r.tco2 for r in results), 0.0)  # GB/T 32150-2015: sum over the sources
