"""Error messages in Chinese for a client whose Accept-Language prefers zh; the code and the
shape unchanged. Every error code the platform can answer has a Chinese message."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from api_support import assert_error_shape

from nenghao.api.error_language import chinese, field_location, prefers_chinese
from nenghao.api.errors import STATUS_CODES
from nenghao.app.error_codes import DOMAIN_ERRORS
from nenghao.ingest.ratelimit import RATE_LIMITED
from nenghao.standards.calendar import INVALID_PERIOD
from nenghao.standards.reason_codes import ReasonCode

SRC = Path(__file__).resolve().parents[2] / "src" / "nenghao"
STORE_ERRORS = {
    "ApiError",
    "error_response",
    "StoreError",
    "InvalidInputError",
    "ConflictError",
    "NotFoundError",
    "OutsideScopeError",
    "AuthError",
}
"""Calls whose second argument is an error code."""

CJK = "\u4e00-\u9fff"


def _codes_in_source() -> set[str]:
    """Literal error codes in `src`: the code argument of an ApiError, an error response or a
    store error, ``code=`` of any error, and the ``code`` attribute of an error class."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = getattr(func, "id", None) or getattr(func, "attr", "")
                found = [k.value for k in node.keywords if k.arg == "code"]
                if name in STORE_ERRORS and len(node.args) > 1:
                    found.append(node.args[1])
                if name.endswith("Error") or name in STORE_ERRORS:
                    codes |= {
                        c.value
                        for c in found
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    }
            elif isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and [getattr(t, "id", None) for t in stmt.targets] == ["code"]
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        codes.add(stmt.value.value)
    return codes


def all_codes() -> set[str]:
    """Every error code the platform answers with."""
    return (
        set(STATUS_CODES.values())
        | {code for _cls, _status, code in DOMAIN_ERRORS}
        | {code.value for code in ReasonCode}
        | {RATE_LIMITED, INVALID_PERIOD}
        | _codes_in_source()
    )


def test_the_source_scan_sees_codes_of_each_kind() -> None:
    codes = _codes_in_source()
    assert {"user_not_found", "weak_password", "not_found", "too_many_requests"} <= codes


def test_every_code_has_a_chinese_message() -> None:
    missing = sorted(code for code in all_codes() if not chinese(code))
    assert not missing, f"codes without a Chinese message in nenghao.api.error_language: {missing}"
    for code in all_codes():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese(code) or ""), code
    assert chinese("unknown_item") == "该数据项未在本单位登记"  # reason codes: reason_codes.py
    assert chinese("no_such_code") is None


@pytest.mark.parametrize(
    ("header", "zh"),
    [
        ("zh-CN", True),
        ("zh", True),
        ("zh-CN,zh;q=0.9,en;q=0.8", True),
        ("en-US,en;q=0.9,zh-CN;q=0.8", False),
        ("en;q=0.5, zh-TW;q=0.7", True),
        ("en", False),
        ("", False),
        (None, False),
        ("zh;q=0", False),
        ("de,zh;q=0.4", False),
    ],
)
def test_chinese_is_chosen_when_it_ranks_first(header: str | None, zh: bool) -> None:
    assert prefers_chinese(header) is zh


def test_field_locations_read_in_chinese() -> None:
    assert field_location(("query", "page_size")) == "查询参数 page_size"
    assert field_location(("body", "lines", 0, "value")) == "请求内容 lines[0].value"
    assert field_location(("path", "enterprise_id")) == "路径参数 enterprise_id"
    assert field_location(()) == "请求"


ZH_HEADERS = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_an_unknown_user_is_answered_in_chinese(client, world) -> None:
    headers = {**world.headers("admin"), **ZH_HEADERS}
    error = assert_error_shape(client.patch("/api/v1/users/999999", json={}, headers=headers), 404)
    assert error["code"] == "user_not_found"
    assert error["message"] == "用户不存在"
    plain = client.patch("/api/v1/users/999999", json={}, headers=world.headers("admin"))
    english = assert_error_shape(plain, 404)
    assert english["code"] == "user_not_found"
    assert "not found" in english["message"]


def test_not_logged_in_and_no_route_in_chinese(client) -> None:
    error = assert_error_shape(client.get("/api/v1/auth/me", headers=ZH_HEADERS), 401)
    assert error["code"] == "not_authenticated"
    assert error["message"] == "未登录或登录已失效，请重新登录"
    error = assert_error_shape(client.get("/api/v1/no-such-route", headers=ZH_HEADERS), 404)
    assert error["code"] == "not_found"
    assert "不存在" in error["message"]


def test_field_errors_say_in_chinese_what_and_where(client, world) -> None:
    headers = {**world.headers("admin"), **ZH_HEADERS}
    response = client.get("/api/v1/enterprises?page=0&page_size=abc", headers=headers)
    error = assert_error_shape(response, 422, "validation_error")
    by_location = {d["location"]: d for d in error["details"]}
    # the location stays machine-readable; the message says where and what, in Chinese
    assert by_location["query.page"]["type"] == "greater_than_equal"
    assert by_location["query.page"]["message"] == "查询参数 page：应不小于 1"
    assert by_location["query.page_size"]["message"] == "查询参数 page_size：应为整数"
    assert error["message"].startswith("请求参数有误：")
    assert "查询参数 page：应不小于 1" in error["message"]


def test_a_missing_body_field_is_named(client, world) -> None:
    headers = {**world.headers("admin"), **ZH_HEADERS}
    response = client.post("/api/v1/users", json={}, headers=headers)
    error = assert_error_shape(response, 422, "validation_error")
    messages = [d["message"] for d in error["details"]]
    assert "请求内容 username：缺少必填项" in messages
    assert all(any(ord(ch) > 0x4E00 for ch in m) for m in messages)
