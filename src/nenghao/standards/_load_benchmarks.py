"""benchmark_levels.toml -> the NDRC benchmark and baseline levels by quota product."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ._reader import DataFile
from .models import BenchmarkLevel

__all__ = ["load_benchmarks"]


def load_benchmarks(directory: Path, products: Collection[str]) -> dict[str, BenchmarkLevel]:
    """Load the levels; each names a product of the quota catalogue, at most once."""
    data_file = DataFile(directory, "benchmark_levels.toml")
    data = data_file.load()
    result: dict[str, BenchmarkLevel] = {}
    for index, raw in enumerate(data_file.tables("level", data.get("level"))):
        entry = str(raw.get("product", index))
        level = data_file.build(BenchmarkLevel, entry, raw)
        if level.product not in products:
            raise data_file.error(entry, "not a product of the quota catalogue")
        if level.unit != "kgce/t":
            raise data_file.error(entry, f"unit must be 'kgce/t', got {level.unit!r}")
        if level.product in result:
            raise data_file.error(entry, "product listed twice")
        result[level.product] = level
    return result
