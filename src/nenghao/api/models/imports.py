"""The answer of a file import: every row with its result."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

RowStatus = Literal["accepted", "duplicate", "revised", "rejected"]


class ImportRow(BaseModel):
    """One row's result; a rejected row has one result per problem."""

    row: int
    status: RowStatus
    item: str | None
    period: str | None
    start: str | None
    revision: int | None
    column: str | None
    code: str | None
    message: str | None


class ImportSummary(BaseModel):
    """Rows per status (a row with several problems counts once)."""

    accepted: int
    duplicate: int
    revised: int
    rejected: int


class ImportResultOut(BaseModel):
    filename: str
    format: Literal["csv", "xlsx"]
    rows: int = Field(description="data rows in the file")
    reference: str | None = Field(description="message id of the stored upload, if any")
    summary: ImportSummary
    results: list[ImportRow]
