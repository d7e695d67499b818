"""The project register: create and edit a draft, each save re-assessed.

Who may: an enterprise user for its own enterprise (the applicant is always that enterprise);
a district user for projects located in its division; the city regulator and the admin for
any. The applicant is an enterprise of the register (in the caller's scope) or a new one by
name and unified social credit code. Every save runs `assess` and stores the tier, the
two-high mark and the counted figures on the project, is audited and recorded as a step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from nenghao.review.assessment import (
    Assessment,
    PlannedEnergy,
    PlannedProduct,
    ProjectFacts,
    assess,
)
from nenghao.review.authority import reviewing_level
from nenghao.review.line_checks import check_lines
from nenghao.standards import get_catalog
from nenghao.store import audit, enterprises
from nenghao.store import projects as store
from nenghao.store.common import ConflictError, InvalidInputError, OutsideScopeError
from nenghao.store.credit_code import validate_credit_code
from nenghao.store.enterprises import check_division, check_industry
from nenghao.store.scope import Scope

SCALARS: tuple[str, ...] = (
    "name",
    "division_code",
    "industry_code",
    "construction_type",
    "first_full_year",
)
SCALARS += ("output_value", "added_value", "simple_process", "location", "description")
APPLICANT = ("applicant_enterprise_id", "applicant_name", "applicant_credit_code")


def facts_of(project: Mapping[str, Any]) -> ProjectFacts:
    """The assessment input of a stored (or about to be stored) project.

    `project` has the scalar fields and ``energy`` (lines with ``line`` planned/existing, or
    the planned lines) and optionally ``existing`` and ``products``.
    """
    lines = list(project.get("energy") or [])
    existing = list(project.get("existing") or [])
    existing += [e for e in lines if e.get("line") == "existing"]
    planned = [e for e in lines if e.get("line", "planned") == "planned"]

    def energy(line: Mapping[str, Any]) -> PlannedEnergy:
        fields = {k: line[k] for k in ("energy", "quantity", "unit") if k in line}
        return PlannedEnergy(**fields, role=line.get("role") or "input")

    try:
        return ProjectFacts(
            industry=project["industry_code"],
            construction_type=project["construction_type"],
            year=project["first_full_year"],
            energy=tuple(energy(e) for e in planned),
            existing=tuple(energy(e) for e in existing),
            products=tuple(
                PlannedProduct(**{k: p.get(k) for k in store.PRODUCT_FIELDS if k in p})
                for p in project.get("products") or []
            ),
            output_value=project.get("output_value"),
            added_value=project.get("added_value"),
            simple_process=bool(project.get("simple_process")),
            division=project.get("division_code"),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInputError(
            f"{where}: {first['msg']}",
            code="invalid_project",
            details={"field": where},
            zh=f"项目数据有误（{where}）：{first['msg']}",
        ) from None


def assessed(project: Mapping[str, Any]) -> Assessment:
    """The assessment of `project` (see `facts_of`); a line the catalogue cannot read is
    refused at its field (`check_lines`)."""
    facts = facts_of(project)
    check_lines(facts, get_catalog())
    return assess(facts)


def _assessment_columns(result: Assessment) -> dict[str, Any]:
    return {
        "review_tier": result.review_tier,
        "review_level": reviewing_level(result.reviewing_level, result.two_high),
        "two_high": result.two_high,
        "assessed_tce": result.assessed_tce,
        "counted_co2_t": result.counted_co2_t,
    }


def _applicant(
    conn: Connection, user: Mapping[str, Any], scope: Scope, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """The applicant columns, checked against the caller's scope and the register."""
    given = {k: fields.get(k) for k in APPLICANT}
    if scope.kind == "enterprise":
        own = scope.enterprise_id
        if (
            given["applicant_name"]
            or given["applicant_credit_code"]
            or (given["applicant_enterprise_id"] not in (None, own))
        ):
            raise OutsideScopeError(
                "an enterprise applies for its own projects only",
                code="outside_scope",
                details={"field": "applicant_enterprise_id"},
            )
        return {"applicant_enterprise_id": own, "applicant_name": None}
    if given["applicant_enterprise_id"] is not None:
        if given["applicant_name"] or given["applicant_credit_code"]:
            raise InvalidInputError(
                "give either applicant_enterprise_id or applicant_name and"
                " applicant_credit_code, not both",
                code="invalid_applicant",
                details={"field": "applicant_enterprise_id"},
            )
        if enterprises.get(conn, scope, given["applicant_enterprise_id"]) is None:
            raise InvalidInputError(
                f"enterprise {given['applicant_enterprise_id']} not found in your scope",
                code="unknown_enterprise",
                details={"field": "applicant_enterprise_id"},
            )
        return {"applicant_enterprise_id": given["applicant_enterprise_id"]}
    name = (given["applicant_name"] or "").strip()
    if not name or not given["applicant_credit_code"]:
        raise InvalidInputError(
            "the applicant is an enterprise of the register (applicant_enterprise_id) or a new"
            " one (applicant_name and applicant_credit_code)",
            code="invalid_applicant",
            details={"field": "applicant_name"},
        )
    code = validate_credit_code(given["applicant_credit_code"])
    registered = enterprises.get_by_credit_code(conn, Scope.all(), code)
    if registered is not None:
        raise ConflictError(
            f"credit code {code} belongs to enterprise {registered['id']} of the register;"
            " give applicant_enterprise_id instead",
            code="applicant_registered",
            details={"field": "applicant_credit_code", "enterprise_id": registered["id"]},
        )
    return {"applicant_enterprise_id": None, "applicant_name": name, "applicant_credit_code": code}


