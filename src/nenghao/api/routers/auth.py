"""Login, logout, the current user and own password change."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import Field
from sqlalchemy import Engine

from nenghao.api import browser_session
from nenghao.api.access import Principal, permissions_of, require
from nenghao.api.deps import EngineDep, RemoteDep, SettingsDep
from nenghao.api.errors import ApiError
from nenghao.api.fields import NewPassword
from nenghao.api.models.meta import LogoutOut
from nenghao.api.routers.users import UserOut
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.config import Settings
from nenghao.store import audit, logins, tokens, users
from nenghao.store.throttle import ThrottlePolicy

router = APIRouter(prefix="/auth", tags=["auth"], route_class=JsonRoute)
Session = Annotated[Principal, require("session")]


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    cookie: bool = Field(
        default=False,
        description="Start a browser session: the token goes into an HttpOnly cookie (with a "
        "CSRF cookie) and not into the answer.",
    )


class LoginOut(Model):
    token: str | None = Field(description="The bearer token; null for a cookie session.")
    token_type: str = "bearer"
    expires_at: Instant
    user: UserOut


class ScopeOut(Model):
    """What the user may see: everything, one division or one enterprise."""

    kind: Literal["all", "division", "enterprise"]
    division_code: str | None
    enterprise_id: int | None


class MeOut(Model):
    user: UserOut
    scope: ScopeOut
    permissions: list[str]
    token_expires_at: Instant


class PasswordIn(Strict):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: NewPassword


def throttle_policy(settings: Settings) -> ThrottlePolicy:
    """The password-check throttle configured in `settings`."""
    return ThrottlePolicy(
        max_failures=settings.login_max_failures,
        address_max_failures=settings.login_address_max_failures,
        first_wait_s=settings.login_first_wait_s,
        max_wait_s=settings.login_lock_minutes * 60,
        memory_s=settings.login_memory_hours * 3600,
    )


def _checked(
    settings: Settings,
    engine: Engine,
    username: str,
    password: str,
    remote: str | None,
    action: str,
) -> dict[str, Any] | None:
    """The user whose password matched, None when it did not, or 429 when throttled."""
    result = logins.check(
        engine, throttle_policy(settings), username, password, remote=remote, action=action
    )
    if result.refusal is not None:
        wait = result.refusal.retry_after
        whom = "" if result.refusal.whole_address else " for this username"
        raise ApiError(
            429,
            "too_many_attempts",
            f"too many failed password checks{whom} from your address; try again in "
            f"{wait} s (an administrator can also unlock the account)",
            details={"retry_after": wait},
            headers={"Retry-After": str(wait)},
        )
    return result.user


@router.post(
    "/login",
    response_model=LoginOut,
    summary="Exchange username and password",
    responses={
        401: {"description": "invalid_credentials: wrong username or password"},
        429: {"description": "too_many_attempts after repeated failures; see Retry-After"},
    },
)
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """A bearer token valid for ``token_ttl_minutes`` (or, with ``cookie``, a browser session).

    Failed checks are throttled per (username, client address) and per address, with a
    growing wait (429 with ``Retry-After``); an unknown username answers exactly like a
    wrong password.
    """
    user = _checked(settings, engine, body.username, body.password, remote, "login")
    if user is None:
        raise ApiError(401, "invalid_credentials", "wrong username or password")
    with engine.begin() as conn:
        issued = tokens.issue(conn, user["id"], settings.token_ttl_minutes)
        audit.record(conn, user["username"], "login", "user", user["id"], None, None, remote)
    if body.cookie:
        browser_session.start(request, response, issued.token, settings.token_ttl_minutes * 60)
    token = None if body.cookie else issued.token
    return {"token": token, "expires_at": issued.expires_at, "user": user}


@router.post("/logout", response_model=LogoutOut, summary="Revoke the token in use")
def logout(
    principal: Session, request: Request, response: Response, engine: EngineDep, remote: RemoteDep
) -> Any:
    """Revoke the caller's token and delete the session cookies."""
    with engine.begin() as conn:
        tokens.revoke(conn, principal.token_hash)
        audit.record(
            conn, principal.username, "logout", "user", principal.user["id"], None, None, remote
        )
    browser_session.end(request, response)
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


@router.post(
    "/password",
    response_model=UserOut,
    summary="Change your own password",
    responses={
        429: {"description": "too_many_attempts after repeated wrong passwords; see Retry-After"}
    },
)
def change_password(
    body: PasswordIn,
    principal: Session,
    request: Request,
    response: Response,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """Change the caller's password; every token of the user, this one too, is revoked (and
    the session cookies deleted).

    The current password is checked like a log-in (same throttle; failures audited).
    """
    users.check_password(body.new_password, principal.username)
    current = body.current_password
    if _checked(settings, engine, principal.username, current, remote, "change_password") is None:
        raise ApiError(
            422,
            "wrong_password",
            "the current password is wrong",
            details={"field": "current_password"},
        )
    with engine.begin() as conn:
        changed = users.set_password(
            conn,
            principal.user["id"],
            body.new_password,
            actor=principal.username,
            remote=remote,
            action="change_password",
        )
    browser_session.end(request, response)
    return changed
