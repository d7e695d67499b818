"""The dashboard's cookie session: HttpOnly, SameSite=Strict, Secure over HTTPS, CSRF on writes."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from api_support import PASSWORD, assert_error_shape
from fastapi.testclient import TestClient

from nenghao.api.browser_session import csrf_token
from nenghao.app import create_app


def _cookies(response) -> dict[str, dict[str, str | bool]]:
    """The Set-Cookie headers of `response`: name -> attributes (value under 'value')."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            attributes = {key: value for key, value in morsel.items() if value}
            found[name] = {"value": morsel.value, **attributes}
    return found


def _cookie_login(client, role: str = "admin"):
    response = client.post(
        "/api/v1/auth/login", json={"username": role, "password": PASSWORD, "cookie": True}
    )
    client.cookies.clear()  # the tests send the cookies they mean to send
    assert response.status_code == 200, response.text
    return response


def _session(response) -> tuple[str, str]:
    cookies = _cookies(response)
    return cookies["nenghao_session"]["value"], cookies["nenghao_csrf"]["value"]


def test_cookie_login_sets_httponly_strict_cookies_and_returns_no_token(client, world) -> None:
    response = _cookie_login(client)
    assert response.json()["token"] is None
    cookies = _cookies(response)
    session, csrf = cookies["nenghao_session"], cookies["nenghao_csrf"]
    assert session["httponly"] is True
    assert "httponly" not in csrf  # the page's script reads it
    for cookie in (session, csrf):
        assert cookie["samesite"].lower() == "strict"
        assert cookie["path"] == "/"
        assert cookie["max-age"] == "1800"  # the token's lifetime
        assert "secure" not in cookie  # plain HTTP here
    assert csrf["value"] == csrf_token(session["value"])


def test_cookie_reads_work_and_writes_need_the_csrf_header(client, world) -> None:
    token, csrf = _session(_cookie_login(client))
    cookie = {"Cookie": f"nenghao_session={token}; nenghao_csrf={csrf}"}
    assert client.get("/api/v1/auth/me", headers=cookie).json()["user"]["username"] == "admin"
    uid = world.user_ids["auditor"]
    change = {"display_name": "审计员"}
    missing = client.patch(f"/api/v1/users/{uid}", json=change, headers=cookie)
    assert_error_shape(missing, 403, "csrf_failed")
    forged = {**cookie, "X-CSRF-Token": csrf_token("some-other-token")}
    assert_error_shape(client.patch(f"/api/v1/users/{uid}", json=change, headers=forged), 403)
    ok = client.patch(f"/api/v1/users/{uid}", json=change, headers={**cookie, "X-CSRF-Token": csrf})
    assert ok.status_code == 200, ok.text
    assert ok.json()["display_name"] == "审计员"


def test_bearer_requests_need_no_csrf_token(client, world) -> None:
    uid = world.user_ids["auditor"]
    bearer = world.headers("admin")
    ok = client.patch(f"/api/v1/users/{uid}", json={"display_name": "x"}, headers=bearer)
    assert ok.status_code == 200, ok.text


def test_logout_revokes_the_token_and_deletes_the_cookies(client, world) -> None:
    token, csrf = _session(_cookie_login(client))
    cookie = {"Cookie": f"nenghao_session={token}; nenghao_csrf={csrf}"}
    assert_error_shape(client.post("/api/v1/auth/logout", headers=cookie), 403, "csrf_failed")
    out = client.post("/api/v1/auth/logout", headers={**cookie, "X-CSRF-Token": csrf})
    assert out.status_code == 200, out.text
    deleted = _cookies(out)
    for name in ("nenghao_session", "nenghao_csrf"):
        assert deleted[name]["max-age"] == "0"
        assert deleted[name]["value"] in ("", '""')
    assert_error_shape(client.get("/api/v1/auth/me", headers=cookie), 401, "token_revoked")


def test_cookies_are_secure_over_https(settings, engine, world) -> None:
    with TestClient(create_app(settings, engine), base_url="https://testserver") as https:
        cookies = _cookies(_cookie_login(https))
    assert cookies["nenghao_session"]["secure"] is True
    assert cookies["nenghao_csrf"]["secure"] is True


@pytest.mark.parametrize("trusted", [None, "*"])
def test_forwarded_proto_and_address_are_believed_only_from_trusted_proxies(
    settings, engine, world, trusted
) -> None:
    app = create_app(settings.model_copy(update={"trusted_proxies": trusted}), engine)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    with TestClient(app, headers=forwarded) as proxied:
        cookies = _cookies(_cookie_login(proxied))
        proxied.post("/api/v1/auth/login", json={"username": "admin", "password": "nope-nope-1"})
        failed = proxied.get(
            "/api/v1/audit?action=login_failed", headers=world.headers("admin")
        ).json()["items"][0]
    assert ("secure" in cookies["nenghao_session"]) is (trusted is not None)
    assert failed["remote"] == ("203.0.113.9" if trusted else "testclient")


def test_own_password_change_in_a_cookie_session_ends_it(client, world) -> None:
    token, csrf = _session(_cookie_login(client, "district"))
    cookie = {"Cookie": f"nenghao_session={token}; nenghao_csrf={csrf}", "X-CSRF-Token": csrf}
    body = {"current_password": PASSWORD, "new_password": "fresh-pass-phrase-42"}
    changed = client.post("/api/v1/auth/password", json=body, headers=cookie)
    assert changed.status_code == 200, changed.text
    assert {name: c["max-age"] for name, c in _cookies(changed).items()} == {
        "nenghao_session": "0",
        "nenghao_csrf": "0",
    }
    assert_error_shape(client.get("/api/v1/auth/me", headers=cookie), 401, "token_revoked")
