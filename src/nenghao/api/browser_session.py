"""The dashboard's session: the token in an HttpOnly cookie, and a CSRF token for writes.

* ``nenghao_session`` holds the bearer token: ``HttpOnly`` (no script reads it),
  ``SameSite=Strict``, ``Path=/``, ``Max-Age`` the token's lifetime, and ``Secure`` when the
  request came over HTTPS. Behind a reverse proxy that terminates TLS, the app knows this
  only from ``X-Forwarded-Proto``, believed only from the addresses in the
  ``trusted_proxies`` setting.
* ``nenghao_csrf`` is readable by the page's script, with the same flags otherwise. Its value
  is derived from the session token (an HMAC), so a cookie planted by another site cannot
  match. A cookie-authenticated POST, PUT, PATCH or DELETE must echo it in the
  ``X-CSRF-Token`` header, or it answers 403 ``csrf_failed``.
* A request with ``Authorization: Bearer`` (machine clients) is authenticated by that header
  alone and needs no CSRF token: browsers never add the header on their own.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request
from starlette.responses import Response

from nenghao.api.errors import ApiError

SESSION_COOKIE = "nenghao_session"
CSRF_COOKIE = "nenghao_csrf"
CSRF_HEADER = "X-CSRF-Token"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token(token: str) -> str:
    """The CSRF token belonging to the session token `token`."""
    return hmac.new(token.encode("utf-8"), b"nenghao-csrf", hashlib.sha256).hexdigest()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def start(request: Request, response: Response, token: str, lifetime_s: int) -> None:
    """Put the session token and its CSRF token into cookies that live `lifetime_s` seconds.

    The lifetime is the token's own, not the time left until its expiry read off the clock
    again, so the cookie never outlives the token nor loses a second to a ticking clock.
    """
    max_age, secure = lifetime_s, _secure(request)
    for name, value, httponly in (
        (SESSION_COOKIE, token, True),
        (CSRF_COOKIE, csrf_token(token), False),
    ):
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            secure=secure,
            httponly=httponly,
            samesite="strict",
        )


def end(request: Request, response: Response) -> None:
    """Delete both cookies on `response`."""
    for name, httponly in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(
            name, path="/", secure=_secure(request), httponly=httponly, samesite="strict"
        )


def check_csrf(request: Request, token: str) -> None:
    """403 ``csrf_failed`` unless a write authenticated by `token` echoes its CSRF token."""
    if request.method not in WRITE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode("utf-8"), csrf_token(token).encode("utf-8")):
        raise ApiError(
            403,
            "csrf_failed",
            f"a change made with the session cookie needs the {CSRF_HEADER} header set to the "
            f"value of the {CSRF_COOKIE} cookie; reload the page, or log in again",
        )
