"""Constants and checks shared by the API tests (imported by name, unlike conftest)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from nenghao.store.credit_code import make_credit_code

PASSWORD = "correct-horse-7"
ROLES = ("admin", "regulator", "district", "enterprise", "auditor")
ENTERPRISES = {
    "a": ("210302", "3110", "鞍钢示范钢铁有限公司"),
    "b": ("210302", "3120", "铁东轧钢有限公司"),
    "c": ("210381", "3089", "海城镁质耐火材料有限公司"),
}


def credit_code(label: str, division: str) -> str:
    """A valid unified social credit code for a test enterprise."""
    return make_credit_code(division, f"MA0TEXT0{label.upper()}")


def assert_error_shape(response: Any, status: int | None = None, code: str | None = None) -> dict:
    """Check the one error shape (and optionally status and code); returns the error."""
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert isinstance(error["code"], str)
    assert error["code"]
    assert error["code"] == error["code"].lower()
    assert " " not in error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert error["code"] == code, error
    return error


def from_address(client: TestClient, address: str) -> TestClient:
    """A client of the same app that connects from the client address `address`."""
    return TestClient(client.app, raise_server_exceptions=False, client=(address, 50000))
