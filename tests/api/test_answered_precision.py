"""Figures are answered to their quantity's decimals (docs/accounting.md, Precision).

The walk reads every number of the analytics answers of the worked city and checks the
decimals written in the JSON against a table kept here, independent of the code's own.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from matrix_analytics import STATS, worked_city

# Decimals allowed by field name, from the table in docs/accounting.md.
DECIMALS = {
    "kgce": 1,
    "unit_consumption": 2,
    "value": 4,
    "output_t": 2,
    "quantity": 2,
    "quantity_canonical": 2,
    "renewable_electricity_kwh": 2,
    "renewable_kwh": 2,
    "renewable_base_kwh": 2,
    "output_value_10k_yuan": 2,
    "added_value_10k_yuan": 2,
    "score": 2,
}
DEFAULT = 4  # tce, tCO2, intensities, rates and shares
CATALOGUE = {"coefficients", "coefficient", "base_thresholds", "corrections", "thresholds"}
"""Subtrees that keep their catalogue digits (and the key-unit thresholds, integers)."""
QUOTA = {"value": "unit_consumption", "thresholds": "unit_consumption"}
"""A quota assessment's value and corrected thresholds are unit consumptions [kgce/t]."""


def decimals(number: Any) -> int:
    """Decimals as written in the JSON text (json.loads keeps the text's shortest repr)."""
    exponent = Decimal(repr(number)).normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def child_key(key: str, name: str) -> str:
    """The field name a value under `key`.`name` is checked as."""
    if key == "quota":
        return QUOTA.get(name, name)
    return key if name in {"L1", "L2", "L3"} else name


def too_precise(answer: Any, key: str = "", path: str = "$") -> list[str]:
    """Every float under `answer` with more decimals than its field allows."""
    if isinstance(answer, dict):
        return [
            found
            for name, value in answer.items()
            if name not in CATALOGUE or (key == "quota" and name == "thresholds")
            for found in too_precise(value, child_key(key, name), f"{path}.{name}")
        ]
    if isinstance(answer, list):
        return [f for i, v in enumerate(answer) for f in too_precise(v, key, f"{path}[{i}]")]
    if isinstance(answer, float):
        allowed = DECIMALS.get(key, 2 if key.endswith("_kwh") else DEFAULT)
        if decimals(answer) > allowed:
            return [f"{path} = {answer!r} (at most {allowed} decimals)"]
    return []


@pytest.fixture
def seeded(engine, world):
    with engine.begin() as conn:
        worked_city().seed(conn, world.enterprise_ids["a"], world.enterprise_ids["b"])
    return world


def test_the_worked_example_122_9_kgce(client, world):
    # 1 000 kWh x 0.1229 kgce/kWh = 122.9 kgce; in binary floating point 122.89999999999999
    response = client.get(
        "/api/v1/convert",
        params={"value": 1000, "unit": "kWh", "energy": "electricity"},
        headers=world.headers("admin"),
    )
    assert response.status_code == 200, response.text
    assert '"kgce":122.9,' in response.text.replace(" ", "")
    body = response.json()
    assert (body["kgce"], body["tce"]) == (122.9, 0.1229)
    assert body["coefficient"] == 0.1229  # a coefficient keeps its catalogue digits


def test_no_analytics_answer_has_more_digits_than_its_quantity(client, seeded):
    headers = seeded.headers("regulator")
    assert client.put(
        "/api/v1/targets",
        json={"year": 2025, "level": "city", "subject": "210300", "total_energy_tce": 9000.0},
        headers=headers,
    ).status_code in (200, 201)
    a, b = seeded.enterprise_ids["a"], seeded.enterprise_ids["b"]
    paths = [
        *STATS,
        *(
            f"/api/v1/stats/consumption?period={p}&by={by}"
            for p in ("2025-01", "2024")
            for by in ("city", "division", "industry", "enterprise", "energy_kind")
        ),
        "/api/v1/stats/compare?period=2025&by=enterprise",
        "/api/v1/stats/ranking?period=2025-02&by=enterprise&measure=tco2",
        "/api/v1/stats/intensity?period=2024&by=enterprise",
        "/api/v1/stats/series?period=2024&grain=day&by=enterprise",
        f"/api/v1/stats/enterprises/{a}/unit-products?period=2025-01..2025-03",
        f"/api/v1/stats/enterprises/{b}/unit-products?period=2024",
        f"/api/v1/stats/enterprises/{b}/series?period=2024&grain=day",
        "/api/v1/targets/progress?year=2025&level=city&subject=210300",
    ]
    found: list[str] = []
    floats = 0
    for path in paths:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text)
        found += [f"{path}: {f}" for f in too_precise(response.json())]
        floats += response.text.count(".")
    assert floats > 100  # the walk read figures, not empty answers
    assert not found, "\n".join(found[:20])


def test_the_walk_sees_a_figure_too_precise():
    answer = json.loads('{"rows": [{"equivalent_tce": 1.23456, "coefficients": [0.123456]}]}')
    assert too_precise(answer) == ["$.rows[0].equivalent_tce = 1.23456 (at most 4 decimals)"]
