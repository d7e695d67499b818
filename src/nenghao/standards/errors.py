"""Errors raised by the reference catalogue."""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "NoFactorError",
    "UnitError",
    "UnknownEnergyKindError",
    "UnknownKeyError",
    "UnknownUnitError",
]


class CatalogError(Exception):
    """A packaged or local data file is invalid.

    The message always names the file and, where there is one, the entry, e.g.
    ``energy_kinds.toml: entry 'coke': coefficient must be > 0``.
    """


class UnitError(Exception):
    """Base class of every unit problem (unknown unit, wrong dimension)."""


class UnknownUnitError(UnitError, LookupError):
    """A unit symbol or alias that the catalogue does not know."""


class UnknownEnergyKindError(LookupError):
    """An energy kind that is neither a code nor a Chinese or English name in the catalogue."""


class UnknownKeyError(LookupError):
    """Another catalogue lookup (division, industry, material, product ...) found nothing."""


class NoFactorError(LookupError):
    """No coefficient or factor is configured for the requested kind, year or region."""
