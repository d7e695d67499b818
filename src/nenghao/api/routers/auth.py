"""Login, logout, the current user and own password change."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field

from nenghao.api.access import Principal, permissions_of, require
from nenghao.api.deps import EngineDep, RemoteDep, SettingsDep
from nenghao.api.errors import ApiError
from nenghao.api.fields import NewPassword
from nenghao.api.routers.users import UserOut
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.store import audit, tokens, users

router = APIRouter(prefix="/auth", tags=["auth"])
Session = Annotated[Principal, require("session")]


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginOut(Model):
    token: str
    token_type: str = "bearer"
    expires_at: Instant
    user: UserOut


class MeOut(Model):
    user: UserOut
    scope: dict[str, Any]
    permissions: list[str]
    token_expires_at: Instant


class PasswordIn(Strict):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: NewPassword


@router.post(
    "/login",
    response_model=LoginOut,
    summary="Exchange username and password",
    responses={
        401: {"description": "invalid_credentials: wrong username or password"},
        429: {"description": "account_locked after repeated failures; see Retry-After"},
    },
)
def login(body: LoginIn, engine: EngineDep, settings: SettingsDep, remote: RemoteDep) -> Any:
    """A bearer token valid for ``token_ttl_minutes``; locks after repeated failures."""
    with engine.begin() as conn:
        result = users.authenticate(
            conn,
            body.username,
            body.password,
            max_failures=settings.login_max_failures,
            lock_minutes=settings.login_lock_minutes,
            remote=remote,
        )
        issued = None
        if result.user is not None:
            issued = tokens.issue(conn, result.user["id"], settings.token_ttl_minutes)
    if issued is None:
        code, message = result.code or "invalid_credentials", result.message or "login failed"
        if result.code == "account_locked":
            raise ApiError(429, code, message, headers={"Retry-After": str(result.retry_after)})
        raise ApiError(401, code, message)
    return {"token": issued.token, "expires_at": issued.expires_at, "user": result.user}


@router.post("/logout", summary="Revoke the token in use")
def logout(principal: Session, engine: EngineDep, remote: RemoteDep) -> dict[str, str]:
    """Revoke the caller's bearer token."""
    with engine.begin() as conn:
        tokens.revoke(conn, principal.token_hash)
        audit.record(
            conn, principal.username, "logout", "user", principal.user["id"], None, None, remote
        )
    return {"status": "logged_out"}


@router.get("/me", response_model=MeOut, summary="The current user, scope and permissions")
def me(principal: Session) -> Any:
    """Who the token belongs to and what it may do."""
    return {
        "user": principal.user,
        "scope": principal.scope.as_dict(),
        "permissions": permissions_of(principal.role),
        "token_expires_at": principal.token_expires_at,
    }


@router.post("/password", response_model=UserOut, summary="Change your own password")
def change_password(
    body: PasswordIn, principal: Session, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Change the caller's password; every token of the user, this one too, is revoked."""
    with engine.begin() as conn:
        return users.change_password(
            conn,
            principal.user["id"],
            body.current_password,
            body.new_password,
            actor=principal.username,
            remote=remote,
        )
