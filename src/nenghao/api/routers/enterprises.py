"""Enterprises, scoped to the caller (district: its division; enterprise: itself)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import ConfigDict, Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep
from nenghao.api.errors import ApiError
from nenghao.api.fields import NON_BLANK, CreditCode, DivisionCode, IndustryCode, rule
from nenghao.api.models.register import (
    ContactIn,
    ContactOut,
    Contacts,
    ManagerField,
    ManagerIn,
    ManagerOut,
    RegisterContactsIn,
)
from nenghao.api.params import Id
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, PageOut, Strict, page_out
from nenghao.standards.vocabulary import KeyUnitLevel
from nenghao.store import enterprises, register

router = APIRouter(prefix="/enterprises", tags=["enterprises"], route_class=JsonRoute)
EnterpriseId = Id
Reader = Annotated[Principal, require("enterprises:read")]
Writer = Annotated[Principal, require("enterprises:write")]
ContactsWriter = Annotated[Principal, require("enterprises:contacts")]


class EnterpriseOut(Model):
    id: int
    credit_code: str
    name: str
    name_en: str | None
    division_code: str
    industry_code: str
    key_unit_level: KeyUnitLevel
    address: str | None
    contact: str | None
    active: bool
    created_at: Instant
    updated_at: Instant


class EnterpriseRecordOut(EnterpriseOut):
    """The enterprise with its energy manager and contacts (``contact``: the old free text)."""

    manager: ManagerOut | None
    contacts: list[ContactOut]


class EnterpriseIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credit_code": "91210381MA0EXAMPLU",
                    "name": "海城示例镁业有限公司",
                    "division_code": "210381",
                    "industry_code": "3089",
                }
            ]
        }
    )

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200, json_schema_extra=rule(pattern=NON_BLANK))
    name_en: str | None = Field(default=None, max_length=200)
    division_code: DivisionCode
    industry_code: IndustryCode
    key_unit_level: KeyUnitLevel = "key"
    address: str | None = Field(default=None, max_length=300)
    contact: str | None = Field(default=None, max_length=100)
    manager: ManagerIn | None = ManagerField
    contacts: list[ContactIn] | None = Contacts


class EnterprisePatch(Strict):
    # Non-nullable columns: absent means unchanged, an explicit null is a validation error.
    credit_code: CreditCode = Field(default=None)  # type: ignore[assignment]
    name: str = Field(  # type: ignore[assignment]
        default=None, min_length=1, max_length=200, json_schema_extra=rule(pattern=NON_BLANK)
    )
    name_en: str | None = Field(default=None, max_length=200)
    division_code: DivisionCode = Field(default=None)  # type: ignore[assignment]
    industry_code: IndustryCode = Field(default=None)  # type: ignore[assignment]
    key_unit_level: KeyUnitLevel = Field(default=None)  # type: ignore[arg-type]
    address: str | None = Field(default=None, max_length=300)
    contact: str | None = Field(default=None, max_length=100)
    active: bool = Field(default=None)  # type: ignore[assignment]
    manager: ManagerIn | None = ManagerField
    contacts: list[ContactIn] | None = Contacts


def not_found(enterprise_id: int) -> ApiError:
    """The same 404 for a missing enterprise and one outside the caller's scope."""
    return ApiError(404, "enterprise_not_found", f"enterprise {enterprise_id} not found")


@router.get("", response_model=PageOut[EnterpriseOut], summary="List enterprises in scope")
def list_enterprises(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    division: Annotated[str | None, Query(description="GB/T 2260 division code")] = None,
    industry: Annotated[str | None, Query(description="GB/T 4754 class code")] = None,
    q: Annotated[str | None, Query(max_length=100, description="name or credit code")] = None,
    key_unit_level: KeyUnitLevel | None = None,
    active: bool | None = None,
) -> Any:
    """Enterprises the caller may see, filtered and paged, ordered by id."""
    with engine.connect() as conn:
        page = enterprises.list_enterprises(
            conn,
            principal.scope,
            division=division,
            industry=industry,
            q=q,
            key_unit_level=key_unit_level,
            active=active,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.get("/{enterprise_id}", response_model=EnterpriseRecordOut, summary="One enterprise")
def get_enterprise(enterprise_id: EnterpriseId, principal: Reader, engine: EngineDep) -> Any:
    """The enterprise with its energy manager and contacts; 404 when it does not exist or
    lies outside the caller's scope."""
    with engine.connect() as conn:
        row = register.record(conn, principal.scope, enterprise_id)
    if row is None:
        raise not_found(enterprise_id)
    return row


@router.post(
    "", response_model=EnterpriseRecordOut, status_code=201, summary="Register an enterprise"
)
def create_enterprise(
    body: EnterpriseIn, principal: Writer, engine: EngineDep, remote: RemoteDep
) -> Any:
    """A new enterprise with its energy manager and contacts; the credit code (check
    character), division, industry and phone numbers are validated, all in one transaction."""
    with engine.begin() as conn:
        return register.create_enterprise(
            conn, principal.scope, body.model_dump(), actor=principal.username, remote=remote
        )


@router.patch(
    "/{enterprise_id}", response_model=EnterpriseRecordOut, summary="Change an enterprise"
)
def update_enterprise(
    enterprise_id: EnterpriseId,
    body: EnterprisePatch,
    principal: Writer,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """Change the given fields; absent fields stay as they are; ``contacts``, when given,
    replaces the list wholesale."""
    with engine.begin() as conn:
        row = register.update_enterprise(
            conn,
            principal.scope,
            enterprise_id,
            body.model_dump(exclude_unset=True),
            actor=principal.username,
            remote=remote,
        )
    if row is None:
        raise not_found(enterprise_id)
    return row


@router.patch(
    "/{enterprise_id}/contacts",
    response_model=EnterpriseRecordOut,
    summary="Change an enterprise's energy manager and contacts",
)
def update_contacts(
    enterprise_id: EnterpriseId,
    body: RegisterContactsIn,
    principal: ContactsWriter,
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """The energy manager and/or the contacts (replaced wholesale), the part of the register
    an enterprise keeps itself; its name, credit code and division stay with the regulators."""
    with engine.begin() as conn:
        row = register.update_contacts(
            conn,
            principal.scope,
            enterprise_id,
            body.model_dump(exclude_unset=True),
            actor=principal.username,
            remote=remote,
        )
    if row is None:
        raise not_found(enterprise_id)
    return row
