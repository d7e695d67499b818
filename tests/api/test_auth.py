"""Login, token lifetime and revocation, own password change (throttle: test_login_throttle)."""

from __future__ import annotations

from api_support import PASSWORD, assert_error_shape

from nenghao.store import users


def test_login_returns_token_expiry_and_user_without_hash(client, world, login) -> None:
    response = login("district")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"].endswith("Z")
    assert body["user"]["role"] == "district"
    assert "password_hash" not in body["user"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["scope"] == {
        "kind": "division",
        "division_code": "210302",
        "enterprise_id": None,
    }
    assert "enterprises:write" not in me.json()["permissions"]


def test_wrong_password_and_unknown_user_answer_alike(world, login) -> None:
    wrong = assert_error_shape(login("admin", "wrong-password"), 401, "invalid_credentials")
    unknown = assert_error_shape(login("nobody", "wrong-password"), 401, "invalid_credentials")
    assert wrong == unknown


def test_unknown_user_still_costs_one_hash_verification(world, login, monkeypatch) -> None:
    calls = []
    original = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda h, p: calls.append(h) or original(h, p))
    login("nobody", "whatever-1")
    login("admin", "whatever-1")
    assert len(calls) == 2
    assert calls[0].startswith("$argon2id$")


def test_tokens_expire(client, world, login, clock) -> None:
    token = login("enterprise").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    clock.advance(29 * 60)
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    clock.advance(60)
    assert_error_shape(client.get("/api/v1/auth/me", headers=headers), 401, "token_expired")


def test_logout_revokes_only_that_token(client, world, login) -> None:
    first = {"Authorization": f"Bearer {login('admin').json()['token']}"}
    second = {"Authorization": f"Bearer {login('admin').json()['token']}"}
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 200
    assert_error_shape(client.get("/api/v1/auth/me", headers=first), 401, "token_revoked")
    assert client.get("/api/v1/auth/me", headers=second).status_code == 200


def test_password_reset_and_deactivation_revoke_all_tokens(client, world, login) -> None:
    uid = world.user_ids["regulator"]
    old = world.headers("regulator")
    fresh = {"Authorization": f"Bearer {login('regulator').json()['token']}"}
    admin = world.headers("admin")
    response = client.patch(
        f"/api/v1/users/{uid}", json={"password": "brand-new-pw"}, headers=admin
    )
    assert response.status_code == 200
    for headers in (old, fresh):
        assert_error_shape(client.get("/api/v1/auth/me", headers=headers), 401, "token_revoked")
    assert login("regulator").status_code == 401
    token = login("regulator", "brand-new-pw").json()["token"]
    client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers=admin)
    gone = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_error_shape(gone, 401, "token_revoked")
    assert_error_shape(login("regulator", "brand-new-pw"), 401, "invalid_credentials")


def test_own_password_change_needs_the_current_one(client, world, login) -> None:
    headers = world.headers("enterprise")
    wrong = client.post(
        "/api/v1/auth/password",
        json={"current_password": "not-it-at-all", "new_password": "another-pw-9x"},
        headers=headers,
    )
    assert_error_shape(wrong, 422, "wrong_password")
    weak = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=headers,
    )
    assert_error_shape(weak, 422, "weak_password")
    ok = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another-pw-9x"},
        headers=headers,
    )
    assert ok.status_code == 200
    assert login("enterprise", "another-pw-9x").status_code == 200


def test_last_admin_cannot_be_demoted_or_deactivated(client, world) -> None:
    uid = world.user_ids["admin"]
    for change in ({"role": "auditor"}, {"active": False}):
        response = client.patch(f"/api/v1/users/{uid}", json=change, headers=world.headers("admin"))
        assert_error_shape(response, 409, "last_admin")


def test_user_scope_fields_are_checked(client, world) -> None:
    admin = world.headers("admin")
    cases = [
        ({"role": "district"}, "scope_required"),
        ({"role": "enterprise", "enterprise_id": 999}, "unknown_enterprise"),
        ({"role": "auditor", "division_code": "210302"}, "scope_not_applicable"),
        ({"role": "district", "division_code": "123456"}, "unknown_division"),
    ]
    for extra, code in cases:
        body = {"username": "someone", "password": "long-enough-1", **extra}
        assert_error_shape(client.post("/api/v1/users", json=body, headers=admin), 422, code)
    body = {"username": "admin", "password": "long-enough-1", "role": "auditor"}
    assert_error_shape(client.post("/api/v1/users", json=body, headers=admin), 409)


def test_user_listing_filters(client, world) -> None:
    response = client.get("/api/v1/users?role=district", headers=world.headers("auditor"))
    assert [u["username"] for u in response.json()["items"]] == ["district"]
