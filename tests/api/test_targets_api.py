"""Targets over HTTP: create, replace, audit, scoped reads, progress, delete."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape
from matrix_analytics import worked_city


@pytest.fixture
def seeded(engine, world):
    with engine.begin() as conn:
        worked_city().seed(conn, world.enterprise_ids["a"], world.enterprise_ids["b"])
    return world


def _put(client, world, role, body):
    return client.put("/api/v1/targets", json=body, headers=world.headers(role))


def test_create_replace_read_progress_delete(client, seeded):
    body = {
        "year": 2025,
        "level": "division",
        "subject": "210302",
        "total_energy_tce": 10000.0,
        "renewable_base_kwh": 0.0,
    }
    created = _put(client, seeded, "regulator", body)
    assert created.status_code == 201, created.text
    replaced = _put(client, seeded, "regulator", {**body, "total_energy_tce": 9000.0})
    assert replaced.status_code == 200
    assert replaced.json()["total_energy_tce"] == 9000.0
    audit = client.get(
        "/api/v1/audit", params={"entity": "target"}, headers=seeded.headers("auditor")
    ).json()
    assert [row["action"] for row in audit["items"]] == ["update", "create"]
    key = {"year": 2025, "level": "division", "subject": "210302", "as_of": "2025-03-31"}
    answer = client.get(
        "/api/v1/targets/progress", params=key, headers=seeded.headers("district")
    ).json()
    # the division holds a and b: the same figures as the worked city-wide example
    assert answer["projection"]["gross_tce"]["method"] == "seasonal_profile"
    assert answer["indicators"]["total_energy_tce"]["level"] == "red"  # 9 756 > 9 000
    assert "seasonal" in answer["method"]
    hidden = client.get(
        "/api/v1/targets/progress", params=key, headers=seeded.headers("enterprise")
    )
    assert_error_shape(hidden, 404, "target_not_found")
    deleted = client.delete(
        "/api/v1/targets",
        params={k: v for k, v in key.items() if k != "as_of"},
        headers=seeded.headers("admin"),
    )
    assert deleted.status_code == 200


def test_enterprise_reads_only_its_own_target(client, seeded):
    for subject in (seeded.enterprise_ids["a"], seeded.enterprise_ids["c"]):
        body = {"year": 2025, "level": "enterprise", "subject": str(subject), "total_co2_t": 1.0}
        assert _put(client, seeded, "admin", body).status_code == 201
    seen = client.get("/api/v1/targets", headers=seeded.headers("enterprise")).json()
    assert [row["enterprise_id"] for row in seen["items"]] == [seeded.enterprise_ids["a"]]
    district = client.get("/api/v1/targets", headers=seeded.headers("district")).json()
    assert district["total"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"year": 2025, "level": "city", "subject": "210000"}, 422, "invalid_input"),
        ({"year": 2025, "level": "division", "subject": "999999"}, 422, "unknown_division"),
        ({"year": 2025, "level": "enterprise", "subject": "999999"}, 404, "enterprise_not_found"),
        (
            {"year": 2025, "level": "city", "subject": "210300", "total_co2_t": -1},
            422,
            "validation_error",
        ),
    ],
)
def test_invalid_targets(client, seeded, body, status, code):
    assert_error_shape(_put(client, seeded, "regulator", body), status, code)


def test_progress_without_a_set_renewable_base_and_no_grid_factor_for_2020(client, seeded):
    # The renewable base year (2020) predates the catalogue's grid factors: the base is read
    # from the metered electricity alone, and the 2020 CO2 is reported as unconverted.
    body = {"year": 2025, "level": "city", "subject": "210300", "total_energy_tce": 10000.0}
    assert _put(client, seeded, "regulator", body).status_code == 201
    answer = client.get(
        "/api/v1/targets/progress",
        params={"year": 2025, "level": "city", "subject": "210300", "as_of": "2025-03-31"},
        headers=seeded.headers("regulator"),
    )
    assert answer.status_code == 200, answer.text
    assert "2020" in answer.json()["deductions"]["renewable_base_source"]
    stats = client.get(
        "/api/v1/stats/consumption", params={"period": "2020"}, headers=seeded.headers("regulator")
    )
    assert stats.status_code == 200, stats.text


NOT_CANONICAL_IDS = ["01", "００1", "１", "٣", "²", "+1", " 1", "1 ", "1.0", "1e0", "1_0", "0"]


@pytest.mark.parametrize("written", NOT_CANONICAL_IDS)
def test_enterprise_subjects_are_plain_ascii_ids(client, seeded, written) -> None:
    body = {"year": 2025, "level": "enterprise", "total_co2_t": 1.0}
    error = assert_error_shape(
        _put(client, seeded, "admin", {**body, "subject": written}), 422, "invalid_subject"
    )
    assert repr(written) in error["message"]
    same = str(seeded.enterprise_ids["a"])
    assert _put(client, seeded, "admin", {**body, "subject": same}).status_code == 201
    listed = client.get("/api/v1/targets", headers=seeded.headers("admin")).json()
    assert [row["subject"] for row in listed["items"]] == [same]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("２１０３０２", "invalid_division"),
        ("21030²", "invalid_division"),
        ("210302\n", "invalid_division"),
    ],
)
def test_division_subjects_are_ascii_codes_of_the_catalogue(client, seeded, written, code) -> None:
    body = {"year": 2025, "level": "division", "subject": written, "total_co2_t": 1.0}
    assert_error_shape(_put(client, seeded, "admin", body), 422, code)
