"""Rules of an enterprise's register contacts: phone numbers, e-mail addresses, the energy
manager's certificate number and names, each refused with where and what in Chinese.

Patterns are spelled with ``[0-9]`` (ASCII digits only, see `nenghao.standards.digits`); the
API puts the same patterns into its schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NoReturn

from nenghao.store.common import InvalidInputError

MOBILE = r"1[3-9][0-9]{9}"
"""A mainland mobile number: 11 digits, 13x to 19x."""
FIXED_LINE = r"0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}(-[0-9]{1,6})?"
"""A fixed line with its area code (010, 0412 ...), a 7- or 8-digit number, an extension."""
PHONE_PATTERN = rf"^({MOBILE}|{FIXED_LINE})$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
CERTIFICATE_PATTERN = r"^[0-9A-Za-z\u4e00-\u9fff()（）〔〕\[\]/._-]{1,40}$"
"""A certificate number (培训合格证/证书编号): letters, digits, Chinese characters, brackets,
``/ . _ -``; no spaces; at most 40 characters."""
MAX_NAME = 50
MAX_CONTACT_NAME = 100
"""Contact names hold up to 100 characters: the free-text ``contact`` migrated into them."""
MAX_ROLE = 50
MAX_EMAIL = 254
MAX_CONTACTS = 20

_PHONE = re.compile(PHONE_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_CERTIFICATE = re.compile(CERTIFICATE_PATTERN)

MANAGER_FIELDS = ("name", "phone", "certificate_number", "email")
CONTACT_FIELDS = ("name", "role", "phone", "email")
_FIELD_ZH = {
    "name": "姓名",
    "phone": "电话",
    "certificate_number": "证书编号",
    "email": "电子邮箱",
    "role": "职务",
}


def _refuse(code: str, field: str, where_zh: str, what_en: str, what_zh: str) -> NoReturn:
    raise InvalidInputError(
        f"{field}: {what_en}", code=code, details={"field": field}, zh=f"{where_zh}：{what_zh}"
    )


def _text(value: Any, field: str, where_zh: str, limit: int, *, required: bool) -> str | None:
    """`value` stripped, None when empty and optional; refused when not text or too long."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            _refuse("invalid_contact", field, where_zh, "is required", "缺少必填项")
        return None
    if not isinstance(value, str):
        _refuse("invalid_contact", field, where_zh, "must be text", "应为文本")
    text = value.strip()
    if len(text) > limit:
        _refuse(
            "invalid_contact",
            field,
            where_zh,
            f"at most {limit} characters",
            f"长度应不超过 {limit} 个字符",
        )
    return text


def check_phone(value: str, field: str, where_zh: str) -> str:
    """`value` if it is a mainland mobile or a fixed line with area code."""
    if not _PHONE.fullmatch(value):
        _refuse(
            "invalid_phone",
            field,
            where_zh,
            f"{value!r} is neither a mobile number (1[3-9] and 9 digits) nor a fixed line with "
            "its area code (e.g. 0412-1234567)",
            f"“{value}”不是有效的电话号码（手机号为 1 开头的 11 位数字，固定电话须带区号，"
            "如 0412-1234567）",
        )
    return value


def check_email(value: str, field: str, where_zh: str) -> str:
    """`value` if it looks like an e-mail address."""
    if len(value) > MAX_EMAIL or not _EMAIL.fullmatch(value):
        _refuse(
            "invalid_email",
            field,
            where_zh,
            f"{value!r} is not an e-mail address",
            f"“{value}”不是有效的电子邮箱地址",
        )
    return value


def _unknown(values: Mapping[str, Any], allowed: tuple[str, ...], field: str) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidInputError(
            f"{field}: unknown fields {', '.join(unknown)}",
            details={"field": field, "fields": unknown},
            zh=f"{field}：不允许的字段 {'、'.join(unknown)}",
        )


def clean_manager(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The energy manager validated (name and phone required), or None to have none."""
    if values is None:
        return None
    _unknown(values, MANAGER_FIELDS, "manager")
    where = "能源管理负责人"
    clean: dict[str, Any] = {
        "name": _text(values.get("name"), "manager.name", f"{where}姓名", MAX_NAME, required=True),
        "phone": _text(values.get("phone"), "manager.phone", f"{where}电话", 24, required=True),
        "certificate_number": _text(
            values.get("certificate_number"),
            "manager.certificate_number",
            f"{where}证书编号",
            40,
            required=False,
        ),
        "email": _text(
            values.get("email"), "manager.email", f"{where}电子邮箱", MAX_EMAIL, required=False
        ),
    }
    check_phone(clean["phone"], "manager.phone", f"{where}电话")
    number = clean["certificate_number"]
    if number is not None and not _CERTIFICATE.fullmatch(number):
        _refuse(
            "invalid_certificate_number",
            "manager.certificate_number",
            f"{where}证书编号",
            "letters, digits, Chinese characters, brackets and / . _ - only, no spaces",
            "只能包含字母、数字、汉字、括号和 / . _ -，不含空格，至多 40 个字符",
        )
    if clean["email"] is not None:
        check_email(clean["email"], "manager.email", f"{where}电子邮箱")
    return clean


def clean_contacts(rows: Any) -> list[dict[str, Any]]:
    """The contacts validated in order (a name each; phone and e-mail checked when given)."""
    if not isinstance(rows, list | tuple):
        raise InvalidInputError(
            "contacts must be a list", details={"field": "contacts"}, zh="联系人：应为列表"
        )
    if len(rows) > MAX_CONTACTS:
        raise InvalidInputError(
            f"at most {MAX_CONTACTS} contacts",
            details={"field": "contacts"},
            zh=f"联系人：至多 {MAX_CONTACTS} 位",
        )
    clean = []
    for index, row in enumerate(rows):
        field, where = f"contacts[{index}]", f"第 {index + 1} 位联系人"
        if not isinstance(row, Mapping):
            _refuse("invalid_contact", field, where, "must be an object", "应为对象")
        _unknown(row, CONTACT_FIELDS, field)
        limits = {"name": MAX_CONTACT_NAME, "role": MAX_ROLE, "phone": 24, "email": MAX_EMAIL}
        contact = {
            name: _text(
                row.get(name),
                f"{field}.{name}",
                f"{where}{_FIELD_ZH[name]}",
                limit,
                required=name == "name",
            )
            for name, limit in limits.items()
        }
        if contact["phone"] is not None:
            check_phone(contact["phone"], f"{field}.phone", f"{where}电话")
        if contact["email"] is not None:
            check_email(contact["email"], f"{field}.email", f"{where}电子邮箱")
        clean.append(contact)
    return clean
