"""Seasonal items: the start of the heating season is not a level shift of a heating plant.

A coal-fired heating plant (GB/T 4754 4430) burns 3.5 t/h of coal outside the season and 70 t/h
in it; its electricity (945 -> 6 300 kWh/h), water (14 -> 140 t/h) and heat sold (56 -> 1 120
GJ/h) follow with different seasonal shares, so relative to each other the items change level
on 1 November: coal x20 against a peer median of x10 (electricity x6.67, water x10, heat
x20) is x2; electricity x6.67 against x20 is x0.33. An enterprise of another industry with
the same readings is flagged (the rule still finds such steps), the heating plant is not,
and moving the configured season away from 1 November flags it again.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from factories import add_enterprise, add_item
from nenghao.config import Settings
from nenghao.monitor.config import QualityConfig, Season
from nenghao.monitor.evaluate import evaluate
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import cst_midnight
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings

FIRST, SEASON_START, LAST = date(2025, 10, 1), date(2025, 11, 1), date(2025, 11, 30)
HOURLY = {  # kind, unit, (outside, inside the season) per hour
    "coal": ("raw_coal", "t", (3.5, 70.0)),
    "elec": ("electricity", "kWh", (945.0, 6300.0)),
    "water": ("fresh_water", "t", (14.0, 140.0)),
    "heat": ("heat", "GJ", (56.0, 1120.0)),
}


def _plant(conn, org: str, industry: str) -> int:
    enterprise = add_enterprise(conn, org, "210302", industry)
    rows = []
    for code, (kind, unit, (outside, inside)) in HOURLY.items():
        item = add_item(conn, enterprise, code, energy_kind=kind, unit=unit)
        day = FIRST
        while day <= LAST:
            level = inside if day >= SEASON_START else outside
            midnight = cst_midnight(day)
            rows += [
                {
                    "item_id": item,
                    "period": "hour",
                    "period_start": midnight + 3600 * h,
                    "value": level * (1 + 0.01 * (h % 3)),
                    "source": "test",
                    "received_at": midnight + 3600 * (h + 1),
                }
                for h in range(24)
            ]
            day += timedelta(days=1)
    conn.execute(insert(readings), rows)
    return enterprise


@pytest.fixture
def plants(engine):
    with engine.begin() as conn:
        heating = _plant(conn, "HE0000001", "4430")
        other = _plant(conn, "HE0000002", "3110")
        rebuild(conn)
    return heating, other


def _shifted(engine, season: Season) -> dict[int, set[str]]:
    window = Window(
        cst_midnight(date(2025, 10, 25)), cst_midnight(date(2025, 11, 15)), cst_midnight(LAST)
    )
    with engine.connect() as conn:
        result = evaluate(conn, window, QualityConfig(season=season))
    out: dict[int, set[str]] = {}
    codes = {item.id: (item.enterprise_id, item.code) for item in result.items}
    for event in result.events:
        if event.rule == "level_shift":
            enterprise, code = codes[event.item_id]
            out.setdefault(enterprise, set()).add(code)
    return out


def test_the_heating_season_start_is_not_a_level_shift(engine, plants):
    heating, other = plants
    found = _shifted(engine, Season.parse(Settings().monitor_heating_season))
    assert heating not in found
    assert {"coal", "elec"} <= found[other]


def test_the_season_is_configurable(engine, plants):
    heating, _other = plants
    found = _shifted(engine, Season.parse("10-15/04-15", ["4430"]))
    assert {"coal", "elec"} <= found[heating]


def test_season_setting_is_checked():
    assert Settings().monitor_heating_season == "11-01/03-31"
    with pytest.raises(ValueError, match="MM-DD/MM-DD"):
        Settings(monitor_heating_season="11-31/03-31")


def test_season_boundaries_wrap_the_year():
    season = Season.parse("11-01/03-31")
    lo, hi = cst_midnight(date(2025, 1, 1)), cst_midnight(date(2026, 1, 1))
    assert season.boundaries(lo, hi) == [
        cst_midnight(date(2025, 4, 1)),
        cst_midnight(date(2025, 11, 1)),
    ]
