"""Audit log: redaction, recording and filtered listing."""

from __future__ import annotations

from nenghao.store import audit


def test_redact_drops_secret_keys_at_any_depth() -> None:
    value = {
        "username": "u",
        "password_hash": "$argon2id$...",
        "nested": [{"secret": "s", "token_hash": "t", "ok": 1}],
        "Password": "p",
    }
    assert audit.redact(value) == {"username": "u", "nested": [{"ok": 1}]}


def test_record_and_filter(engine) -> None:
    with engine.begin() as conn:
        audit.record(conn, "alice", "create", "enterprise", 1, None, {"name": "x"}, "1.2.3.4")
        audit.record(conn, "bob", "update", "enterprise", 1, {"name": "x"}, {"name": "y"})
        audit.record(conn, "bob", "create", "user", 9, None, {"password": "nope", "role": "r"})
    with engine.connect() as conn:
        everything = audit.list_entries(conn)
        assert everything.total == 3
        assert [r["actor"] for r in everything.items] == ["bob", "bob", "alice"]
        assert audit.list_entries(conn, actor="bob", entity="enterprise").total == 1
        assert audit.list_entries(conn, entity_id="9").items[0]["after"] == {"role": "r"}
        assert audit.list_entries(conn, since=everything.items[0]["at"] + 1).total == 0
        page = audit.list_entries(conn, offset=1, limit=1)
        assert (page.total, len(page.items), page.items[0]["action"]) == (3, 1, "update")
