"""The OpenAPI document lists every route's error answers, in the one error shape, and the
schema's constraints are the rules the routes check."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from routes import api_routes, device_authenticated, permission_of

from nenghao.accounting.heating_value import HEATING_VALUE_PATTERN, parse_heating_value
from nenghao.analytics.periods import PERIOD_PATTERN, Period
from nenghao.api.access import EVERYONE, PERMISSIONS
from nenghao.api.errors import ApiError
from nenghao.api.routers.quality import month_bounds
from nenghao.app import create_app
from nenghao.config import Settings
from nenghao.standards.calendar import MONTH_PATTERN, CalendarError
from nenghao.store.credit_code import CREDIT_CODE_PATTERN, CreditCodeError, validate_credit_code
from nenghao.store.users import MIN_PASSWORD

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
PUBLIC = {("GET", "/api/v1"), ("GET", "/api/v1/health"), ("POST", "/api/v1/auth/login")}


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(database_url="sqlite://"))


@pytest.fixture(scope="module")
def doc(app):
    return app.openapi()


def _operations(app, doc):
    for method, path, route in api_routes(app):
        operation = doc["paths"].get(path, {}).get(method.lower())
        if operation is not None:
            yield method, path, route, operation


def test_every_error_answer_is_documented_in_the_error_shape(app, doc) -> None:
    seen = 0
    for method, path, _route, operation in _operations(app, doc):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                seen += 1
                assert response["content"] == {"application/json": {"schema": ERROR_REF}}, (
                    method,
                    path,
                    status,
                )
                assert response["description"], (method, path, status)
    assert seen > 200
    error = doc["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["code", "message", "details"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_401_and_403_follow_authentication_and_permission(app, doc) -> None:
    for method, path, route, operation in _operations(app, doc):
        statuses = set(operation["responses"])
        permission = permission_of(route)
        if (method, path) in PUBLIC:
            assert "403" not in statuses, (method, path)
            assert ("401" in statuses) == (path == "/api/v1/auth/login"), (method, path)
        elif device_authenticated(route):  # uploads: also 403 and 413; signed reads: not
            expected = {"401", "429"} | ({"403", "413"} if method == "POST" else set())
            assert expected <= statuses, (method, path)
        else:
            assert permission in PERMISSIONS, (method, path)
            assert "401" in statuses, (method, path)
            assert ("403" in statuses) == (PERMISSIONS[permission] != EVERYONE), (method, path)


def test_database_inputs_and_paths_give_503_422_and_404(app, doc) -> None:
    for method, path, route, operation in _operations(app, doc):
        statuses = set(operation["responses"])
        assert ("503" in statuses) == (path != "/api/v1"), (method, path)
        has_inputs = bool(operation.get("parameters") or operation.get("requestBody"))
        assert ("422" in statuses) == has_inputs or device_authenticated(route), (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
    progress = doc["paths"]["/api/v1/targets/progress"]["get"]["responses"]
    assert "404" in progress  # declared by the route: no path parameter, yet a missing target
    login = doc["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert "429" in login


@pytest.mark.parametrize(
    ("path", "media_types"),
    [
        (
            "/api/v1/reports/monthly",
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        ),
        ("/api/v1/reports/enterprises/{enterprise_id}/annual", {"application/pdf"}),
        (
            "/api/v1/enterprises/{enterprise_id}/import-template",
            {
                XLSX,
                "text/csv; charset=utf-8",
            },
        ),
    ],
)
def test_file_answers_document_their_content_types(doc, path, media_types) -> None:
    content = doc["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == media_types
    for media in content.values():
        assert media["schema"] == {"type": "string", "format": "binary"}


def test_filing_body_is_documented_as_uplink_records(doc) -> None:
    body = doc["paths"]["/api/v1/enterprises/{enterprise_id}/filings"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    filing = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert filing["properties"]["records"]["minItems"] == 1
    assert filing["properties"]["records"]["items"] == {"$ref": "#/components/schemas/UplinkRecord"}


def _parameter(doc, path: str, name: str) -> dict:
    operation = doc["paths"][path]["get"]
    return next(p for p in operation["parameters"] if p["name"] == name)["schema"]


def test_schema_states_the_period_month_and_rule_checks(doc) -> None:
    assert _parameter(doc, "/api/v1/stats/consumption", "period")["pattern"] == PERIOD_PATTERN
    assert _parameter(doc, "/api/v1/quality/scores", "month")["pattern"] == f"^{MONTH_PATTERN}$"
    rule = _parameter(doc, "/api/v1/quality/events", "rule")["anyOf"][0]
    assert "completeness" in rule["enum"]
    enterprise = doc["components"]["schemas"]["EnterpriseIn"]["properties"]
    assert enterprise["credit_code"]["pattern"] == CREDIT_CODE_PATTERN
    assert enterprise["division_code"]["pattern"] == "^[0-9]{6}$"
    user = doc["components"]["schemas"]["UserIn"]["properties"]
    assert user["password"]["minLength"] == MIN_PASSWORD


def _refusal(check, text: str) -> Exception | None:
    """The exception `check(text)` raises, or None."""
    try:
        check(text)
    except (CalendarError, ApiError, CreditCodeError) as exc:
        return exc
    return None


@given(st.from_regex(PERIOD_PATTERN, fullmatch=True))
def test_every_period_the_schema_allows_is_read(text: str) -> None:
    refusal = _refusal(Period.parse, text)
    # the two ends of a range together: no schema says it
    assert refusal is None or "ends before it starts" in str(refusal)


@given(st.text(alphabet="0123456789-. \n", max_size=24))
def test_a_period_read_is_one_the_schema_allows(text: str) -> None:
    if _refusal(Period.parse, text) is None:
        assert re.fullmatch(PERIOD_PATTERN, text.strip())


@given(st.one_of(st.from_regex(f"^{MONTH_PATTERN}$", fullmatch=True), st.text(max_size=9)))
def test_month_check_is_the_schema_pattern(text: str) -> None:
    refusal = _refusal(month_bounds, text)
    allowed = re.fullmatch(MONTH_PATTERN, text) is not None
    assert (refusal is None) == allowed
    assert refusal is None or getattr(refusal, "code", None) == "invalid_period"


@given(st.from_regex(CREDIT_CODE_PATTERN, fullmatch=True))
def test_credit_codes_the_schema_allows_fail_only_their_check_character(text: str) -> None:
    refusal = _refusal(validate_credit_code, text)
    assert refusal is None or "check character" in str(refusal)


@given(st.from_regex(HEATING_VALUE_PATTERN, fullmatch=True))
def test_heating_values_the_schema_allows_are_read(text: str) -> None:
    number, unit = parse_heating_value(text)
    assert number > 0
    assert "/" in unit


def test_every_schema_has_its_own_name(doc):
    """Two models of one name get module-qualified names, which the dashboard's types miss."""
    clashes = [name for name in doc["components"]["schemas"] if name.startswith("nenghao__")]
    assert clashes == []
