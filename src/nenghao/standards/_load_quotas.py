"""quotas.toml and local_quotas.toml -> quota editions by product."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ._reader import DataFile, check_no_overlap
from .models import QuotaEdition

__all__ = ["load_quotas"]

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _load_file(directory: Path, name: str, *, local: bool) -> list[tuple[DataFile, QuotaEdition]]:
    data_file = DataFile(directory, name)
    data = data_file.load()
    editions: list[tuple[DataFile, QuotaEdition]] = []
    for index, raw in enumerate(data_file.tables("edition", data.get("edition"))):
        entry = f"{raw.get('product', index)} {raw.get('standard', '')}".strip()
        edition = data_file.build(QuotaEdition, entry, raw)
        if not _CODE.match(edition.product):
            raise data_file.error(entry, "product code must be lower_snake_case")
        if edition.unit != "kgce/t":
            raise data_file.error(entry, f"unit must be 'kgce/t', got {edition.unit!r}")
        if edition.local != local:
            expected = "true" if local else "false (local quotas belong in local_quotas.toml)"
            raise data_file.error(entry, f"local must be {expected}")
        if local and edition.status != "unverified" and "DB21" not in edition.standard:
            raise data_file.error(entry, "a locally configured quota must be status 'unverified'")
        editions.append((data_file, edition))
    return editions


def load_quotas(directory: Path) -> dict[str, tuple[QuotaEdition, ...]]:
    """Load national and local editions; editions of a product must not overlap in time."""
    loaded = _load_file(directory, "quotas.toml", local=False)
    loaded += _load_file(directory, "local_quotas.toml", local=True)
    by_product: dict[str, list[tuple[DataFile, QuotaEdition]]] = {}
    for data_file, edition in loaded:
        by_product.setdefault(edition.product, []).append((data_file, edition))
    result: dict[str, tuple[QuotaEdition, ...]] = {}
    for product, items in by_product.items():
        # report an overlap in the file of the later edition
        for data_file in {id(f): f for f, _ in items}.values():
            check_no_overlap(
                data_file,
                product,
                [(f"{e.product} {e.standard}", e.valid_from, e.valid_to) for _, e in items],
            )
        editions = sorted((e for _, e in items), key=lambda e: e.valid_from or date.min)
        result[product] = tuple(editions)
    return result
