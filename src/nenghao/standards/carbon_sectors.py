"""The sectors of the city's carbon-peak pathway (carbon_sectors.toml): the four clusters
and the rest, and the sector of a GB/T 4754-2017 industry class."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import get_args

from ._reader import DataFile
from .catalog import DATA_DIR, get_catalog
from .models import Cluster, SourcedRule

__all__ = ["CarbonSector", "carbon_sectors", "load_carbon_sectors", "sector_of_industry"]

REST = "rest"
"""The sector of every class whose cluster no other sector lists."""


class CarbonSector(SourcedRule):
    """One sector of the pathway: its names and the industry clusters it gathers."""

    code: str
    name_zh: str
    name_en: str
    clusters: tuple[Cluster, ...]


def load_carbon_sectors(directory: Path) -> dict[str, CarbonSector]:
    """Load carbon_sectors.toml; every cluster must belong to exactly one sector."""
    data_file = DataFile(directory, "carbon_sectors.toml")
    data = data_file.load()
    defaults = data_file.table("defaults", data.pop("defaults", {}))
    sectors = {
        str(code): data_file.build(
            CarbonSector, str(code), {**defaults, "code": str(code), **data_file.table(code, raw)}
        )
        for code, raw in data.items()
    }
    if REST not in sectors:
        raise data_file.error(None, f"the sector {REST!r} (the rest) is missing")
    listed = [cluster for sector in sectors.values() for cluster in sector.clusters]
    missing = sorted(set(get_args(Cluster)) - set(listed))
    twice = sorted({cluster for cluster in listed if listed.count(cluster) > 1})
    if missing or twice:
        raise data_file.error(
            None, f"each cluster belongs to one sector: missing {missing}, repeated {twice}"
        )
    return sectors


@lru_cache(maxsize=1)
def carbon_sectors() -> dict[str, CarbonSector]:
    """The sectors of the packaged catalogue, in the file's order."""
    return load_carbon_sectors(DATA_DIR)


def sector_of_industry(industry_code: str | None) -> str:
    """The pathway sector of a GB/T 4754-2017 class (``rest`` for unknown classes)."""
    industry = get_catalog().industries.get(industry_code or "")
    if industry is None:
        return REST
    for sector in carbon_sectors().values():
        if industry.cluster in sector.clusters:
            return sector.code
    return REST
