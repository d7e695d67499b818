"""The quota edition in force on any date: assessed, or "<edition> 在效，限额值未录入".

Expected editions come from the standards' own dates (reference quotas.md and GB 21342-2025's
front pages): GB 21342-2025 (coke) from 2026-05-01, replacing GB 21342-2013; GB 21256-2025
(steel processes) from 2026-07-01, replacing GB 21256-2013 and GB 32050-2015 (EAF).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from nenghao.accounting import NoQuotaInForceError, QuotaValuesNotLoadedError, quota_level
from nenghao.standards import QuotaEdition

COKE = ("coke_top_charged", "coke_stamp_charged")
STEEL_2013 = ("sinter", "pellet", "hot_metal", "converter_steel")
EAF = ("eaf_steel_lt50", "eaf_steel_50_70", "eaf_steel_ge70")
NOT_ENTERED = {"pellet", *EAF, *COKE}  # editions before 2025/2026 whose values are missing


def expected_edition(product: str, day: date) -> str:
    if product in COKE:
        return "GB 21342-2013" if day < date(2026, 5, 1) else "GB 21342-2025"
    if day >= date(2026, 7, 1):
        return "GB 21256-2025"
    return "GB 32050-2015" if product in EAF else "GB 21256-2013"


def month_ends(first: int, last: int) -> list[date]:
    return [
        date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        for year in range(first, last + 1)
        for month in range(1, 13)
    ]


def outcome(product: str, day: date) -> tuple[str, str]:
    """(edition, "assessed" or the reason the edition in force gives no level)."""
    try:
        return quota_level(product, 100.0, day).edition, "assessed"
    except QuotaValuesNotLoadedError as exc:
        return exc.standard, str(exc)
    except NoQuotaInForceError:
        return "", "no quota in force"


@pytest.mark.parametrize("product", [*COKE, *STEEL_2013, *EAF])
def test_every_period_has_its_edition_in_force(product: str) -> None:
    for day in [*month_ends(2016, 2027), date(2026, 4, 30), date(2026, 5, 1), date(2026, 6, 30)]:
        edition = expected_edition(product, day)
        missing = product in NOT_ENTERED and day < date(2026, 7, 1) and edition != "GB 21342-2025"
        reason = f"{edition} 在效，限额值未录入" if missing else "assessed"
        assert outcome(product, day) == (edition, reason), (product, day)


def test_coke_in_2025_names_gb_21342_2013() -> None:
    with pytest.raises(QuotaValuesNotLoadedError) as info:
        quota_level("coke_top_charged", 117.7, date(2025, 12, 31))
    assert str(info.value) == "GB 21342-2013 在效，限额值未录入"
    # from 2026-05-01: GB 21342-2025, L1 110 / L2 110 / L3 135 -> 117.7 is Level 3
    assert quota_level("coke_top_charged", 117.7, date(2026, 5, 31)).level == "L3"


def test_2013_values_loaded_keep_their_caveat() -> None:
    # reference quotas.md: sintering 56/50/45, BF 435/370/361, BOF -10/-25/-30 ("verify")
    for product, levels in {
        "sinter": {"L1": 45.0, "L2": 50.0, "L3": 56.0},
        "hot_metal": {"L1": 361.0, "L2": 370.0, "L3": 435.0},
        "converter_steel": {"L1": -30.0, "L2": -25.0, "L3": -10.0},
    }.items():
        result = quota_level(product, 0.0, date(2025, 6, 30))
        assert result.edition == "GB 21256-2013"
        assert result.base_thresholds == levels
        assert result.status == "unverified"
        assert "not checked against the standard text" in result.source


def _edition(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "product": "coke_top_charged",
        "product_name_zh": "顶装焦炉焦炭",
        "product_name_en": "coke",
        "standard": "GB 21342-2013",
        "title": "焦炭单位产品能源消耗限额",
        "unit": "kgce/t",
        "source": "s",
        "status": "confirmed",
        "note": "values not entered",
    }
    return base | changes


def test_an_edition_without_values_needs_a_note_and_no_corrections() -> None:
    assert not QuotaEdition(**_edition()).values_loaded  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="needs a note"):
        QuotaEdition(**_edition(note=None))  # type: ignore[arg-type]
    correction = {
        "parameter": "wet_quenching",
        "name": "湿熄焦",
        "parameter_unit": "flag",
        "kind": "fixed",
        "amount": 46.46,
        "range_min": 1.0,
        "levels": ["L3"],
        "source": "s",
        "status": "confirmed",
    }
    with pytest.raises(ValidationError, match="cannot have corrections"):
        QuotaEdition(**_edition(corrections=(correction,)))  # type: ignore[arg-type]
