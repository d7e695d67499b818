"""review.toml -> ReviewRules."""

from __future__ import annotations

from pathlib import Path

from ._reader import DataFile
from .digits import is_digits
from .models import IndustryList, ReviewingLevels, ReviewRules, Sourced, TierBasisRule

__all__ = ["load_review"]

_VALUES = {
    "two_high_energy_threshold": "tce",
    "review_period": "working_day",
    "min_expert_opinions": "opinion",
    "min_expert_opinions_two_high": "opinion",
    "deviation_threshold": "1",
}


def _is_class_code(code: str) -> bool:
    return len(code) in (3, 4) and is_digits(code)


def load_review(directory: Path) -> ReviewRules:
    """Load and validate review.toml."""
    data_file = DataFile(directory, "review.toml")
    data = data_file.load()
    values: dict[str, Sourced] = {}
    for name, unit in _VALUES.items():
        value = data_file.build(Sourced, name, data_file.table(name, data.get(name)))
        if value.unit != unit:
            raise data_file.error(name, f"unit must be {unit!r}, got {value.unit!r}")
        if not value.value > 0:
            raise data_file.error(name, "value must be > 0")
        values[name] = value
    if values["deviation_threshold"].value >= 1:
        raise data_file.error("deviation_threshold", "a fraction below 1 (0.10 for 10 %)")
    if values["min_expert_opinions_two_high"].value < values["min_expert_opinions"].value:
        raise data_file.error(
            "min_expert_opinions_two_high", "must not be below min_expert_opinions"
        )
    simple = data_file.build(
        IndustryList,
        "simple_process_industries",
        data_file.table("simple_process_industries", data.get("simple_process_industries")),
    )
    bad = [code for code in simple.industries if not _is_class_code(code)]
    if bad:
        raise data_file.error(
            "simple_process_industries", f"not GB/T 4754-2017 class codes (3 or 4 digits): {bad}"
        )
    provinces = data_file.table("province", data.get("province", {}))
    by_province: dict[str, ReviewingLevels] = {}
    for code, raw in provinces.items():
        entry = f"province.{code}"
        if len(code) != 6 or not is_digits(code) or not code.endswith("0000"):
            raise data_file.error(entry, "a province's GB/T 2260 code ends in 0000")
        by_province[code] = data_file.build(ReviewingLevels, entry, data_file.table(entry, raw))
    return data_file.build(
        ReviewRules,
        "review",
        {
            **values,
            "tier_basis": data_file.build(
                TierBasisRule, "tier_basis", data_file.table("tier_basis", data.get("tier_basis"))
            ),
            "simple_process_industries": simple,
            "reviewing_levels": data_file.build(
                ReviewingLevels,
                "reviewing_levels",
                data_file.table("reviewing_levels", data.get("reviewing_levels")),
            ),
            "reviewing_levels_by_province": by_province,
        },
    )
