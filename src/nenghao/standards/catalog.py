"""The reference catalogue: every data file loaded, validated and cross-checked."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

from ._load_benchmarks import load_benchmarks
from ._load_emissions import GridEntry, load_emissions, load_process_emissions
from ._load_energy import load_energy_kinds
from ._load_equal_value import EqualValue, EqualValueOrigin, EqualValues, load_equal_values
from ._load_places import load_divisions, load_industries
from ._load_policy import load_policy
from ._load_quotas import load_quotas
from ._load_review import load_review
from ._load_units import UnitTable, load_units
from .errors import CatalogError, NoFactorError, UnknownEnergyKindError, UnknownKeyError
from .models import (
    BenchmarkLevel,
    Division,
    EnergyKind,
    GridFactor,
    Industry,
    Policy,
    ProcessFactor,
    QuotaEdition,
    ReviewRules,
    Sourced,
    TwoHighSector,
    Unit,
)

__all__ = [
    "DATA_DIR",
    "DEFAULT_GRID_REGION",
    "DEFAULT_GRID_SERIES",
    "Catalog",
    "get_catalog",
    "load_catalog",
]

#: The packaged data files.
DATA_DIR = Path(__file__).parent / "data"

#: Liaoning belongs to the Northeast regional grid.
DEFAULT_GRID_REGION = "northeast"
#: The MEE & NBS published average grid emission factor.
DEFAULT_GRID_SERIES = "mee_nbs"


class Catalog:
    """All reference data, read-only.  Build it with :func:`load_catalog`."""

    def __init__(
        self,
        *,
        units: UnitTable,
        energy_kinds: Mapping[str, EnergyKind],
        equal_values: EqualValues,
        grid: tuple[GridEntry, ...],
        heat: tuple[Sourced, ...],
        process: Mapping[str, ProcessFactor],
        quotas: Mapping[str, tuple[QuotaEdition, ...]],
        divisions: Mapping[str, Division],
        industries: Mapping[str, Industry],
        two_high: tuple[TwoHighSector, ...],
        policy: Policy,
        benchmarks: Mapping[str, BenchmarkLevel] | None = None,
        review: ReviewRules | None = None,
    ) -> None:
        self._units = units
        self.energy_kinds: Mapping[str, EnergyKind] = MappingProxyType(dict(energy_kinds))
        self._equal = equal_values
        self.grid_factors: tuple[GridEntry, ...] = tuple(grid)
        self.heat_factors: tuple[Sourced, ...] = tuple(heat)
        self.process_factors: Mapping[str, ProcessFactor] = MappingProxyType(dict(process))
        self.quota_standards: Mapping[str, tuple[QuotaEdition, ...]] = MappingProxyType(
            dict(quotas)
        )
        self.divisions: Mapping[str, Division] = MappingProxyType(dict(divisions))
        self.industries: Mapping[str, Industry] = MappingProxyType(dict(industries))
        self.two_high_sectors: tuple[TwoHighSector, ...] = two_high
        self.policy: Policy = policy
        self.benchmark_levels: Mapping[str, BenchmarkLevel] = MappingProxyType(
            dict(benchmarks or {})
        )
        self._review = review
        names: dict[str, EnergyKind] = {}
        for kind in energy_kinds.values():
            for name in (kind.code, kind.name_zh, kind.name_en, *kind.aliases):
                names[name.casefold()] = kind
        self._kind_names = names

    # --- units -------------------------------------------------------------
    @property
    def units(self) -> Mapping[str, Unit]:
        """Units by canonical symbol."""
        return self._units.units

    @property
    def base_units(self) -> Mapping[str, str]:
        """The base unit symbol of each dimension."""
        return self._units.base

    def unit(self, symbol_or_alias: str) -> Unit:
        """The unit with this symbol or alias; raises :class:`UnknownUnitError`."""
        return self._units.get(symbol_or_alias)

    # --- energy kinds --------------------------------------------------------
    def energy_kind(self, code_or_name: str) -> EnergyKind:
        """The energy kind by code, Chinese or English name or alias (case-insensitive)."""
        kind = self._kind_names.get(code_or_name.strip().casefold())
        if kind is None:
            examples = ", ".join(list(self.energy_kinds)[:8])
            raise UnknownEnergyKindError(
                f"unknown energy kind {code_or_name!r}; valid codes include {examples} ... "
                f"({len(self.energy_kinds)} kinds)"
            )
        return kind

    def equal_value_coefficient(self, energy_code: str, year: int) -> EqualValue:
        """Equal-value (等价值) coefficient of ``energy_code`` for statistics ``year``.

        An administrator's value for the year (see :meth:`with_equal_value_overrides`) wins,
        then a per-year entry of equal_value.toml, then the kind's documented fallback (with
        a note saying so); otherwise :class:`NoFactorError`.  ``origin`` says which.
        """
        kind = self.energy_kind(energy_code)
        day = date(year, 7, 1)
        sources: tuple[tuple[EqualValueOrigin, dict[str, tuple[Sourced, ...]]], ...] = (
            ("administrator", self._equal.overrides),
            ("published", self._equal.by_year),
        )
        for origin, values in sources:
            for value in values.get(kind.code, ()):
                if value.covers(day):
                    return EqualValue(**value.model_dump(), origin=origin)
        fallback = self._equal.fallback.get(kind.code)
        if fallback is None:
            raise NoFactorError(
                f"no equal-value (等价值) coefficient for {kind.code} in {year} and no "
                "fallback; configure one in equal_value.toml or set the year's value"
            )
        note = f"fallback: no {year} value configured. {fallback.note or ''}".strip()
        return EqualValue(**{**fallback.model_dump(), "note": note}, origin="fallback")

    def equal_value_years(self, energy_code: str) -> tuple[Sourced, ...]:
        """The packaged per-year equal-value entries of ``energy_code`` (may be empty)."""
        return self._equal.by_year.get(self.energy_kind(energy_code).code, ())

    def equal_value_fallback(self, energy_code: str) -> Sourced | None:
        """The documented fallback equal value of ``energy_code``, if any."""
        return self._equal.fallback.get(self.energy_kind(energy_code).code)

    def equal_value_range(self, energy_code: str) -> tuple[float, float] | None:
        """The (min, max) [kgce per canonical unit] an administrator's value must lie in."""
        return self._equal.admin_range.get(self.energy_kind(energy_code).code)

    def with_equal_value_overrides(self, overrides: Mapping[str, Iterable[Sourced]]) -> Catalog:
        """This catalogue with an administrator's per-year equal values put first.

        ``overrides`` maps an energy code to values whose valid_from/valid_to span their
        year; the catalogue itself is left unchanged.
        """
        found = {self.energy_kind(code).code: tuple(v) for code, v in overrides.items()}
        if not any(found.values()):
            return self
        clone = copy.copy(self)
        clone._equal = replace(self._equal, overrides=found)
        return clone

    # --- emission factors ----------------------------------------------------
    def grid_factor(
        self,
        year: int,
        region: str = DEFAULT_GRID_REGION,
        series: str = DEFAULT_GRID_SERIES,
    ) -> GridFactor:
        """Grid emission factor [tCO2/MWh] for ``year``, ``region`` and ``series``.

        If no entry covers ``year``, the latest entry that ends before ``year`` is used
        and the result has ``fallback=True`` with a note naming the year used.  A year
        before every entry, or an unknown region/series, raises :class:`NoFactorError`.
        """
        entries = [g for g in self.grid_factors if g.region == region and g.series == series]
        if not entries:
            known = sorted({f"{g.region}/{g.series}" for g in self.grid_factors})
            raise NoFactorError(
                f"no grid factor for region {region!r}, series {series!r}; known: {known}"
            )
        for g in entries:
            if g.year_from <= year <= g.year_to:
                return GridFactor(
                    **g.factor.model_dump(),
                    year=year,
                    requested_year=year,
                    region=region,
                    series=series,
                )
        earlier = [g for g in entries if g.year_to < year]
        if not earlier:
            first = min(g.year_from for g in entries)
            raise NoFactorError(
                f"no grid factor for {region}/{series} in {year}: the series starts in {first}"
            )
        latest = max(earlier, key=lambda g: g.year_to)
        note = (
            f"fallback: no {year} value for {region}/{series}; used the latest earlier "
            f"year {latest.year_to}"
        )
        if latest.factor.note:
            note = f"{note}. {latest.factor.note}"
        return GridFactor(
            **{**latest.factor.model_dump(), "note": note},
            year=latest.year_to,
            requested_year=year,
            region=region,
            series=series,
            fallback=True,
        )

    def heat_emission_factor(self, year: int) -> Sourced:
        """Purchased-heat emission factor [tCO2/GJ] for ``year``."""
        day = date(year, 7, 1)
        for factor in self.heat_factors:
            if factor.covers(day):
                return factor
        raise NoFactorError(f"no purchased-heat emission factor for {year}")

    def process_emission(self, material_code: str) -> ProcessFactor:
        """Process-emission factor [tCO2/t] of a carbonate material."""
        factor = self.process_factors.get(material_code)
        if factor is None:
            raise UnknownKeyError(
                f"unknown process material {material_code!r}; known: {sorted(self.process_factors)}"
            )
        return factor

    def process_emission_for_product(self, product_code: str) -> ProcessFactor | None:
        """The process-emission factor that applies per tonne of a product's output, if any."""
        for factor in self.process_factors.values():
            if product_code in factor.products:
                return factor
        return None

    # --- quotas ------------------------------------------------------------
    def quota_for(self, product_code: str, on: date) -> QuotaEdition | None:
        """The quota edition of ``product_code`` in force on ``on``, or None.

        Raises :class:`UnknownKeyError` for a product the catalogue has never heard of;
        returns None for a known product with no edition in force on that date.
        """
        editions = self.quota_standards.get(product_code)
        if editions is None:
            raise UnknownKeyError(
                f"unknown quota product {product_code!r}; known: {sorted(self.quota_standards)}"
            )
        for edition in editions:
            if edition.covers(on):
                return edition
        return None

    # --- energy-saving review of projects --------------------------------------
    @property
    def review(self) -> ReviewRules:
        """The configured rules of the energy-saving review (review.toml)."""
        if self._review is None:
            raise CatalogError("review.toml was not loaded into this catalogue")
        return self._review

    # --- places and industries ----------------------------------------------
    def division(self, code: str) -> Division:
        """A division by GB/T 2260 code."""
        try:
            return self.divisions[code]
        except KeyError:
            raise UnknownKeyError(f"unknown division code {code!r}") from None

    def industry(self, code: str) -> Industry:
        """An industry by GB/T 4754-2017 class code."""
        try:
            return self.industries[code]
        except KeyError:
            raise UnknownKeyError(f"unknown industry code {code!r}") from None

    def two_high_sector_of(self, industry_code: str) -> TwoHighSector | None:
        """The two-high sector an industry class belongs to, if any."""
        for sector in self.two_high_sectors:
            if industry_code in sector.industries:
                return sector
        return None


def load_catalog(data_dir: Path) -> Catalog:
    """Load every data file from ``data_dir`` and validate it.

    Raises
    ------
    CatalogError
        If any file is missing or invalid; the message names the file and the entry.
    """
    directory = Path(data_dir)
    units = load_units(directory)
    kinds = load_energy_kinds(directory, units)
    emissions = load_emissions(directory, units, kinds)
    for code, carbon in emissions.fuel_carbon.items():
        kinds[code] = kinds[code].model_copy(update={"carbon": carbon})
    industries, two_high = load_industries(directory)
    quotas = load_quotas(directory)
    return Catalog(
        units=units,
        energy_kinds=kinds,
        equal_values=load_equal_values(directory, kinds),
        grid=emissions.grid,
        heat=emissions.heat,
        process=load_process_emissions(directory),
        quotas=quotas,
        divisions=load_divisions(directory),
        industries=industries,
        two_high=two_high,
        policy=load_policy(directory),
        benchmarks=load_benchmarks(directory, quotas),
        review=load_review(directory),
    )


@cache
def get_catalog() -> Catalog:
    """The packaged catalogue, loaded once and cached."""
    return load_catalog(DATA_DIR)
