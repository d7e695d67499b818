"""Authentication and authorisation, decided in one place.

`PERMISSIONS` maps each permission to the roles holding it; every protected route depends on
`require(permission)`, which authenticates the caller (a bearer token, or the dashboard's
session cookie with its CSRF check, see `nenghao.api.browser_session`) and returns the
`Principal` with its data `Scope` (the query layer applies the scope).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from nenghao.api import browser_session
from nenghao.api.deps import EngineDep
from nenghao.api.errors import ApiError
from nenghao.standards.vocabulary import ROLES
from nenghao.store import tokens, users
from nenghao.store.common import AuthError
from nenghao.store.scope import Scope

EVERYONE = frozenset(ROLES)
PERMISSIONS: dict[str, frozenset[str]] = {
    "session": EVERYONE,
    "catalog:read": EVERYONE,
    "equal_values:read": frozenset({"admin", "regulator", "district", "auditor"}),
    "equal_values:write": frozenset({"admin"}),
    "enterprises:read": EVERYONE,
    "enterprises:write": frozenset({"admin", "regulator"}),
    # an enterprise keeps its own energy manager and contacts (not its name, code, division)
    "enterprises:contacts": frozenset({"admin", "regulator", "enterprise"}),
    "items:read": EVERYONE,
    "items:write": frozenset({"admin", "regulator", "district", "enterprise"}),
    # the collection plan (采集方案): the enterprise submits, the district or the city reviews
    "plans:read": EVERYONE,
    "plans:submit": frozenset({"admin", "enterprise"}),
    "plans:review": frozenset({"admin", "regulator", "district"}),
    "devices:read": frozenset({"admin", "regulator", "auditor"}),
    "devices:write": frozenset({"admin", "regulator"}),
    "users:read": frozenset({"admin", "auditor"}),
    "users:write": frozenset({"admin"}),
    "audit:read": frozenset({"admin", "auditor"}),
    # uplink (POST /api/v1/uplink itself is device-signed, not in this table)
    "uploads:read": EVERYONE,
    "filings:read": EVERYONE,
    "filings:write": frozenset({"admin", "regulator", "enterprise"}),
    "imports:write": frozenset({"admin", "regulator", "enterprise"}),
    "quarantine:read": EVERYONE,
    "quarantine:write": frozenset({"admin", "regulator", "district", "enterprise"}),
    "stats:read": EVERYONE,
    "targets:read": EVERYONE,
    "targets:write": frozenset({"admin", "regulator"}),
    "reports:city": frozenset({"admin", "regulator", "auditor", "district"}),
    "reports:enterprise": EVERYONE,
    # data quality and alerts (nenghao.monitor)
    "quality:read": EVERYONE,
    "alerts:read": EVERYONE,
    "alerts:write": frozenset({"admin", "regulator", "district", "enterprise"}),
    # closing a regulated alert (quota, target, deadlines); the others answer with a note
    "alerts:close_regulated": frozenset({"admin", "regulator", "district"}),
    "alerts:configure": frozenset({"admin", "regulator"}),
    # the annual energy-utilisation report: the enterprise files (an admin may help it with a
    # report the enterprise has opened), regulators and districts review
    "annual_reports:read": EVERYONE,
    "annual_reports:write": frozenset({"admin", "enterprise"}),
    "annual_reports:review": frozenset({"admin", "regulator", "district"}),
    # notices (通知公告): everyone reads what is addressed to them; regulators send
    "notices:read": EVERYONE,
    "notices:write": frozenset({"admin", "regulator", "district"}),
    # the project register and its energy-saving review (节能审查); the workflow decides who
    # takes which step by tier, level and division (nenghao.review.workflow)
    "projects:read": EVERYONE,
    "projects:write": frozenset({"admin", "regulator", "district", "enterprise"}),
    "projects:review": frozenset({"admin", "regulator", "district"}),
    # after commissioning: regulators in scope link a project to its enterprise's items
    "projects:link": frozenset({"admin", "regulator", "district"}),
    # forwarding upstream and member platforms (federation)
    "federation:read": frozenset({"admin", "regulator", "auditor"}),
    # device status and fault reports (故障报备)
    "status:read": EVERYONE,
    "faults:write": frozenset({"admin", "regulator", "enterprise"}),
    # existing two-high installations (存量两高项目): regulators keep the ledger and the
    # rectification plans; the enterprise reads its own and reports progress on its plans
    "two_high:read": EVERYONE,
    "two_high:write": frozenset({"admin", "regulator", "district"}),
    "two_high:progress": frozenset({"admin", "regulator", "district", "enterprise"}),
    # the city's carbon-peak pathway (碳达峰路径): the city's regulators keep the scenarios;
    # the auditor reads; districts and enterprises have no access (it is the city's)
    "pathway:read": frozenset({"admin", "regulator", "auditor"}),
    "pathway:write": frozenset({"admin", "regulator"}),
    # energy-saving retrofits (节能改造项目): the enterprise registers its own, regulators any
    # in scope and enter the non-routine adjustments; everyone reads their scope
    "retrofits:read": EVERYONE,
    "retrofits:write": frozenset({"admin", "regulator", "district", "enterprise"}),
    "retrofits:adjust": frozenset({"admin", "regulator", "district"}),
}

_bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/auth/login.")
_cookie = APIKeyCookie(
    name=browser_session.SESSION_COOKIE,
    auto_error=False,
    description="The dashboard's session (POST /api/v1/auth/login with cookie=true); writes "
    f"also need the {browser_session.CSRF_HEADER} header.",
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: user (no password hash), scope and the token's hash."""

    user: dict[str, Any]
    scope: Scope
    token_hash: str
    token_expires_at: int

    @property
    def username(self) -> str:
        """The actor name written to the audit log."""
        return str(self.user["username"])

    @property
    def role(self) -> str:
        """The user's role."""
        return str(self.user["role"])


def holds(principal: Principal, permission: str) -> bool:
    """Whether the caller's role holds `permission` (for a decision inside a route)."""
    return principal.role in PERMISSIONS[permission]


def permissions_of(role: str) -> list[str]:
    """The permissions a role holds, sorted."""
    return sorted(name for name, roles in PERMISSIONS.items() if role in roles)


def authenticate(
    request: Request,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    """The caller behind the bearer token or the session cookie, or 401 saying what to do."""
    secret = credentials.credentials if credentials is not None else cookie
    if secret is None:
        raise ApiError(
            401,
            "not_authenticated",
            "this route needs a bearer token: POST /api/v1/auth/login, then send "
            "'Authorization: Bearer <token>'",
            headers=_CHALLENGE,
        )
    with engine.connect() as conn:
        try:
            token = tokens.resolve(conn, secret)
        except AuthError as exc:
            raise ApiError(401, exc.code, exc.message, headers=_CHALLENGE) from None
        user = users.get(conn, token["user_id"])
    assert user is not None
    if credentials is None:
        browser_session.check_csrf(request, secret)
    return Principal(user, Scope.for_user(user), token["token_hash"], token["expires_at"])


def require(permission: str) -> Any:
    """A dependency admitting callers whose role holds `permission`."""
    roles = PERMISSIONS[permission]

    def dependency(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in roles:
            raise ApiError(
                403,
                "forbidden",
                f"role '{principal.role}' lacks permission '{permission}' "
                f"(held by: {', '.join(sorted(roles))})",
            )
        return principal

    dependency.permission = permission  # type: ignore[attr-defined]
    return Depends(dependency)
