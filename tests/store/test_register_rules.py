"""Phone numbers, e-mail addresses and certificate numbers of the enterprise register."""

from __future__ import annotations

import pytest

from nenghao.store.common import InvalidInputError
from nenghao.store.register_rules import clean_contacts, clean_manager


@pytest.mark.parametrize(
    "phone",
    [
        "13904121234",
        "19912345678",
        "0412-5551234",
        "04125551234",
        "010-88889999",
        "024-23456789-801",
    ],
)
def test_phones_accepted(phone: str) -> None:
    assert clean_manager({"name": "王", "phone": phone})["phone"] == phone  # type: ignore[index]


@pytest.mark.parametrize(
    "phone",
    [
        "12345678901",
        "1390412123",
        "139041212345",
        "5551234",
        "0412-0551234",
        "１3904121234",
        "139 0412 1234",
        "+8613904121234",
        "0412—5551234",
    ],
)
def test_phones_refused(phone: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        clean_manager({"name": "王", "phone": phone})
    assert caught.value.code == "invalid_phone"
    assert caught.value.zh is not None
    assert caught.value.zh.startswith("能源管理负责人电话：")


def test_manager_needs_name_and_phone_and_trims() -> None:
    with pytest.raises(InvalidInputError) as caught:
        clean_manager({"name": "  ", "phone": "13904121234"})
    assert caught.value.zh == "能源管理负责人姓名：缺少必填项"
    clean = clean_manager({"name": " 王能源 ", "phone": "13904121234", "email": ""})
    assert clean == {
        "name": "王能源",
        "phone": "13904121234",
        "certificate_number": None,
        "email": None,
    }


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("辽能管(2024)-0031", True),
        ("GB/T23331-2020.No_7", True),
        ("证书 001", False),
        ("A" * 40, True),
        ("A" * 41, False),
        ("NO#1", False),
    ],
)
def test_certificate_numbers(number: str, ok: bool) -> None:
    values = {"name": "王", "phone": "13904121234", "certificate_number": number}
    if ok:
        assert clean_manager(values)["certificate_number"] == number  # type: ignore[index]
    else:
        with pytest.raises(InvalidInputError):
            clean_manager(values)


def test_contacts_say_which_row() -> None:
    with pytest.raises(InvalidInputError) as caught:
        clean_contacts([{"name": "甲"}, {"name": "乙", "email": "not-an-address"}])
    assert caught.value.code == "invalid_email"
    assert caught.value.details == {"field": "contacts[1].email"}
    assert caught.value.zh is not None
    assert caught.value.zh.startswith("第 2 位联系人电子邮箱：")
    with pytest.raises(InvalidInputError) as caught:
        clean_contacts([{"name": "甲", "mobile": "13904121234"}])
    assert caught.value.details["fields"] == ["mobile"]
    with pytest.raises(InvalidInputError):
        clean_contacts([{"name": str(i)} for i in range(21)])
