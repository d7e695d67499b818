"""Conversion of an energy quantity to standard coal (GB/T 2589-2020).

Clause numbers follow the 2020 edition's published foreword and scope: 3.2 当量值, 3.3 等价值,
3.9 折标准煤系数, clause 8 折算为标准煤的要求, Annexes A and B.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from nenghao.standards import KGCE_KJ, Catalog, EnergyKind, Status, get_catalog
from nenghao.standards.vocabulary import BASES, Basis

from .errors import DimensionMismatchError, HeatingValueError, MissingYearError
from .heating_value import heating_value_per_canonical, parse_heating_value
from .units import convert, require_finite

__all__ = [
    "EDITION",
    "EQUAL_VALUE_KINDS",
    "StandardCoal",
    "parse_heating_value",
    "resolve_kind",
    "to_standard_coal",
]

#: The standard every conversion follows.
EDITION = "GB/T 2589-2020"

#: Kinds whose equal value (等价值) differs from their equivalent value (当量值).
EQUAL_VALUE_KINDS = frozenset({"electricity", "heat"})


class StandardCoal(BaseModel):
    """An energy quantity converted to standard coal, with everything used to get there.

    Attributes
    ----------
    energy : str
        Energy-kind code.
    kgce : float [kgce]
        Standard coal.
    tce : float [tce]
        The same in tonnes, ``kgce / 1000``.
    quantity_canonical : float [canonical_unit]
        The quantity in the kind's canonical unit.
    canonical_unit : str
        kg, m3, kWh or MJ.
    coefficient : float [coefficient_unit]
        Standard-coal coefficient used.
    coefficient_unit : str
        kgce per canonical unit.
    basis : {"equivalent", "equal"}
        当量值 or 等价值.
    source : str
        Where the coefficient comes from.
    status : {"confirmed", "unverified"}
        Whether the coefficient was checked against its source.
    edition : str
        The standard followed.
    year : int or None [year]
        Statistics year of an equal-value coefficient.
    method : str
        Default coefficient, equal value of a year with its origin (administrator,
        published or fallback), or measured heating value.
    note : str or None
        Caveat attached to the coefficient.

    References
    ----------
    .. [1] GB/T 2589-2020, 3.9 (折标准煤系数, standard-coal coefficient); Annex A (reference
       coefficients of energies) and Annex B (energy-carrying media).
    """

    model_config = ConfigDict(frozen=True)

    energy: str
    kgce: float
    tce: float
    quantity_canonical: float
    canonical_unit: str
    coefficient: float
    coefficient_unit: str
    basis: Basis
    source: str
    status: Status
    edition: str = EDITION
    year: int | None = None
    method: str
    note: str | None = None


def resolve_kind(energy: str | EnergyKind, catalog: Catalog) -> EnergyKind:
    """The :class:`EnergyKind` for a code, name or an EnergyKind itself.

    Parameters
    ----------
    energy : str or EnergyKind
        Code (``"coke"``), Chinese name (``"焦炭"``), English name or the kind itself.
    catalog : Catalog
        The reference catalogue.

    Returns
    -------
    EnergyKind
        The kind, with its canonical unit and default coefficient.

    Raises
    ------
    UnknownEnergyKindError
        No kind has that code or name.

    References
    ----------
    .. [1] GB/T 2589-2020, Annex A (energies) and Annex B (energy-carrying media): the kinds
       of the catalogue (energy_kinds.toml).
    """
    return energy if isinstance(energy, EnergyKind) else catalog.energy_kind(energy)


def to_canonical(quantity: float, unit: str, kind: EnergyKind, catalog: Catalog) -> float:
    """``quantity`` in ``kind.unit``; the error names the kind when the dimension is wrong.

    Parameters
    ----------
    quantity : float [unit]
        Physical quantity of the kind.
    unit : str
        Unit of ``quantity``; must have the dimension of ``kind.unit``.
    kind : EnergyKind
        The energy kind.
    catalog : Catalog
        The reference catalogue.

    Returns
    -------
    float [kind.unit]
        The quantity in the unit the kind's coefficient is given per.

    Raises
    ------
    DimensionMismatchError
        ``unit`` measures another dimension (kWh for coke, measured in kg).
    UnknownUnitError
        ``unit`` is unknown.

    References
    ----------
    .. [1] GB/T 2589-2020, Annex A and Annex B: coefficients per kg, m3, kWh or MJ.
    """
    source, target = catalog.unit(unit), catalog.unit(kind.unit)
    if source.dimension != target.dimension:
        raise DimensionMismatchError(
            f"{source.symbol} is {source.dimension}, but {kind.name_zh} {kind.code} is "
            f"measured in {target.dimension} ({kind.unit})"
        )
    return convert(quantity, unit, kind.unit, catalog=catalog)


def to_standard_coal(
    quantity: float,
    unit: str,
    energy: str | EnergyKind,
    *,
    basis: Basis = "equivalent",
    year: int | None = None,
    heating_value: float | None = None,
    heating_value_unit: str | None = None,
    catalog: Catalog | None = None,
) -> StandardCoal:
    """Convert a quantity of one energy kind to standard coal.

    Parameters
    ----------
    quantity : float [unit]
        Physical quantity; finite, any sign (a negative quantity gives negative kgce).
    unit : str
        Unit symbol or alias; must have the dimension of the kind's canonical unit
        (kg, m3, kWh or MJ), e.g. ``"t"``, ``"万m3"``, ``"MWh"``, ``"GJ"``.
    energy : str or EnergyKind
        Code (``"coke"``), Chinese name (``"焦炭"``), English name or the kind itself.
    basis : {"equivalent", "equal"}
        当量值 (own heating value) or 等价值 (primary energy used to produce it).  The
        equal value differs from the equivalent value only for electricity and heat.
    year : int, optional [year]
        Statistics year; required for ``basis="equal"``.
    heating_value : float, optional [heating_value_unit]
        Measured low heating value; overrides the default coefficient
        (coefficient = LHV / 29 307.6 kJ per kgce).
    heating_value_unit : str, optional
        Unit of ``heating_value``, energy per quantity: kJ/kg, MJ/kg, GJ/t, kcal/kg,
        kJ/m3, MJ/m3, GJ/万m3 ...; required with ``heating_value``.
    catalog : Catalog, optional
        The reference catalogue; the packaged one by default.

    Returns
    -------
    StandardCoal
        ``kgce`` [kgce] and ``tce`` [tce], the canonical quantity and the coefficient
        [kgce per canonical unit] with its source and status.

    Raises
    ------
    UnknownEnergyKindError, UnknownUnitError, DimensionMismatchError
        Unknown kind or unit, or a unit of the wrong dimension.
    InvalidQuantityError
        ``quantity`` is NaN or infinite.
    MissingYearError
        ``basis="equal"`` without ``year``.
    NoFactorError
        No equal-value coefficient configured for that kind and year.
    HeatingValueError
        A heating value for a kind that has none (electricity, heat, media), without a
        unit, or not > 0.

    References
    ----------
    .. [1] GB/T 2589-2020 综合能耗计算通则, 3.9 (折标准煤系数) and clause 8 (折算为标准煤的要求):
       kgce = quantity x coefficient; a measured low heating value takes precedence, as
       coefficient = LHV / 29 307.6 kJ per kgce.
    .. [2] GB/T 2589-2020, Annex A (reference coefficients) and Annex B (energy-carrying
       media).
    .. [3] GB/T 2589-2020, 3.2 (能量的当量值, equivalent value) and 3.3 (能源的等价值, equal
       value) of electricity and heat.
    """
    units = catalog or get_catalog()
    kind = resolve_kind(energy, units)
    number = require_finite(quantity)
    if basis not in BASES:
        raise ValueError(f"basis must be 'equivalent' or 'equal', got {basis!r}")
    if basis == "equal" and year is None:
        raise MissingYearError(
            "the equal-value basis (等价值) needs the statistics year: pass year=..."
        )
    canonical = to_canonical(number, unit, kind, units)
    coefficient_unit = f"kgce/{kind.unit}"
    note: str | None = None
    if heating_value is not None:
        coefficient, source, method = _measured(kind, heating_value, heating_value_unit, units)
        status: Status = "confirmed"
    elif basis == "equal" and kind.code in EQUAL_VALUE_KINDS:  # GB/T 2589-2020, 3.3
        assert year is not None
        equal = units.equal_value_coefficient(kind.code, year)
        coefficient, source, status = equal.value, equal.source, equal.status
        method, note = f"equal value {year} ({equal.origin})", equal.note
    else:  # GB/T 2589-2020, Annex A / Annex B reference coefficient (3.2 for electricity, heat)
        coefficient = kind.coefficient.value
        source, status = kind.coefficient.source, kind.coefficient.status
        method = "default coefficient"
        if basis == "equal":
            method += f" (equal value = equivalent value for {kind.code})"
        note = kind.coefficient.note
    kgce = canonical * coefficient  # GB/T 2589-2020, 3.9 and clause 8: quantity x coefficient
    return StandardCoal(
        energy=kind.code,
        kgce=kgce,
        tce=kgce / 1000.0,
        quantity_canonical=canonical,
        canonical_unit=kind.unit,
        coefficient=coefficient,
        coefficient_unit=coefficient_unit,
        basis=basis,
        source=source,
        status=status,
        year=year,
        method=method,
        note=note,
    )


def _measured(
    kind: EnergyKind, value: float, unit: str | None, catalog: Catalog
) -> tuple[float, str, str]:
    if kind.category == "medium" or catalog.unit(kind.unit).dimension == "energy":
        raise HeatingValueError(
            f"{kind.name_zh} {kind.code} has no heating value to measure: its coefficient is "
            "fixed (energy or energy-carrying medium)"
        )
    if unit is None:
        raise HeatingValueError(
            "heating_value_unit is required with heating_value (e.g. 'kJ/kg', 'MJ/m3')"
        )
    kj = heating_value_per_canonical(value, unit, kind, catalog=catalog)
    source = (
        f"measured low heating value {value:g} {unit} = {kj:g} kJ/{kind.unit}, "
        f"/ {KGCE_KJ} kJ per kgce ({EDITION})"
    )
    # GB/T 2589-2020, clause 8: coefficient = measured LHV / 29 307.6 kJ per kgce
    return kj / KGCE_KJ, source, "measured heating value"
