"""The parts of the annual report no meter knows, filled in by the enterprise: saving measures
(节能措施), saving projects (节能技改项目), energy management, an explanation of the monitored
figures and the statement. Limits are checked here; a body breaking one is a 422 saying
where and what."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ProjectStatus = Literal["planned", "in_progress", "completed"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
YEAR_MIN, YEAR_MAX = 2000, 2100


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnnualProject(_Strict):
    """One energy-saving project (节能技术改造项目)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    investment_10k_yuan: float = Field(ge=0, le=1e8, description="investment, 万元")
    saving_tce: float = Field(ge=0, le=1e8, description="energy saved a year, tce")
    status: ProjectStatus


class AnnualManagement(_Strict):
    """Energy management (能源管理): the manager, the management system, metering, audit."""

    manager_name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, pattern=r"^[0-9+() -]{5,20}$")
    certificate: str | None = Field(default=None, max_length=100)
    management_system: bool | None = Field(default=None, description="能源管理体系 in place")
    metering_rate_pct: float | None = Field(
        default=None, ge=0, le=100, description="能源计量器具配备率, %"
    )
    last_audit_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)


class AnnualParts(_Strict):
    """What the enterprise writes into its annual report."""

    measures: list[Text] = Field(default_factory=list, max_length=50)
    projects: list[AnnualProject] = Field(default_factory=list, max_length=100)
    management: AnnualManagement = Field(default_factory=AnnualManagement)
    figures_note: str | None = Field(
        default=None, max_length=2000, description="explanation of the monitored figures"
    )
    statement_confirmed: bool = Field(
        default=False, description="the enterprise vouches that the report is true (声明)"
    )


REQUIRED_TO_SUBMIT = {
    "measures": "至少填写一项节能措施",
    "management.manager_name": "填写能源管理负责人",
    "management.phone": "填写能源管理负责人联系电话",
    "management.management_system": "说明是否建立能源管理体系",
    "management.metering_rate_pct": "填写能源计量器具配备率",
    "statement_confirmed": "确认声明",
}
"""The parts a report needs before it is submitted, with what to do (Chinese)."""


def missing(parts: AnnualParts) -> list[str]:
    """The required parts (keys of `REQUIRED_TO_SUBMIT`) that ``parts`` leaves empty."""
    found = {
        "measures": bool(parts.measures),
        "management.manager_name": bool(parts.management.manager_name),
        "management.phone": bool(parts.management.phone),
        "management.management_system": parts.management.management_system is not None,
        "management.metering_rate_pct": parts.management.metering_rate_pct is not None,
        "statement_confirmed": parts.statement_confirmed,
    }
    return [key for key in REQUIRED_TO_SUBMIT if not found[key]]
