"""The quota bar agrees with the verdict: an edition without Level 2 (EAF) and negative limits
(converter steel) draw the marker in the band of the level the tag names.

The API's answer is replaced by crafted rows so that both cases are on one page. Positions
worked by hand from the bar's scale (0, or L1 - pad when limits are negative, to L3 + pad,
pad = 0.25 x max(|L3|, L3 - L1)):

* EAF >= 70 t without L2 (L1 61, L3 72), 80 kgce/t: pad 18 -> scale 0..90; the marker at
  80/90 = 88.89 %, L3 at 72/90 = 80 %: in red, "超限额";
* converter (L1 -30, L2 -28, L3 -12): pad 0.25 x 18 = 4.5 -> scale -34.5..-7.5 (27);
  -20 at 14.5/27 = 53.70 % (L2 at 24.07 %, L3 at 83.33 %): orange, "L3";
  -5 beyond the scale: at 100 %, in red, "超限额"; -32 at 2.5/27 = 9.26 % (L1 at 16.67 %):
  green, "L1".
"""

from __future__ import annotations

import json
import re

import pytest

from .web_helpers import Server, login, settle, shoot

EAF = {"L1": 61.0, "L3": 72.0}
CONVERTER = {"L1": -30.0, "L2": -28.0, "L3": -12.0}
CASES = [  # thresholds, value, level, marker %, band the marker is in
    (EAF, 80.0, "above_limit", 88.89, "red"),
    (CONVERTER, -20.0, "L3", 53.70, "L3"),
    (CONVERTER, -5.0, "above_limit", 100.0, "red"),
    (CONVERTER, -32.0, "L1", 9.26, "L1"),
]


def _row(index: int, thresholds: dict, value: float, level: str) -> dict:
    return {
        "item_id": 900 + index,
        "item_code": f"crafted.{index}",
        "product_code": "eaf_steel_ge70" if "L2" not in thresholds else "converter_steel",
        "product_name": f"产品{index}",
        "boundary": f"b{index}",
        "output_t": 100.0,
        "boundary_consumption_tce": value / 10,
        "recovered_energy_deducted_tce": 0.0,
        "boundary_items": 1,
        "shared_boundary": False,
        "basis": "equivalent",
        "unit_consumption": value,
        "unit": "kgce/t",
        "status": "assessed",
        "quota": {
            "product": "p",
            "value": value,
            "unit": "kgce/t",
            "on": "2026-11-30",
            "level": level,
            "meets_limit": level != "above_limit",
            "edition": "GB 21256-2025",
            "title": "粗钢生产主要工序单位产品能源消耗限额",
            "local": False,
            "base_thresholds": thresholds,
            "thresholds": thresholds,
            "corrections": [],
            "source": "GB 21256-2025",
            "status": "confirmed",
            "note": None,
        },
    }


def test_bar_marker_sits_in_the_band_of_the_verdict(page, server: Server) -> None:
    own = server.api("enterprise", "/auth/me")["user"]["enterprise_id"]
    answer = {
        "enterprise_id": own,
        "enterprise_name": "crafted",
        "period": "2026-11",
        "quota_date": "2026-11-30",
        "rows": [_row(i, *case[:3]) for i, case in enumerate(CASES)],
        "notes": {},
    }
    page.route(
        re.compile(r".*/unit-products.*"),
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(answer)
        ),
    )
    login(page, server, "enterprise")
    page.wait_for_url(re.compile(rf"/enterprises/{own}$"))
    page.get_by_role("tab", name="单位产品能耗").click()
    page.get_by_test_id("unit-products").wait_for()
    settle(page)
    rows = page.get_by_test_id("unit-table").locator(".el-table__body tr")
    assert rows.count() == len(CASES)
    for i, (thresholds, _value, level, position, band) in enumerate(CASES):
        row = rows.nth(i)
        marker = row.get_by_test_id("quota-marker")
        at = float(marker.get_attribute("data-position"))
        assert at == pytest.approx(position, abs=0.01)
        segments = {
            seg.get_attribute("data-level"): _extent(seg.get_attribute("style"))
            for seg in row.locator(".seg").all()
        }
        assert ("L2" in segments) == ("L2" in thresholds)
        limit = float(marker.get_attribute("data-limit"))
        if band == "red":
            assert at > limit
        else:
            left, width = segments[band]
            assert left <= at <= left + width
        tag = row.get_by_test_id("quota-level").inner_text()
        assert tag == ("超限额" if level == "above_limit" else f"{level[1]}级")  # L2 -> 2级
    assert "（该标准未设此级）" in rows.first.inner_text()
    shoot(page, "quota-bar-crafted")


def _extent(style: str) -> tuple[float, float]:
    left = float(re.search(r"left:\s*([-\d.]+)%", style).group(1))
    width = float(re.search(r"width:\s*([-\d.]+)%", style).group(1))
    return left, width
