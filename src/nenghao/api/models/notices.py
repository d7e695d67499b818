"""Answers of the notice routes (通知公告); times are Unix seconds."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from nenghao.api.serialize import Model


class AttachmentOut(BaseModel):
    """An attachment's description (its bytes: GET /notices/attachments/{id})."""

    id: int
    filename: str
    content_type: str = Field(description="detected from the content")
    size: int = Field(description="bytes")
    sha256: str


class AudienceName(BaseModel):
    """A division or industry the notice addresses, with its names."""

    code: str
    name_zh: str
    name_en: str


class NoticeOut(Model):
    id: int
    title: str
    body: str
    audience: Literal["all", "divisions", "industries"]
    audience_codes: list[str]
    audience_names: list[AudienceName]
    sender: str
    sender_role: str
    sender_division: str | None
    sent_at: int
    publish_at: int | None
    expire_at: int | None
    attachments: list[AttachmentOut]
    addressed: int = Field(description="enterprises addressed (in the caller's scope)")
    read_count: int = Field(description="of them, those where a user has read it")
    read: bool = Field(description="whether the caller has read it")
    read_at: int | None = Field(description="when the caller first read it")


class UnreadOut(BaseModel):
    unread: int = Field(description="notices the caller sees and has not read")


class ReceiptOut(BaseModel):
    enterprise_id: int
    enterprise_name: str
    division_code: str
    read_at: int | None = Field(description="the first reading by one of its users")
    readers: int = Field(description="its users who read the notice")


class ReceiptsOut(BaseModel):
    notice_id: int
    addressed: int
    read_count: int
    read: list[ReceiptOut]
    unread: list[ReceiptOut]
