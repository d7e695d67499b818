"""Request and answer models of an enterprise's energy manager and contacts."""

from __future__ import annotations

from pydantic import Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.serialize import Model, Strict
from nenghao.store.register_rules import (
    CERTIFICATE_PATTERN,
    EMAIL_PATTERN,
    MAX_CONTACT_NAME,
    MAX_CONTACTS,
    MAX_EMAIL,
    MAX_NAME,
    MAX_ROLE,
    PHONE_PATTERN,
)

PHONE = rule(pattern=PHONE_PATTERN)
PHONE_TEXT = "mainland mobile (1[3-9] and 9 digits) or fixed line with area code (0412-1234567)"


class ManagerOut(Model):
    """The energy manager (能源管理负责人)."""

    name: str
    phone: str
    certificate_number: str | None
    email: str | None


class ContactOut(Model):
    """One contact (联系人)."""

    name: str
    role: str | None
    phone: str | None
    email: str | None


class ManagerIn(Strict):
    """The energy manager: name and phone required."""

    name: str = Field(max_length=MAX_NAME, json_schema_extra=rule(pattern=NON_BLANK))
    phone: str = Field(max_length=24, description=PHONE_TEXT, json_schema_extra=PHONE)
    certificate_number: str | None = Field(
        default=None,
        max_length=40,
        description="培训合格证/证书编号: letters, digits, Chinese characters, brackets, / . _ -",
        json_schema_extra=rule(pattern=CERTIFICATE_PATTERN),
    )
    email: str | None = Field(
        default=None, max_length=MAX_EMAIL, json_schema_extra=rule(pattern=EMAIL_PATTERN)
    )


class ContactIn(Strict):
    """One contact: a name; role, phone and e-mail optional."""

    name: str = Field(max_length=MAX_CONTACT_NAME, json_schema_extra=rule(pattern=NON_BLANK))
    role: str | None = Field(default=None, max_length=MAX_ROLE)
    phone: str | None = Field(
        default=None, max_length=24, description=PHONE_TEXT, json_schema_extra=PHONE
    )
    email: str | None = Field(
        default=None, max_length=MAX_EMAIL, json_schema_extra=rule(pattern=EMAIL_PATTERN)
    )


Contacts = Field(
    default=None,
    max_length=MAX_CONTACTS,
    description="the contacts in order; given, the list replaces the stored one wholesale",
)
ManagerField = Field(default=None, description="the energy manager; null removes him or her")


class RegisterContactsIn(Strict):
    """What an enterprise may change of its own register: the manager and the contacts
    (an absent part stays as it is)."""

    manager: ManagerIn | None = ManagerField
    contacts: list[ContactIn] | None = Contacts
