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

CATALOGUE_DIGEST = "32c705613beb37806efb48da877bf254dafa982538fff949d8ed1a55293c6ab7"
SERIES_DIGEST = "198611cd2bbc69c3a67a6f715d4e59a6dec27dbd0ff5f981b8cf93122a4b8a0f"

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


def _numbers_as_floats(value: Any) -> Any:
    """Numbers compare by value: 340_000 and 340000.0 are the same rate."""
    if isinstance(value, dict):
        return {key: _numbers_as_floats(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers_as_floats(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _canonical(value: Any) -> bytes:
    """Canonical JSON: sorted keys, numbers as floats (repr round-trips every float)."""
    return json.dumps(
        _numbers_as_floats(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


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
