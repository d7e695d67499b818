"""Whom a notice addresses: all enterprises, those of some divisions or of some industries.

Division codes must be in the division catalogue (GB/T 2260). Industry codes are GB/T 4754
classes or their leading digits (``31`` is every class of 黑色金属冶炼和压延加工业): a code
is accepted when at least one catalogue class starts with it, and addresses every enterprise
whose industry starts with it. A district regulator addresses only its own division.
The enterprises are resolved when the notice is sent (active ones only) and kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection, or_, select

from nenghao.standards.catalog import get_catalog
from nenghao.store.common import InvalidInputError, OutsideScopeError
from nenghao.store.enterprises import check_division
from nenghao.store.schema import enterprises
from nenghao.store.schema_notices import AUDIENCES
from nenghao.store.scope import Scope

MAX_CODES = 50
_INDUSTRY_PREFIX = re.compile(r"^[0-9A-Z]{1,8}$")


def _check_industry_prefix(code: str) -> str:
    known = get_catalog().industries
    if not _INDUSTRY_PREFIX.fullmatch(code) or not any(c.startswith(code) for c in known):
        raise InvalidInputError(
            f"industry {code!r} is neither a class of the industry catalogue nor the start of"
            " one (see GET /api/v1/catalog/industries)",
            code="unknown_industry",
            details={"field": "audience_codes", "code": code},
        )
    return code


def check_audience(scope: Scope, audience: str, codes: Sequence[str]) -> list[str]:
    """The audience's codes, checked and without repeats, or an error saying what to fix."""
    if audience not in AUDIENCES:
        raise InvalidInputError(
            f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}",
            code="invalid_audience",
            details={"field": "audience"},
        )
    clean = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    if audience == "all" and clean:
        raise InvalidInputError(
            "audience 'all' takes no codes", code="invalid_audience", details={"field": "codes"}
        )
    if audience != "all" and not 1 <= len(clean) <= MAX_CODES:
        raise InvalidInputError(
            f"audience {audience!r} needs 1 to {MAX_CODES} codes",
            code="invalid_audience",
            details={"field": "audience_codes"},
        )
    if audience == "divisions":
        clean = [check_division(code, "audience_codes") for code in clean]
    elif audience == "industries":
        clean = [_check_industry_prefix(code) for code in clean]
    if scope.kind != "all" and not (
        audience == "divisions" and all(scope.admits_division(code) for code in clean)
    ):
        raise OutsideScopeError(
            f"a district regulator sends notices to its own division only ({scope.division_code})",
            details={"field": "audience"},
        )
    return clean


def recipients(conn: Connection, audience: str, codes: Sequence[str]) -> list[int]:
    """Ids of the active enterprises the audience addresses, in id order."""
    query = select(enterprises.c.id).where(enterprises.c.active.is_(True))
    if audience == "divisions":
        query = query.where(enterprises.c.division_code.in_(list(codes)))
    elif audience == "industries":
        query = query.where(or_(*(enterprises.c.industry_code.startswith(c) for c in codes)))
    return list(conn.execute(query.order_by(enterprises.c.id)).scalars())
