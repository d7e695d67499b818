"""divisions.toml, industries.toml and two_high.toml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ._reader import DataFile
from .models import Division, Industry, TwoHighSector

__all__ = ["load_divisions", "load_industries"]

_DIVISION = re.compile(r"^[0-9]{6}$")
_INDUSTRY = re.compile(r"^[0-9]{3,4}$")
_SECTOR = re.compile(r"^[a-z][a-z0-9_]*$")


def _entries(data_file: DataFile) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    data = data_file.load()
    defaults = data_file.table("defaults", data.pop("defaults", {}))
    return defaults, [(str(key), data_file.table(str(key), raw)) for key, raw in data.items()]


def load_divisions(directory: Path) -> dict[str, Division]:
    """Load divisions.toml; codes are 6 digits and parents must exist."""
    data_file = DataFile(directory, "divisions.toml")
    defaults, entries = _entries(data_file)
    divisions: dict[str, Division] = {}
    for code, raw in entries:
        if not _DIVISION.match(code):
            raise data_file.error(code, "a division code has 6 digits")
        divisions[code] = data_file.build(Division, code, {**defaults, "code": code, **raw})
    for code, division in divisions.items():
        if division.parent is not None and division.parent not in divisions:
            raise data_file.error(code, f"parent {division.parent!r} is not defined")
    return divisions


def load_industries(directory: Path) -> tuple[dict[str, Industry], tuple[TwoHighSector, ...]]:
    """Load industries.toml and two_high.toml; link each industry to its two-high sector."""
    sector_file = DataFile(directory, "two_high.toml")
    defaults, entries = _entries(sector_file)
    sectors: list[TwoHighSector] = []
    sector_of: dict[str, str] = {}
    for code, raw in entries:
        if not _SECTOR.match(code):
            raise sector_file.error(code, "sector code must be lower_snake_case")
        sector = sector_file.build(TwoHighSector, code, {**defaults, "code": code, **raw})
        if not sector.industries:
            raise sector_file.error(code, "industries must not be empty")
        for industry in sector.industries:
            if industry in sector_of:
                raise sector_file.error(
                    code, f"industry {industry} is already in sector '{sector_of[industry]}'"
                )
            sector_of[industry] = code
        sectors.append(sector)

    industry_file = DataFile(directory, "industries.toml")
    defaults, entries = _entries(industry_file)
    industries: dict[str, Industry] = {}
    for code, raw in entries:
        if not _INDUSTRY.match(code):
            raise industry_file.error(code, "an industry code has 3 or 4 digits (GB/T 4754-2017)")
        if "two_high" in raw:
            raise industry_file.error(code, "two_high is derived from two_high.toml, do not set it")
        industries[code] = industry_file.build(
            Industry, code, {**defaults, "code": code, "two_high": sector_of.get(code), **raw}
        )
    for industry, sector_code in sector_of.items():
        if industry not in industries:
            raise sector_file.error(sector_code, f"industry {industry} is not in industries.toml")
    return industries, tuple(sectors)
