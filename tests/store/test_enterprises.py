"""Enterprise and device-credential repositories: validation, scope, audit."""

from __future__ import annotations

import pytest

from nenghao.store import audit, devices, enterprises
from nenghao.store.common import ConflictError, InvalidInputError, OutsideScopeError
from nenghao.store.credit_code import CreditCodeError, make_credit_code
from nenghao.store.scope import Scope


def _values(label: str, division: str = "210302", **extra) -> dict:
    return {
        "credit_code": make_credit_code(division, f"MA0TEXT0{label}"),
        "name": f"企业{label}",
        "division_code": division,
        "industry_code": "3110",
        **extra,
    }


@pytest.fixture
def seeded(engine):
    with engine.begin() as conn:
        a = enterprises.create(conn, Scope.all(), _values("A"), actor="t")
        b = enterprises.create(conn, Scope.all(), _values("B", "210381"), actor="t")
    return a, b


def test_get_respects_scope(engine, seeded) -> None:
    a, b = seeded
    with engine.connect() as conn:
        assert enterprises.get(conn, Scope("division", "210302"), a["id"])["name"] == "企业A"
        assert enterprises.get(conn, Scope("division", "210302"), b["id"]) is None
        assert enterprises.get(conn, Scope("enterprise", enterprise_id=b["id"]), a["id"]) is None
        assert enterprises.get_by_credit_code(conn, Scope.all(), b["credit_code"].lower())


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"credit_code": "91210302MA0TEXT0A0"}, CreditCodeError, None),
        ({"division_code": "999999"}, InvalidInputError, "unknown_division"),
        ({"industry_code": "9999"}, InvalidInputError, "unknown_industry"),
        ({"key_unit_level": "huge"}, InvalidInputError, "invalid_input"),
        ({"name": "  "}, InvalidInputError, "invalid_input"),
        ({"colour": "red"}, InvalidInputError, "invalid_input"),
    ],
)
def test_create_validates(engine, changes, error, code) -> None:
    with engine.begin() as conn, pytest.raises(error) as caught:
        enterprises.create(conn, Scope.all(), {**_values("C"), **changes}, actor="t")
    if code:
        assert caught.value.code == code


def test_create_rejects_duplicates_and_out_of_scope(engine, seeded) -> None:
    _a, _ = seeded
    with engine.begin() as conn:
        with pytest.raises(ConflictError):
            enterprises.create(conn, Scope.all(), _values("A"), actor="t")
        with pytest.raises(OutsideScopeError):
            enterprises.create(conn, Scope("division", "210381"), _values("D"), actor="t")
        with pytest.raises(InvalidInputError, match="missing"):
            enterprises.create(conn, Scope.all(), {"name": "x"}, actor="t")


def test_update_audits_before_and_after_and_skips_no_ops(engine, seeded) -> None:
    a, b = seeded
    with engine.begin() as conn:
        assert enterprises.update(conn, Scope.all(), a["id"], {"name": "企业A"}, actor="t") == a
        after = enterprises.update(conn, Scope.all(), a["id"], {"contact": "王"}, actor="u")
        assert after["contact"] == "王"
        scoped = Scope("division", "210302")
        assert enterprises.update(conn, scoped, b["id"], {"contact": "x"}, actor="u") is None
        with pytest.raises(OutsideScopeError):
            enterprises.update(conn, scoped, a["id"], {"division_code": "210381"}, actor="u")
        with pytest.raises(ConflictError):
            enterprises.update(
                conn, Scope.all(), a["id"], {"credit_code": b["credit_code"]}, actor="u"
            )
        rows = audit.list_entries(conn, actor="u").items
    assert len(rows) == 1
    assert (rows[0]["before"]["contact"], rows[0]["after"]["contact"]) == (None, "王")


def test_list_search_filters_and_paging(engine, seeded) -> None:
    with engine.begin() as conn:
        for label in "CDE":
            enterprises.create(conn, Scope.all(), _values(label, industry_code="3120"), actor="t")
        page = enterprises.list_enterprises(conn, Scope.all(), industry="3120", limit=2)
        assert (page.total, len(page.items)) == (3, 2)
        assert enterprises.list_enterprises(conn, Scope.all(), q="企业b").total == 1
        assert enterprises.list_enterprises(conn, Scope.all(), q="_").total == 0
        division = enterprises.list_enterprises(conn, Scope("division", "210381"))
        assert [e["name"] for e in division.items] == ["企业B"]


KEY = b"k" * 32


def test_device_credentials_issue_list_revoke_authenticate(engine, seeded) -> None:
    a, b = seeded
    scoped = Scope("division", "210302")
    with engine.begin() as conn:
        assert devices.issue(conn, scoped, b["id"], master_key=KEY, actor="t") is None
        row, secret = devices.issue(conn, scoped, a["id"], master_key=KEY, label="gw", actor="t")
        assert "secret_hash" not in row
        assert "salt" not in row
        found = devices.authenticate(conn, row["key_id"], secret, master_key=KEY)
        assert found["enterprise_id"] == a["id"]
        assert devices.authenticate(conn, row["key_id"], secret + "x", master_key=KEY) is None
        assert devices.revoke(conn, Scope("division", "210381"), row["key_id"], actor="t") is None
        revoked = devices.revoke(conn, scoped, row["key_id"], actor="t")
        assert revoked["active"] is False
        assert devices.revoke(conn, scoped, row["key_id"], actor="t") == revoked
        assert devices.authenticate(conn, row["key_id"], secret, master_key=KEY) is None
        listed = devices.list_devices(conn, scoped, a["id"]).items
        assert [d["key_id"] for d in listed] == [row["key_id"]]
        assert devices.list_devices(conn, scoped, b["id"]).items == []
        logged = audit.list_entries(conn, entity="device_credential").items
    assert [r["action"] for r in logged] == ["revoke", "issue"]
    assert secret not in str(logged)
