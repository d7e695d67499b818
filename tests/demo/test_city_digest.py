"""The demo city is pinned: its catalogue and a few short generated slices hash to fixed digests.

The digests were recorded from the city before its roster moved into a data file; any change
to an enterprise, an item, a parameter, a sizing coefficient or the generator changes them.
When the city is changed on purpose, record the new digests printed by the failing assertion.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from typing import Any

import numpy as np

from nenghao.demo.build import generate_city
from nenghao.demo.catalogue import (
    CLUSTERS,
    DISTRICT_DIVISION,
    DIVISIONS,
    ENERGY_UNITS,
    ENTERPRISES,
    MEDIA,
    SHOWCASE_KEY,
    SIZING_KGCE,
)

CATALOGUE_DIGEST = "198f2f068c4c129d000e152fc7c6f7d815c26877f40c35f5aa16176666ab65a6"
SERIES_DIGEST = "7c8a30cb97345c6bf6e9ed7662cd9bebc790ea541c86d08bd02f6cc6caee5bd9"

SEED = 2026
# (last day, days): short slices over the planned stops (Spring Festival, April overhaul, June
# relining and turnarounds, National Day); two close a month (monthly filings, sized by the
# nominal tce/yr), the 12-day one late enough for the late filing.
SLICES = (
    (date(2025, 2, 1), 4),
    (date(2025, 3, 9), 4),
    (date(2025, 4, 20), 4),
    (date(2025, 6, 9), 12),
    (date(2025, 6, 15), 4),
    (date(2025, 10, 3), 4),
)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def catalogue_digest() -> str:
    """sha256 of every enterprise spec (every item and parameter) and the shared tables."""
    document = {
        "enterprises": [dataclasses.asdict(spec) for spec in ENTERPRISES],
        "divisions": DIVISIONS,
        "clusters": CLUSTERS,
        "energy_units": ENERGY_UNITS,
        "media": sorted(MEDIA),
        "sizing_kgce": SIZING_KGCE,
        "showcase": SHOWCASE_KEY,
        "district": DISTRICT_DIVISION,
    }
    return hashlib.sha256(_canonical(document)).hexdigest()


def _array(digest: Any, values: np.ndarray | None, dtype: str) -> None:
    if values is None:
        digest.update(b"none")
    else:
        digest.update(np.ascontiguousarray(values, dtype=dtype).tobytes())


def series_digest() -> str:
    """sha256 of everything `generate_city` produces for each slice in `SLICES`."""
    digest = hashlib.sha256()
    for end, days in SLICES:
        _, data, faults = generate_city(days=days, seed=SEED, end=end)
        for key, ent in data.items():
            head = {
                "key": key,
                "index": ent.index,
                "annual_tce": ent.annual_tce,
                "level": ent.level,
                "windows": [dataclasses.asdict(window) for window in ent.windows],
            }
            digest.update(_canonical(head))
            for code in sorted(ent.series):
                series = ent.series[code]
                digest.update(_canonical([code, series.register_drop]))
                _array(digest, series.values, "<f8")
                _array(digest, series.present, "|b1")
                _array(digest, series.register, "<f8")
                _array(digest, series.received_at, "<i8")
        digest.update(_canonical([dataclasses.asdict(fault) for fault in faults]))
    return digest.hexdigest()


def test_catalogue_is_unchanged():
    assert catalogue_digest() == CATALOGUE_DIGEST


def test_generated_series_are_unchanged():
    assert series_digest() == SERIES_DIGEST
