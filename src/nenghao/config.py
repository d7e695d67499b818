"""One typed settings object for the whole platform (env prefix ``NENGHAO_``, ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Platform settings; every field can be set as ``NENGHAO_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NENGHAO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the embedded database lives.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; when unset, SQLite at <data_dir>/nenghao.db.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    token_ttl_minutes: int = Field(default=60, ge=1, le=24 * 60)
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1, description="Lock-out after failures.")
    city_division: str = Field(default="210300", description="GB/T 2260 code of the city served.")

    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'nenghao.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
