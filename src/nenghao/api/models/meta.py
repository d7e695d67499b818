"""Answers of the service index, the health check and the log-out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class IndexLinks(BaseModel):
    health: str
    openapi: str
    docs: str
    login: str


class IndexOut(BaseModel):
    """The JSON index of the service."""

    name: str
    description: str
    version: str
    links: IndexLinks


class DatabaseState(BaseModel):
    reachable: bool
    backend: str = Field(description="sqlite or postgresql")
    revision: str | None = Field(description="the schema revision of the database")
    head: str | None = Field(description="the schema revision of the code")
    up_to_date: bool


class StorageState(BaseModel):
    """Whether the database's storage takes writes; a database server reports only
    ``status`` and ``kind``."""

    status: Literal["ok", "degraded"]
    kind: Literal["file", "server", "memory"]
    free_bytes: int | None = Field(default=None, description="free space [bytes]")
    min_free_bytes: int | None = Field(default=None, description="the floor [bytes]")
    problems: list[str] | None = None


class RedisState(BaseModel):
    """Whether the Redis shared by the API nodes answers (nonces, rate limits)."""

    status: Literal["ok", "unavailable"]
    problem: str | None = Field(default=None, description="why it is unavailable")


class HealthOut(BaseModel):
    """Service, database, storage and (with several nodes) Redis health."""

    status: Literal["ok", "migration_needed"]
    version: str
    database: DatabaseState
    storage: StorageState
    redis: RedisState | None = Field(
        default=None, description="present when NENGHAO_REDIS_URL is set"
    )


class LogoutOut(BaseModel):
    status: Literal["logged_out"]
