"""The enterprise the command tests register (tests/cli/conftest.py)."""

from nenghao.store.credit_code import make_credit_code

CREDIT_CODE = make_credit_code("210302", "MA0XCL001")
NAME = "鞍山示例焦化"
