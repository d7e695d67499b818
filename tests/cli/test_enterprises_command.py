"""``nenghao enterprises``: add, change, list and show, with the energy manager and contacts."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store.schema import audit_log

runner = CliRunner()
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _code(first17: str) -> str:
    total = sum(CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + CHARS[(31 - total % 31) % 31]


CODE = _code("91210302MA0CLT001")


def _invoke(*args: str):
    return runner.invoke(app, ["enterprises", *args])


def test_add_change_list_show(db_url, tmp_path, monkeypatch, engine) -> None:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    added = _invoke(
        "add", CODE, "铁东命令行测试有限公司", "--division", "210302", "--industry", "3110",
        "--manager-name", "王能源", "--manager-phone", "13904121234",
        "--contact", "李联络|能源科长|0412-5551234|", "--contact", "赵统计",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    bad = _invoke("change", CODE, "--manager-phone", "12345")
    assert bad.exit_code == 2
    assert "[invalid_phone]" in bad.output
    wrong_code = CODE[:-1] + CHARS[(CHARS.index(CODE[-1]) + 1) % 31]
    wrong = _invoke("add", wrong_code, "错", "--division", "210302", "--industry", "3110")
    assert wrong.exit_code == 2
    assert "[invalid_credit_code]" in wrong.output
    changed = _invoke("change", CODE, "--manager-certificate", "辽能管-0031", "--level",
                      "designated")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    shown = json.loads(_invoke("show", CODE, "--json").stdout)
    assert shown["key_unit_level"] == "designated"
    assert shown["manager"] == {
        "name": "王能源",
        "phone": "13904121234",
        "certificate_number": "辽能管-0031",
        "email": None,
    }
    assert [(c["name"], c["role"], c["phone"]) for c in shown["contacts"]] == [
        ("李联络", "能源科长", "0412-5551234"),
        ("赵统计", None, None),
    ]
    listed = _invoke("list", "--search", "命令行")
    assert "1 enterprises" in listed.stdout
    cleared = _invoke("change", CODE, "--clear-contacts")
    assert cleared.exit_code == 0
    assert json.loads(_invoke("show", CODE, "--json").stdout)["contacts"] == []
    with engine.connect() as conn:
        entities = conn.execute(select(audit_log.c.entity)).scalars().all()
    assert entities.count("enterprise_contacts") == 3  # added, certificate, cleared