def _place(
    conn: Connection, scope: Scope, fields: Mapping[str, Any], applicant: Mapping[str, Any]
) -> dict[str, Any]:
    """Division and industry: as given, else the registered applicant's; in scope."""
    division, industry = fields.get("division_code"), fields.get("industry_code")
    if applicant.get("applicant_enterprise_id") is not None and not (division and industry):
        found = enterprises.get(conn, Scope.all(), applicant["applicant_enterprise_id"])
        assert found is not None
        division = division or found["division_code"]
        industry = industry or found["industry_code"]
    if not division or not industry:
        raise InvalidInputError(
            "division_code and industry_code are required for a new applicant",
            code="invalid_project",
            details={"field": "division_code" if not division else "industry_code"},
        )
    check_division(division)
    check_industry(industry)
    if scope.kind == "division" and not scope.admits_division(division):
        raise OutsideScopeError(
            f"division {division} lies outside your scope", details={"field": "division_code"}
        )
    return {"division_code": division, "industry_code": industry}


def _lines(fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    def line(entry: Mapping[str, Any], which: str) -> dict[str, Any]:
        return {**entry, "role": entry.get("role") or "input", "line": which}

    planned = [line(e, "planned") for e in fields.get("energy") or []]
    return planned + [line(e, "existing") for e in fields.get("existing") or []]


def create(
    conn: Connection,
    user: Mapping[str, Any],
    scope: Scope,
    fields: Mapping[str, Any],
    remote: str | None = None,
) -> int:
    """Store a new draft project, assessed, audited; returns its id."""
    applicant = _applicant(conn, user, scope, fields)
    row = {k: fields.get(k) for k in SCALARS if k not in ("division_code", "industry_code")}
    row |= applicant | _place(conn, scope, fields, applicant)
    row["simple_process"] = bool(row["simple_process"])
    energy, products = _lines(fields), list(fields.get("products") or [])
    result = assessed({**row, "energy": energy, "products": products})
    row |= _assessment_columns(result) | {"status": "draft", "created_by": user["id"]}
    project_id = store.create(conn, row, energy, products)
    store.add_step(conn, project_id, "create", None, "draft", user["id"])
    after = {**row, "energy": energy, "products": products}
    audit.record(
        conn, str(user["username"]), "project.create", "project", project_id, None, after, remote
    )
    return project_id


def update(
    conn: Connection,
    user: Mapping[str, Any],
    scope: Scope,
    project_id: int,
    fields: Mapping[str, Any],
    version: int | None = None,
    remote: str | None = None,
) -> None:
    """Replace a draft's fields and lines (a full replacement), re-assessed, audited.

    Only a draft is edited (else ``project_not_draft``, 409); `version`, when given, must be
    the stored one (else ``project_version_conflict``).
    """
    before = store.require(conn, scope, project_id)
    if before["status"] != "draft":
        raise ConflictError(
            f"project {before['code']} is {before['status']}; only a draft is edited",
            code="project_not_draft",
            details={"status": before["status"]},
        )
    merged = {k: before[k] for k in APPLICANT} if not any(k in fields for k in APPLICANT) else {}
    merged |= dict(fields)
    applicant = _applicant(conn, user, scope, merged)
    row = {k: fields.get(k) for k in SCALARS if k not in ("division_code", "industry_code")}
    row |= {"applicant_name": None, "applicant_credit_code": None} | applicant
    row |= _place(conn, scope, merged, applicant)
    row["simple_process"] = bool(row["simple_process"])
    energy, products = _lines(fields), list(fields.get("products") or [])
    result = assessed({**row, "energy": energy, "products": products})
    row |= _assessment_columns(result)
    store.update_project(conn, project_id, row, version)
    store.replace_lines(conn, project_id, energy, products)
    store.add_step(conn, project_id, "update", "draft", "draft", user["id"])
    after = {**row, "energy": energy, "products": products}
    kept = {k: before[k] for k in (*row, "energy", "products") if k in before}
    audit.record(
        conn, str(user["username"]), "project.update", "project", project_id, kept, after, remote
    )
