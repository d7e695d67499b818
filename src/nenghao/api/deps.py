"""Request-scoped dependencies: engine, settings, uplink service, client address, paging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy import Engine

from nenghao.api.params import Page, PageSize
from nenghao.config import Settings
from nenghao.ingest.service import UplinkService


def get_engine(request: Request) -> Engine:
    """The app's database engine."""
    return cast(Engine, request.app.state.engine)


def get_app_settings(request: Request) -> Settings:
    """The app's settings."""
    return cast(Settings, request.app.state.settings)


def get_uplink(request: Request) -> UplinkService:
    """The app's uplink service (one per app, built at start-up)."""
    return cast(UplinkService, request.app.state.uplink)


def get_remote(request: Request) -> str | None:
    """The client address, recorded in the audit log."""
    return request.client.host if request.client else None


@dataclass(frozen=True)
class Paging:
    """Page number (from 1) and page size of a listing."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (self.page - 1) * self.page_size


def get_paging(
    page: Page = 1,
    page_size: PageSize = 50,
) -> Paging:
    """Paging query parameters."""
    return Paging(page, page_size)


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
UplinkDep = Annotated[UplinkService, Depends(get_uplink)]
RemoteDep = Annotated[str | None, Depends(get_remote)]
PagingDep = Annotated[Paging, Depends(get_paging)]
