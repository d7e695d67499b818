"""User administration (admin writes; admin and auditor read)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep
from nenghao.api.errors import ApiError
from nenghao.api.fields import DivisionCode, NewPassword, Username
from nenghao.api.params import BodyId, Id
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, PageOut, Strict, page_out
from nenghao.standards.vocabulary import Role
from nenghao.store import users

router = APIRouter(prefix="/users", tags=["users"], route_class=JsonRoute)
UserId = Id


class UserOut(Model):
    id: int
    username: str
    display_name: str | None
    role: Role
    division_code: str | None
    enterprise_id: int | None
    active: bool
    locked: bool
    failed_logins: int
    locked_until: Instant
    created_at: Instant
    password_changed_at: Instant


class UserIn(Strict):
    username: Username
    password: NewPassword
    role: Role
    display_name: str | None = Field(default=None, max_length=100)
    division_code: DivisionCode | None = None
    enterprise_id: BodyId | None = None


class UserPatch(Strict):
    display_name: str | None = Field(default=None, max_length=100)
    role: Role = Field(default=None)  # type: ignore[arg-type]
    division_code: DivisionCode | None = None
    enterprise_id: BodyId | None = None
    active: bool = Field(default=None)  # type: ignore[assignment]
    unlock: bool = False
    password: NewPassword = Field(default=None)  # type: ignore[assignment]


@router.get("", response_model=PageOut[UserOut], summary="List users")
def list_users(
    principal: Annotated[Principal, require("users:read")],
    engine: EngineDep,
    paging: PagingDep,
    role: Role | None = None,
    active: bool | None = None,
) -> Any:
    """Users, filtered by role and active flag, ordered by id."""
    with engine.connect() as conn:
        page = users.list_users(
            conn, role=role, active=active, offset=paging.offset, limit=paging.page_size
        )
    return page_out(page, paging.page_size)


@router.post("", response_model=UserOut, status_code=201, summary="Create a user")
def create_user(
    body: UserIn,
    principal: Annotated[Principal, require("users:write")],
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """A new user; district users need ``division_code``, enterprise users ``enterprise_id``."""
    with engine.begin() as conn:
        return users.create(conn, **body.model_dump(), actor=principal.username, remote=remote)


@router.patch("/{user_id}", response_model=UserOut, summary="Change a user")
def update_user(
    user_id: UserId,
    body: UserPatch,
    principal: Annotated[Principal, require("users:write")],
    engine: EngineDep,
    remote: RemoteDep,
) -> Any:
    """Change profile, role, scope, active flag; ``unlock``; reset ``password``.

    Deactivating a user or setting its password revokes all its tokens.
    """
    changes = body.model_dump(exclude_unset=True)
    password = changes.pop("password", None)
    with engine.begin() as conn:
        row = users.update(conn, user_id, changes, actor=principal.username, remote=remote)
        if row is not None and password is not None:
            row = users.set_password(
                conn, user_id, password, actor=principal.username, remote=remote
            )
    if row is None:
        raise ApiError(404, "user_not_found", f"user {user_id} not found")
    return row
