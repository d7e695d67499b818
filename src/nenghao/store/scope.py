"""Data scope of a caller, applied to every enterprise-data query (the one isolation point)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, and_, or_, select, true

from nenghao.store.schema import enterprises

ScopeKind = Literal["all", "division", "enterprise"]
ALL_SCOPE_ROLES = frozenset({"admin", "regulator", "auditor"})


@dataclass(frozen=True)
class Scope:
    """Which enterprises a caller may see: all, one division's, or a single one."""

    kind: ScopeKind
    division_code: str | None = None
    enterprise_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind == "division" and not self.division_code:
            raise ValueError("a division scope needs a division_code")
        if self.kind == "enterprise" and self.enterprise_id is None:
            raise ValueError("an enterprise scope needs an enterprise_id")
        if self.kind not in ("all", "division", "enterprise"):
            raise ValueError(f"unknown scope kind {self.kind!r}")

    @classmethod
    def all(cls) -> Scope:
        """Everything (admin, regulator, auditor, internal jobs)."""
        return cls("all")

    @classmethod
    def for_user(cls, user: Mapping[str, Any]) -> Scope:
        """The scope a user's role grants."""
        role = user["role"]
        if role in ALL_SCOPE_ROLES:
            return cls("all")
        if role == "district":
            return cls("division", division_code=user["division_code"])
        if role == "enterprise":
            return cls("enterprise", enterprise_id=user["enterprise_id"])
        raise ValueError(f"role {role!r} has no data scope")

    def enterprise_clause(self, column: Any = None) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose enterprise id (`column`) lies in this scope."""
        column = enterprises.c.id if column is None else column
        if self.kind == "all":
            return true()
        if self.kind == "enterprise":
            return cast(ColumnElement[bool], column == self.enterprise_id)
        if column is enterprises.c.id:
            return enterprises.c.division_code == self.division_code
        in_division = select(enterprises.c.id).where(
            enterprises.c.division_code == self.division_code
        )
        return cast(ColumnElement[bool], column.in_(in_division))

    def subject_clause(
        self,
        enterprise_id: Any,
        division_code: Any,
        *,
        about_enterprise: ColumnElement[bool],
        about_division: ColumnElement[bool],
    ) -> ColumnElement[bool]:
        """A WHERE clause keeping rows about a subject in this scope, for tables whose rows
        are about one enterprise, one division as a whole or the whole city.

        A row about an enterprise (`about_enterprise`, its id in `enterprise_id`) is in scope
        when the enterprise is; a row about a division (`about_division`, its code in
        `division_code`) for the whole city or that division's district; any other row (the
        city as a whole) for the whole city only.
        """
        if self.admits_city():
            return true()
        own = and_(about_enterprise, self.enterprise_clause(enterprise_id))
        if self.kind == "division":
            return or_(own, and_(about_division, division_code == self.division_code))
        return own

    def admits_city(self) -> bool:
        """Whether what concerns the city as a whole lies in this scope."""
        return self.kind == "all"

    def admits_division(self, division_code: str) -> bool:
        """Whether `division_code`, and every enterprise placed in it, lies in this scope."""
        if self.kind == "all":
            return True
        return self.kind == "division" and division_code == self.division_code

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {
            "kind": self.kind,
            "division_code": self.division_code,
            "enterprise_id": self.enterprise_id,
        }
