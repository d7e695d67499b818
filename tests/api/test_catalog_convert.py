"""Catalogue listings and conversion to standard coal over HTTP."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape

SECTIONS = ("energy-kinds", "quotas", "emission-factors", "divisions", "industries")


@pytest.mark.parametrize("section", SECTIONS)
def test_catalog_items_carry_source_and_status(client, world, section) -> None:
    body = client.get(f"/api/v1/catalog/{section}", headers=world.headers("enterprise")).json()
    assert body["count"] == len(body["items"]) > 0
    for item in body["items"]:
        sourced = item.get("coefficient") or item.get("heating_value") or item
        assert sourced["source"]
        assert sourced["status"] in ("confirmed", "unverified")
        if section in ("energy-kinds", "quotas", "emission-factors"):
            assert sourced.get("unit") or item.get("unit")


def test_convert_coke(client, world) -> None:
    response = client.get(
        "/api/v1/convert",
        params={"value": 1200, "unit": "t", "energy": "焦炭"},
        headers=world.headers("auditor"),
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["energy"]["code"] == "coke"
    assert body["tce"] == pytest.approx(body["kgce"] / 1000)
    assert body["tce"] == pytest.approx(1200 * body["coefficient"])
    for key in ("coefficient_unit", "basis", "source", "status", "method"):
        assert body[key]


def test_convert_with_measured_heating_value(client, world) -> None:
    params = {"value": 500, "unit": "t", "energy": "原煤", "heating_value": "5000 kcal/kg"}
    body = client.get("/api/v1/convert", params=params, headers=world.headers("admin")).json()
    assert body["method"] == "measured heating value"
    assert body["coefficient"] == pytest.approx(5000 * 4.1868 / 29307.6, rel=1e-3)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"value": 1, "unit": "t", "energy": "unobtainium"}, "unknown_energy_kind"),
        ({"value": 1, "unit": "furlong", "energy": "原煤"}, "unknown_unit"),
        ({"value": 1, "unit": "kWh", "energy": "原煤"}, "unit_dimension_mismatch"),
        ({"value": "abc", "unit": "t", "energy": "原煤"}, "validation_error"),
        ({"value": "nan", "unit": "t", "energy": "原煤"}, "validation_error"),
        (
            {"value": 1, "unit": "t", "energy": "原煤", "heating_value": "hot"},
            "invalid_heating_value",
        ),
        ({"value": 1, "unit": "t", "energy": "原煤", "basis": "equal"}, "missing_year"),
    ],
)
def test_convert_errors(client, world, params, code) -> None:
    response = client.get("/api/v1/convert", params=params, headers=world.headers("admin"))
    error = assert_error_shape(response, 422, code)
    if code != "validation_error":
        assert str(params.get("unit") if code == "unknown_unit" else "") in error["message"]


def test_reason_codes_are_listed_with_their_names(client, world) -> None:
    from nenghao.standards.reason_codes import ReasonCode

    answer = client.get("/api/v1/catalog/reasons", headers=world.headers("enterprise")).json()
    by_code = {item["code"]: item for item in answer["items"]}
    assert answer["count"] == len(ReasonCode) == len(by_code)
    assert by_code["unknown_item"] == {
        "code": "unknown_item",
        "rejects": "record",
        "zh": "该数据项未在本单位登记",
        "en": "the item is not registered for this enterprise",
    }
    assert by_code["bad_encoding"]["rejects"] == "file"
