"""Why a product has no quota level is said in Chinese (the dashboard shows it as is)."""

from __future__ import annotations

from datetime import date

from nenghao.analytics.unit_products import _assess

CJK = range(0x4E00, 0xA000)


def _chinese(text: str) -> bool:
    return any(ord(ch) in CJK for ch in text) and not any(
        ch.isascii() and ch.isalpha() for ch in text
    )


def test_no_output_no_code_and_no_standard_are_chinese() -> None:
    on = date(2026, 10, 31)
    no_output = _assess("sinter", 100.0, 0.0, "t", on)
    assert no_output["status"] == "no_output"
    assert _chinese(no_output["message"])
    no_code = _assess(None, 100.0, 2.0, "t", on)
    assert no_code["status"] == "no_quota_standard"
    assert _chinese(no_code["message"])
    unknown = _assess("no_such_product", 100.0, 2.0, "t", on)
    assert unknown["status"] == "no_quota_standard"
    assert _chinese(unknown["message"])
    # 100 tce = 100 000 kgce over 2 t: 50 000 kgce/t, computed before any quota is looked up
    assert (unknown["unit_consumption"], unknown["unit"]) == (50_000.0, "kgce/t")
