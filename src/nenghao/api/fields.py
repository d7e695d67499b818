"""Input types whose schema states the rule that checks them.

Each type puts the rule of a domain check — its pattern, bounds or names, taken from the
constant the check itself uses — into the OpenAPI document, so that what the schema allows is
what the route accepts. The check stays where it is and refuses with its stable error code
(``invalid_division``, ``weak_password``, ``invalid_period``, ...); only what no schema can say
is left to it: catalogue look-ups, check characters, rules across fields.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from nenghao.analytics.periods import PERIOD_PATTERN
from nenghao.monitor.alerting import RULES as ALERT_RULES
from nenghao.monitor.events import QUALITY_RULES
from nenghao.standards.calendar import MONTH_PATTERN
from nenghao.store.credit_code import CREDIT_CODE_PATTERN
from nenghao.store.enterprises import DIVISION_PATTERN, INDUSTRY_PATTERN
from nenghao.store.users import MAX_PASSWORD, MIN_PASSWORD, USERNAME_PATTERN


def rule(**schema: Any) -> dict[str, Any]:
    """JSON schema keywords of a rule that a domain check enforces (with its own code)."""
    return schema


NON_BLANK = r"\S"
"""At least one character that is not white space."""

CreditCode = Annotated[
    str,
    Field(
        max_length=40,
        description="统一社会信用代码 (GB 32100-2015), either case; its check character must hold",
        json_schema_extra=rule(pattern=CREDIT_CODE_PATTERN),
    ),
]
DivisionCode = Annotated[
    str,
    Field(
        description="GB/T 2260 code from the division catalogue, e.g. 210381",
        json_schema_extra=rule(pattern=DIVISION_PATTERN),
    ),
]
IndustryCode = Annotated[
    str,
    Field(
        description="GB/T 4754-2017 class from the industry catalogue, e.g. 3110",
        json_schema_extra=rule(pattern=INDUSTRY_PATTERN),
    ),
]
Username = Annotated[
    str,
    Field(min_length=3, max_length=64, json_schema_extra=rule(pattern=USERNAME_PATTERN)),
]
NewPassword = Annotated[
    str,
    Field(
        max_length=MAX_PASSWORD,
        description=f"{MIN_PASSWORD} to {MAX_PASSWORD} characters, not the username",
        json_schema_extra=rule(minLength=MIN_PASSWORD),
    ),
]
AlertRuleName = Annotated[str, Field(json_schema_extra=rule(enum=list(ALERT_RULES)))]
QualityRuleName = Annotated[
    str, Query(description="a quality rule", json_schema_extra=rule(enum=list(QUALITY_RULES)))
]
MonthText = Annotated[
    str,
    Query(
        max_length=7,
        description="CST month, YYYY-MM (2000-01 to 2100-12)",
        json_schema_extra=rule(pattern=f"^{MONTH_PATTERN}$"),
    ),
]
PeriodText = Annotated[
    str,
    Query(
        max_length=40,
        description="2025 (year), 2025-03 (month), 2025-03-05 (day) or 2025-01-01..2025-03-31;"
        " years 2000 to 2100",
        json_schema_extra=rule(pattern=PERIOD_PATTERN),
    ),
]
