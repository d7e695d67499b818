"""Password checks are throttled per (username, address) and per address, with a growing wait.

Settings of the API tests: 3 free failures per username and address, 8 per address, first
wait 30 s, longest wait 10 min.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from api_support import PASSWORD, assert_error_shape, from_address

from nenghao.store import users

PAIR_ALLOWANCE, ADDRESS_ALLOWANCE = 3, 8


@pytest.fixture(autouse=True)
def still_clock(clock):
    """The store's clock stands still, so that waits compare to the second however slowly
    the checks run (a tick between two requests would make 30 s read 29 s)."""
    return clock


def _wait_of(response) -> int:
    assert_error_shape(response, 429, "too_many_attempts")
    return int(response.headers["Retry-After"])


def test_guesses_from_one_address_wait_longer_each_time_and_spare_the_owner(
    world, login, clock
) -> None:
    attacker, owner = "10.0.0.1", "10.0.0.2"
    for _ in range(PAIR_ALLOWANCE):
        assert_error_shape(login("regulator", "nope-nope-1", attacker), 401, "invalid_credentials")
    waits = []
    for _ in range(6):
        wait = _wait_of(login("regulator", PASSWORD, attacker))  # even the right password
        waits.append(wait)
        clock.advance(wait)
        assert_error_shape(login("regulator", "nope-nope-1", attacker), 401)
    assert waits == [30, 60, 120, 240, 480, 600]  # doubling, capped at login_lock_minutes
    assert _wait_of(login("regulator", PASSWORD, attacker)) == 600
    # The owner, at another address, is not locked out.
    assert login("regulator", PASSWORD, owner).status_code == 200


def _answer(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "content-length")}
    return response.status_code, response.json(), headers


def test_unknown_usernames_answer_exactly_like_known_ones(world, login) -> None:
    known = [_answer(login("admin", "nope-nope-1", "10.0.1.1")) for _ in range(5)]
    unknown = [_answer(login("nobody", "nope-nope-1", "10.0.1.2")) for _ in range(5)]
    assert known == unknown
    assert [status for status, _, _ in known] == [401, 401, 401, 429, 429]


def test_unknown_username_costs_one_hash_verification(world, login, monkeypatch) -> None:
    calls = []
    original = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda h, p: calls.append(h) or original(h, p))
    login("nobody", "whatever-1")
    login("admin", "whatever-1")
    assert len(calls) == 2
    assert calls[0].startswith("$argon2id$")


def test_one_address_spraying_many_usernames_waits(world, login) -> None:
    sprayer = "10.0.2.1"
    names = ["admin", "regulator", "district", "auditor", "nobody", "root", "test", "guest"]
    for name in names[:ADDRESS_ALLOWANCE]:
        assert_error_shape(login(name, "Spring2025!", sprayer), 401, "invalid_credentials")
    refused = login("enterprise", PASSWORD, sprayer)
    assert _wait_of(refused) == 30
    assert "for this username" not in refused.json()["error"]["message"]
    assert login("enterprise", PASSWORD, "10.0.2.2").status_code == 200


def test_a_success_forgets_the_pair_and_gives_its_count_back(world, login) -> None:
    address = "10.0.3.1"
    for _ in range(3):  # never 3 failures in a row for the pair: a success forgets them
        for _ in range(PAIR_ALLOWANCE - 1):
            assert login("admin", "nope-nope-1", address).status_code == 401
        assert login("admin", PASSWORD, address).status_code == 200
    # 6 failures and 3 successes from the address: the successes did not count against it
    for _ in range(ADDRESS_ALLOWANCE - 6):
        assert login("regulator", "nope-nope-1", address).status_code == 401
    assert _wait_of(login("admin", PASSWORD, address)) == 30


def test_failed_checks_are_audited_without_the_password(client, world, login) -> None:
    login("regulator", "secret-guess-1", "10.0.4.1")
    login("no-such-user", "secret-guess-2", "10.0.4.1")
    admin = world.headers("admin")
    entries = client.get("/api/v1/audit?action=login_failed", headers=admin).json()["items"]
    by_actor = {entry["actor"]: entry for entry in entries}
    assert by_actor["regulator"]["entity_id"] == str(world.user_ids["regulator"])
    assert by_actor["regulator"]["remote"] == "10.0.4.1"
    assert by_actor["no-such-user"]["entity_id"] is None
    assert by_actor["no-such-user"]["detail"] == "用户名不存在"
    assert "secret-guess" not in json.dumps(entries)


def test_user_list_shows_the_wait_and_unlock_forgets_it(client, world, login, clock) -> None:
    address = "10.0.5.1"
    for _ in range(PAIR_ALLOWANCE):
        login("auditor", "nope-nope-1", address)
    uid = world.user_ids["auditor"]
    admin = world.headers("admin")
    listed = client.get("/api/v1/users?role=auditor", headers=admin).json()["items"][0]
    assert (listed["locked"], listed["failed_logins"]) == (True, PAIR_ALLOWANCE)
    assert listed["locked_until"] is not None
    assert login("auditor", PASSWORD, address).status_code == 429
    patched = client.patch(f"/api/v1/users/{uid}", json={"unlock": True}, headers=admin)
    assert (patched.json()["locked"], patched.json()["failed_logins"]) == (False, 0)
    assert login("auditor", PASSWORD, address).status_code == 200


def test_concurrent_guesses_never_exceed_the_allowance(client, world, monkeypatch) -> None:
    """Guesses arriving together are counted before any is verified: only the allowance is
    verified, the rest are refused at once (they answer while the verified ones still wait)."""
    guesses = PAIR_ALLOWANCE + 5
    release, answered = threading.Event(), threading.Semaphore(0)
    verified = []
    original = users.verify_password

    def held(password_hash: str, password: str) -> bool:
        verified.append(password)
        assert release.wait(timeout=30), "verification held too long"
        return original(password_hash, password)

    monkeypatch.setattr(users, "verify_password", held)

    def guess(i: int) -> int:
        body = {"username": "regulator", "password": f"guess-number-{i}"}
        response = from_address(client, "10.0.6.1").post("/api/v1/auth/login", json=body)
        answered.release()
        return response.status_code

    with ThreadPoolExecutor(max_workers=guesses) as pool:
        futures = [pool.submit(guess, i) for i in range(guesses)]
        for _ in range(guesses - PAIR_ALLOWANCE):  # the refusals answer before any release
            assert answered.acquire(timeout=30), "fewer guesses refused than expected"
        release.set()
        statuses = sorted(future.result(timeout=30) for future in futures)
    assert len(verified) == PAIR_ALLOWANCE
    assert statuses == [401] * PAIR_ALLOWANCE + [429] * (guesses - PAIR_ALLOWANCE)


def _change(client, headers, current: str, new: str = "fresh-pass-phrase-42"):
    body = {"current_password": current, "new_password": new}
    return client.post("/api/v1/auth/password", json=body, headers=headers)


def test_own_password_change_is_throttled_and_audited(client, world) -> None:
    headers = world.headers("enterprise")
    thief = from_address(client, "10.0.7.1")
    for _ in range(PAIR_ALLOWANCE):
        assert_error_shape(_change(thief, headers, "nope-nope-1"), 422, "wrong_password")
    assert _wait_of(_change(thief, headers, PASSWORD)) == 30
    owner = from_address(client, "10.0.7.2")
    assert _change(owner, headers, PASSWORD).status_code == 200
    entries = client.get("/api/v1/audit?actor=enterprise", headers=world.headers("admin"))
    actions = [entry["action"] for entry in entries.json()["items"]]
    assert actions == ["change_password"] + ["change_password_failed"] * PAIR_ALLOWANCE
    assert "nope-nope" not in entries.text
