"""The OpenAPI document tells the truth: a bounded, deterministic schemathesis run.

Every operation of the document is called in-process (ASGI) with schema-valid data only
(positive generation), as an admin, on a SQLite database holding the API tests' small register
(three enterprises, a device credential, one user per role). A case fails on a server error, a
status the document does not list for the operation, a body or content type that does not
match the document, and on valid input refused as invalid (422 or 400), unless the refusal is
one the schema cannot express (`SEMANTIC_REFUSALS`).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Config, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from nenghao.app.openapi_export import document
from nenghao.standards.reason_codes import REASONS, ReasonCode, Rejects
from nenghao.store import tokens
from nenghao.store.schema import users

SEED = 20250101
EXAMPLES_PER_OPERATION = 25
CONFIG = Config.from_dict(
    {
        "seed": SEED,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "generation": {
            "mode": "positive",
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
        },
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
pytestmark = pytest.mark.slow  # 1 to 4 minutes on two cores, by their load; runs in `make test`

# Refusals of schema-valid input that no schema can express: they depend on stored data or the
# catalogue, on a check character, or on several fields together. (code, part of the message)
# maps to why the schema cannot say it; an empty part matches every message of the code.
SEMANTIC_REFUSALS: dict[tuple[str, str], str] = {
    ("wrong_password", ""): "the current password is compared with the stored one",
    ("weak_password", "too weak"): "a password's zxcvbn strength (a model, not a pattern)",
    ("invalid_credit_code", "check character"): "the check character is computed (GB 32100)",
    ("unknown_division", ""): "a look-up in the division catalogue",
    ("unknown_industry", ""): "a look-up in the industry catalogue",
    ("unknown_enterprise", ""): "a look-up of a stored enterprise",
    ("unknown_energy_kind", ""): "a look-up in the energy catalogue (codes and names)",
    ("unknown_unit", ""): "a look-up in the unit catalogue",
    ("unit_dimension_mismatch", ""): "the unit must suit the energy kind (two fields)",
    ("invalid_heating_value", "not energy"): "a look-up of the heating value's units",
    ("missing_year", ""): "the equal-value basis needs a year (basis and year together)",
    ("scope_required", ""): "the scope field a role needs (role and field together)",
    ("scope_not_applicable", ""): "a scope field the role does not use (role and field)",
    ("invalid_period", "ends before it starts"): "a range's two ends together",
    ("invalid_statistics_request", "needs a period of whole"): "grain and period together",
    ("invalid_subject", ""): "a target's subject depends on its level and the register",
    ("invalid_input", "subject"): "a city target's subject is the city's code (a setting)",
    ("invalid_division", "subject must be"): "a division target's subject (level and subject)",
    ("range_too_large", ""): "a statistics range's cap depends on its grain (two fields)",
    ("invalid_rule_setting", ""): "a rule's parameters depend on the rule",
    ("invalid_target", ""): "a channel's target depends on its kind",
    ("misaligned_start", ""): "a record's start must suit its period (two fields)",
    ("no_value", ""): "a record needs a value or a register (two fields)",
    ("invalid_register_event", ""): "a register event depends on the register and its kind",
    ("duplicate_record", ""): "two records of a filing for the same slot",
    ("invalid_item", ""): "a data item's attributes depend on each other and the catalogue",
    ("item_code_scheme", ""): "an item code is derived from the item's other attributes",
    ("item_code_exhausted", ""): "the free codes depend on the stored items",
    ("effective_date_in_future", ""): "a change's date is compared with today",
    ("effective_date_before_version", ""): "a change's date is compared with stored versions",
    ("year_not_ended", ""): "an annual report's year is compared with today",
    ("report_incomplete", ""): "the required parts are those of the stored report",
    ("future_period", ""): "a filed period is compared with today",
    ("period_not_ended", ""): "a filed period is compared with today",
    ("period_before_register", ""): "a filed period is compared with the registration",
    ("revision_reason_required", ""): "a revision depends on what is stored",
    ("duplicate_line", ""): "two lines of a filing for the same quantity",
    ("filing_period_mismatch", ""): "a filed quantity's registered period",
    ("attachment_type_forbidden", ""): "a notice attachment's type is read from its content",
    ("attachment_type_mismatch", ""): "a notice attachment's name and content together",
    ("attachment_empty", ""): "a notice attachment's content",
    ("too_many_attachments", ""): "the number of attachments is a setting",
    ("invalid_audience", ""): "a notice's audience codes depend on the audience",
    ("empty_audience", ""): "the enterprises an audience addresses depend on the register",
    ("invalid_notice_dates", ""): "a notice's expiry against its publication time (two fields)",
    ("plan_empty", ""): "whether a collection plan has items depends on the stored items",
    ("unknown_fault_cause", ""): "a look-up in the fault causes (codes and Chinese names)",
    ("fault_start_in_future", ""): "a fault's start is compared with now",
    ("fault_repair_before_start", ""): "a fault's expected repair date and start together",
    ("fault_cause_text_missing", ""): "the cause 其他 needs its description (two fields)",
    ("fault_unknown_key", ""): "a look-up of the enterprise's device credentials",
    ("unknown_two_high_sector", ""): "a look-up in the two-high sectors (two_high.toml)",
    ("unknown_quota_product", ""): "a look-up in the quota catalogue",
    ("installation_item_mismatch", ""): "a look-up of the enterprise's product data items",
    ("installation_capacity_unit", ""): "a capacity and its unit together (two fields)",
    ("retrofit_periods_overlap", ""): "a retrofit's baseline and installation together",
    ("reporting_before_installation_end", ""): "a retrofit's installation and reporting together",
    ("baseline_too_short", ""): "a baseline's length in months (two fields)",
    ("retrofit_item_mismatch", ""): "a look-up of the enterprise's data items",
    ("invalid_retrofit_variable", ""): "a variable's item or values, one of two fields",
    ("adjustment_outside_reporting", ""): "an adjustment's month against the stored periods",
    ("rectification_target_required", ""): "the default target is the product's baseline",
    ("rectification_deadline_past", ""): "a plan's deadline is compared with today",
    ("invalid_applicant", ""): "a project's applicant: registered or new (fields together)",
    ("invalid_project", ""): "a new applicant's project needs its division and industry",
    ("existing_consumption_required", ""): "a reconstruction needs its existing lines (two fields)",
    ("project_step_incomplete", ""): "what a review step needs depends on the step",
}
SEMANTIC_REFUSALS.update(
    ((code.value, ""), "the content of an uploaded file")
    for code, described in REASONS.items()
    if described.rejects is Rejects.FILE and code != ReasonCode.FILE_TOO_LARGE
)


@pytest.fixture
def world(shared_sqlite_app):
    """The API tests' small register, restored for each operation. SQLite only: the run checks
    the document, not the backend; one app for every operation."""
    return shared_sqlite_app.restore()


@pytest.fixture
def app(shared_sqlite_app, world):
    return shared_sqlite_app.client.app


@pytest.fixture
def engine(shared_sqlite_app):
    return shared_sqlite_app.engine


def admin_headers(engine, world) -> dict[str, str]:
    """A fresh admin token, the admin reset first (a case may deactivate or demote it)."""
    admin_id = world.user_ids["admin"]
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == admin_id).values(role="admin", active=True))
        token = tokens.issue(conn, admin_id, 30).token
    return {"Authorization": f"Bearer {token}"}


def _error(response: Response) -> tuple[str, str]:
    """Code and message of an error answer ('' when it has none)."""
    try:
        body: Any = response.json()
    except ValueError:
        return "", ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "", ""
    return str(error.get("code", "")), str(error.get("message", ""))


def accepts_valid_input(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Schema-valid input is not refused as invalid, unless the refusal is semantic."""
    del ctx
    if response.status_code not in (400, 422):
        return None
    code, message = _error(response)
    if any(code == c and part in message for c, part in SEMANTIC_REFUSALS):
        return None
    raise AssertionError(
        f"{case.operation.label}: schema-valid input refused with {response.status_code} "
        f"{code}: {response.text[:300]}"
    )


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    accepts_valid_input,
]


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_operation_matches_its_document(case, app, engine, world) -> None:
    case.call_and_validate(app=app, headers=admin_headers(engine, world), checks=CHECKS)
