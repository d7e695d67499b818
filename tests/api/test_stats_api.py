"""Statistics over HTTP on both backends: figures, scope isolation, error shape."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape
from matrix_analytics import like_city, worked_city


@pytest.fixture
def seeded(engine, world):
    with engine.begin() as conn:
        worked_city().seed(conn, world.enterprise_ids["a"], world.enterprise_ids["b"])
    return world


def test_consumption_by_enterprise(client, seeded):
    city = worked_city()
    response = client.get(
        "/api/v1/stats/consumption",
        params={"period": "2025-01", "by": "enterprise"},
        headers=seeded.headers("regulator"),
    )
    assert response.status_code == 200, response.text
    rows = {row["key"]: row for row in response.json()["rows"]}
    a = rows[seeded.enterprise_ids["a"]]
    assert a["equivalent_tce"] == pytest.approx(city.A_JAN_2025_EQUIVALENT)
    assert a["equal_tce"] == pytest.approx(city.A_JAN_2025_EQUAL)
    assert a["equal_value_unconverted"][0]["energy_kind"] == "heat"
    assert response.json()["coefficients"]


@pytest.mark.parametrize(
    ("role", "visible"), [("regulator", "ab"), ("district", "ab"), ("enterprise", "a")]
)
def test_each_role_sees_its_own_enterprises(client, seeded, role, visible):
    response = client.get(
        "/api/v1/stats/ranking",
        params={"period": "2024", "by": "enterprise", "limit": 50},
        headers=seeded.headers(role),
    )
    keys = {row["key"] for row in response.json()["rows"]}
    assert keys == {seeded.enterprise_ids[x] for x in visible}


def test_a_filter_cannot_widen_the_scope(client, seeded):
    response = client.get(
        "/api/v1/stats/consumption",
        params={"period": "2025-01", "enterprise_id": seeded.enterprise_ids["b"]},
        headers=seeded.headers("enterprise"),
    )
    assert response.json()["rows"] == []
    assert response.json()["total"]["equivalent_tce"] == 0.0


def test_yoy_unit_products_and_key_units(client, seeded):
    a = seeded.enterprise_ids["a"]
    headers = seeded.headers("enterprise")
    compared = client.get(
        "/api/v1/stats/compare", params={"period": "2025-03"}, headers=headers
    ).json()
    # 231.2 / 194.33 - 1 = 0.189729..., answered to 4 decimals (0.01 %)
    assert compared["rows"][0]["equivalent_tce"]["year_on_year"]["rate"] == 0.1897
    products = client.get(
        f"/api/v1/stats/enterprises/{a}/unit-products",
        params={"period": "2025-01..2025-03"},
        headers=headers,
    ).json()
    assert products["rows"][0]["quota"]["level"] == "L3"
    units = client.get("/api/v1/stats/key-units", params={"year": 2024}, headers=headers).json()
    assert [row["finding"] for row in units["rows"]] == ["below_thresholds"]


def test_daily_series_of_one_enterprise(client, seeded):
    b = seeded.enterprise_ids["b"]
    answer = client.get(
        f"/api/v1/stats/enterprises/{b}/series",
        params={"period": "2024", "grain": "day"},
        headers=seeded.headers("district"),
    ).json()
    assert len(answer["buckets"]) == 366
    assert sum(answer["groups"][0]["equivalent_tce"]) == pytest.approx(12 * 582.84)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"period": "2025-13"}, "invalid_period"),
        ({"period": "2025", "by": "planet"}, "validation_error"),
        ({}, "validation_error"),
    ],
)
def test_bad_requests_answer_in_the_error_shape(client, seeded, params, code):
    response = client.get(
        "/api/v1/stats/consumption", params=params, headers=seeded.headers("regulator")
    )
    assert_error_shape(response, 422, code)


def test_series_grain_coarser_than_period(client, seeded):
    response = client.get(
        "/api/v1/stats/series",
        params={"period": "2025-01-05", "grain": "month"},
        headers=seeded.headers("regulator"),
    )
    assert_error_shape(response, 422, "invalid_statistics_request")


SERIES = "/api/v1/stats/series"
ONE_SERIES = "/api/v1/stats/enterprises/{b}/series"


@pytest.mark.parametrize(
    ("route", "period", "grain", "asked", "cap"),
    [
        (SERIES, "2000-01-01..2024-12-31", "day", 9132, 366),
        (ONE_SERIES, "2000-01-01..2024-12-31", "day", 9132, 366),
        (ONE_SERIES, "2023-01-01..2024-01-02", "day", 367, 366),
        (SERIES, "2014-01..2024-01", "month", 121, 120),
        (SERIES, "2000..2050", "year", 51, 50),
        ("/api/v1/stats/consumption", "2000..2050", None, 51, 50),
        ("/api/v1/stats/compare", "2000..2100", None, 101, 50),
        ("/api/v1/stats/ranking", "2000-01-02..2100-12-31", None, 101, 50),
        ("/api/v1/stats/mix", "2000..2050", None, 51, 50),
        ("/api/v1/stats/intensity", "2000..2050", None, 51, 50),
        ("/api/v1/stats/enterprises/{b}/unit-products", "2000..2050", None, 51, 50),
    ],
)
def test_ranges_beyond_the_cap_answer_range_too_large(
    client, seeded, route, period, grain, asked, cap
):
    params = {"period": period, **({"grain": grain} if grain else {})}
    response = client.get(
        route.format(b=seeded.enterprise_ids["b"]),
        params=params,
        headers=seeded.headers("district"),
    )
    error = assert_error_shape(response, 422, "range_too_large")
    assert error["details"]["asked"] == asked
    assert error["details"]["cap"] == cap
    assert f"at most {cap}" in error["message"]
    assert "shorter period" in error["message"]


@pytest.mark.parametrize(
    ("period", "grain", "buckets"),
    [
        ("2023-12-31..2024-12-30", "day", 366),
        ("2015-01..2024-12", "month", 120),
        ("2000..2049", "year", 50),
    ],
)
def test_ranges_at_the_cap_are_answered(client, seeded, period, grain, buckets):
    response = client.get(
        SERIES, params={"period": period, "grain": grain}, headers=seeded.headers("district")
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["buckets"]) == buckets


def test_compare_says_the_span_compared_and_why_a_rate_is_null(client, world, monkeypatch):
    """like_city.py: a month in progress (1-4 December 2026 against 1-4 December 2025) and
    a year against a base of 27 days."""
    from datetime import date

    from nenghao.analytics import comparison

    city = like_city()
    ids = city.build(client.app.state.engine)
    monkeypatch.setattr(comparison, "today_cst", lambda: city.TODAY)
    headers = world.headers("regulator")
    month = client.get(
        "/api/v1/stats/compare",
        params={"period": "2026-12", "enterprise_id": ids["a"]},
        headers=headers,
    ).json()
    assert (month["partial"], month["compared"]["end"], month["compared"]["days"]) == (
        True,
        "2026-12-04",
        4,
    )
    assert month["year_on_year_span"] == {
        "period": "2025-12-01..2025-12-04",
        "start": "2025-12-01",
        "end": "2025-12-04",
        "days": 4,
    }
    a = city.values_a()
    now = city.in_span(a, date(2026, 12, 1), date(2026, 12, 4))
    before = city.in_span(a, date(2025, 12, 1), date(2025, 12, 4))
    yoy = month["rows"][0]["equivalent_tce"]["year_on_year"]
    assert yoy["rate"] == pytest.approx(now / before - 1, abs=5e-5)  # 4 decimals
    assert yoy["reason"] is None
    year = client.get(
        "/api/v1/stats/compare",
        params={"period": "2025", "enterprise_id": ids["b"]},
        headers=headers,
    ).json()
    assert year["partial"] is False
    yoy = year["rows"][0]["equivalent_tce"]["year_on_year"]
    assert (yoy["rate"], yoy["reason"]) == (None, "base_incomplete")
    assert yoy["base_coverage"] == pytest.approx(27 / 366, abs=5e-5)  # 27 000 of 366 000 kWh
