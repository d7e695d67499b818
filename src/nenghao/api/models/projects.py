"""Request and answer models of the project register and its review (节能审查); instants
are ISO 8601 UTC strings, figures carry their unit in the description."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from nenghao.api.fields import NON_BLANK, CreditCode, DivisionCode, IndustryCode, rule
from nenghao.api.params import INT32_MAX, YEAR_MAX, YEAR_MIN, BodyId
from nenghao.api.serialize import Instant, Model, Strict
from nenghao.review.assessment import Assessment
from nenghao.standards.vocabulary import ConstructionType, ReviewTier
from nenghao.store.schema_projects import DocumentKind
from nenghao.store.schema_projects import ProjectStatus as Status

Level = Literal["province", "city", "district"]
Role = Literal["input", "raw_material", "renewable_above_base", "export"]
Quantity = Annotated[float, Field(ge=0, allow_inf_nan=False, le=1e15)]
Text200 = Annotated[
    str, Field(min_length=1, max_length=200, json_schema_extra=rule(pattern=NON_BLANK))
]


class EnergyLineIn(Strict):
    energy: str = Field(min_length=1, max_length=32, description="energy kind code or name")
    quantity: Quantity = Field(description="annual quantity [unit]")
    unit: str = Field(min_length=1, max_length=16, description="t, 万kWh, 万m3 ...")
    role: Role = Field(default="input", description="how the line counts")


class ProductIn(Strict):
    product: str | None = Field(default=None, max_length=48, description="quota product code")
    name: Text200
    capacity: Quantity = Field(description="annual capacity [unit]")
    unit: str = Field(default="t", min_length=1, max_length=16)
    planned_unit_consumption: float | None = Field(
        default=None, allow_inf_nan=False, ge=-1e9, le=1e9, description="[kgce per unit]"
    )


class ProjectIn(Strict):
    """A project as the applicant declares it (a full replacement on PUT/PATCH)."""

    name: Text200
    applicant_enterprise_id: BodyId | None = Field(
        default=None, description="an applicant of the register (enterprise users: their own)"
    )
    applicant_name: str | None = Field(default=None, max_length=200, description="a new applicant")
    applicant_credit_code: CreditCode | None = None
    division_code: DivisionCode | None = Field(default=None, description="default: the applicant's")
    industry_code: IndustryCode | None = Field(default=None, description="default: the applicant's")
    construction_type: ConstructionType
    first_full_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    output_value: Quantity | None = Field(default=None, description="[万元/a]")
    added_value: Quantity | None = Field(default=None, description="[万元/a]")
    simple_process: bool = False
    location: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    energy: list[EnergyLineIn] = Field(min_length=1, max_length=50)
    existing: list[EnergyLineIn] = Field(
        default=[], max_length=50, description="before a reconstruction (the increment counts)"
    )
    products: list[ProductIn] = Field(default=[], max_length=50)


class ProjectUpdateIn(ProjectIn):
    version: int | None = Field(
        default=None, ge=1, le=INT32_MAX, description="the version read; refused if changed"
    )


class ActionIn(Strict):
    """What a step needs: comment (return, reject: required), conditions (approve), expert
    and opinion (opinion: required; document_id optional), commissioned_on (commission)."""

    comment: str | None = Field(default=None, max_length=5000)
    conditions: str | None = Field(default=None, max_length=5000)
    expert: str | None = Field(default=None, max_length=100)
    opinion: str | None = Field(default=None, max_length=20000)
    document_id: BodyId | None = None
    commissioned_on: date | None = None
    version: int | None = Field(default=None, ge=1, le=INT32_MAX)


class EnergyLineOut(Model):
    energy: str
    quantity: float
    unit: str
    role: str


class ProductOut(Model):
    product: str | None
    name: str
    capacity: float
    unit: str
    planned_unit_consumption: float | None


class ProjectOut(Model):
    id: int
    code: str = Field(description="项目编号 XM-<year>-<nnnn>")
    name: str
    applicant_enterprise_id: int | None
    applicant: str | None = Field(description="the applicant's name")
    applicant_credit_code: str | None
    division_code: str
    division_name: str
    industry_code: str
    industry_name: str
    construction_type: ConstructionType
    construction_type_zh: str
    first_full_year: int
    output_value: float | None = Field(description="[万元/a]")
    added_value: float | None = Field(description="[万元/a]")
    simple_process: bool
    location: str | None
    description: str | None
    status: Status
    status_zh: str
    review_tier: ReviewTier | None
    tier_zh: str
    review_level: Level | None
    review_level_zh: str
    two_high: bool
    assessed_tce: float | None = Field(description="[tce/a] counted less deductions")
    counted_co2_t: float | None = Field(description="[tCO2/a]")
    submitted_at: Instant
    accepted_at: Instant
    due_at: Instant = Field(description="statutory deadline")
    overdue: bool
    decided_at: Instant
    conditions: str | None = Field(description="approval conditions or rejection reason")
    commissioned_on: date | None
    created_at: Instant
    updated_at: Instant
    version: int


class InboxItemOut(ProjectOut):
    actions: list[str] = Field(description="what the caller may do now")


class HeadroomIndicatorOut(Model):
    indicator: Literal["total_energy_tce", "total_co2_t"]
    indicator_zh: str
    unit: str
    basis: Literal["equivalent", "equal"] | None = Field(
        default=None, description="the energy target's basis (当量值/等价值); None for CO2"
    )
    project: float = Field(description="the project's annual figure (on the target's basis)")
    target: float | None
    expected: float = Field(description="the subject's expected figure in the year")
    expected_method: str
    pending: float = Field(description="approved projects not yet in operation")
    pending_projects: int
    headroom: float | None = Field(description="target - expected - pending")
    share: float | None = Field(description="project / headroom (None: no headroom)")
    exceeds: bool
    line_zh: str


class HeadroomSubjectOut(Model):
    level: Literal["city", "division"]
    division_code: str | None
    name: str
    year: int
    indicators: list[HeadroomIndicatorOut]
    note: str | None = None


class HeadroomOut(Model):
    subjects: list[HeadroomSubjectOut]
    exceeds: bool
    method: str


class ProjectDetailOut(ProjectOut):
    energy: list[EnergyLineOut]
    existing: list[EnergyLineOut]
    products: list[ProductOut]
    assessment: Assessment
    explanation: list[str] = Field(description="the assessment line by line (Chinese)")
    headroom: HeadroomOut
    actions: list[str] = Field(description="what the caller may do now")
    opinions: int = Field(description="expert opinions recorded")
    opinions_needed: int = Field(description="expert opinions an approval needs")


class AssessmentOut(Model):
    project_id: int
    assessment: Assessment
    explanation: list[str]


class StepOut(Model):
    id: int
    action: str
    action_zh: str
    from_status: str | None
    to_status: str
    actor_id: int
    actor_name: str
    at: Instant
    comment: str | None
    details: dict[str, object] | None


class DocumentOut(Model):
    id: int
    project_id: int
    kind: DocumentKind
    kind_zh: str
    filename: str
    content_type: str = Field(description="detected from the content")
    size: int = Field(description="bytes")
    sha256: str
    uploaded_by: int
    uploaded_by_name: str
    uploaded_at: Instant
