"""One typed settings object for the whole platform (env prefix ``NENGHAO_``, ``.env``)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Platform settings; every field can be set as ``NENGHAO_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NENGHAO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the embedded database lives.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; when unset, SQLite at <data_dir>/nenghao.db.",
    )
    database_connect_timeout_s: float = Field(
        default=5.0, gt=0, le=120, description="Longest wait for a database connection."
    )
    database_statement_timeout_s: float = Field(
        default=30.0, gt=0, description="Longest statement of a request (PostgreSQL)."
    )
    database_busy_timeout_s: float = Field(
        default=10.0, gt=0, description="Longest wait for another writer's lock."
    )
    database_lock_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of the connection that holds the background-job lock"
        " (a session advisory lock): straight to PostgreSQL, not through a pgbouncer in"
        " transaction mode; when unset, the database URL.",
    )
    # --- several API nodes (docs/deployment.md) ---------------------------------------------
    redis_url: str | None = Field(
        default=None,
        description="Redis holding the uplink nonces and rate limits shared by every API node"
        " (e.g. redis://127.0.0.1:6379/0); when unset, nonces in the database and rate"
        " limits in process memory (one node).",
    )
    redis_prefix: str = Field(
        default="nenghao",
        min_length=1,
        max_length=64,
        description="Prefix of this platform's Redis keys (several platforms may share one).",
    )
    redis_timeout_s: float = Field(
        default=2.0, gt=0, le=60, description="Longest wait for Redis (connect and answer)."
    )
    # --- database maintenance (nenghao.store.maintenance, docs/deployment.md) ---------------
    partition_months_ahead: int = Field(
        default=3, ge=1, le=24, description="CST months of partitions created ahead (PostgreSQL)."
    )
    archive_compress_after_months: int = Field(
        default=12,
        ge=0,
        le=1200,
        description="Months after which raw archive bodies are compressed (gzip); 0: never.",
    )
    maintenance_enabled: bool = Field(
        default=True, description="Run the maintenance job in the server (once across nodes)."
    )
    maintenance_interval_s: float = Field(
        default=3600.0, ge=5, description="Seconds between maintenance rounds."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    # --- request guard (nenghao.api.guard) --------------------------------------------------
    request_timeout_s: float = Field(
        default=60.0, gt=0, description="A request not answered by then gets 503."
    )
    request_body_timeout_s: float = Field(
        default=30.0, gt=0, description="Longest time to receive a request body (408)."
    )
    max_requests_per_client: int = Field(
        default=32, ge=1, description="Requests in progress per client address (429 beyond)."
    )
    storage_min_free_mb: int = Field(
        default=256, ge=0, description="Free space below which /health reports degraded."
    )
    root_path: str = Field(
        default="",
        description="Public path prefix a reverse proxy strips before forwarding (e.g. /nenghao).",
    )
    ssl_certfile: Path | None = Field(default=None, description="TLS certificate chain (PEM).")
    ssl_keyfile: Path | None = Field(default=None, description="TLS private key (PEM).")
    token_ttl_minutes: int = Field(default=60, ge=1, le=24 * 60)
    # --- password checks (log-in, own password change); see nenghao.store.throttle -------
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed password checks for one username from one client address before"
        " each further attempt from that address waits.",
    )
    login_address_max_failures: int = Field(
        default=20,
        ge=1,
        description="Failed password checks from one client address, over every username,"
        " before each further attempt from it waits.",
    )
    login_first_wait_s: int = Field(
        default=30, ge=1, description="The first wait; it doubles with each further failure."
    )
    login_lock_minutes: int = Field(
        default=15, ge=1, description="The longest wait between attempts once throttled."
    )
    login_memory_hours: int = Field(
        default=24, ge=1, description="Failures are forgotten after this long without one."
    )
    trusted_proxies: str | None = Field(
        default=None,
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For and"
        " X-Forwarded-Proto are believed ('*': any); unset: none.",
    )
    city_division: str = Field(default="210300", description="GB/T 2260 code of the city served.")
    target_warning_yellow: float = Field(
        default=0.95, gt=0, description="Projection/target ratio above which a target is yellow."
    )
    target_warning_red: float = Field(
        default=1.0, gt=0, description="Projection/target ratio above which a target is red."
    )
    annual_report_deadline: str | None = Field(
        default=None,
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        description="Day (MM-DD) of the next year by which the annual energy-utilisation report"
        " is due; unset: the catalogue's (31 March, standards/data/annual_report.toml).",
    )
    # --- uplink -------------------------------------------------------------------------
    secret_key: SecretStr | None = Field(
        default=None,
        description="Master key of device secrets (>= 32 characters); else <data_dir>/secret.key.",
    )
    uplink_max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Body limit.")
    uplink_max_records: int = Field(default=1000, ge=1, description="Records per message.")
    uplink_rate_per_s: float = Field(
        default=5.0, gt=0, description="Messages per second per device (token bucket refill)."
    )
    uplink_burst: int = Field(default=20, ge=1, description="Token bucket size per device.")
    uplink_clock_tolerance_s: int = Field(
        default=300, ge=0, description="How far a period may end after now (future_period)."
    )
    uplink_retry_interval_s: float = Field(
        default=10.0, gt=0, description="How often held messages (archived, not stored) retry."
    )
    uplink_retry_min_age_s: float = Field(
        default=15.0, ge=0, description="Age at which a held message is retried in background."
    )
    federation_interval_s: float = Field(
        default=2.0, gt=0, description="How often the outbox is forwarded to the upstream."
    )
    federation_batch_records: int = Field(
        default=20_000, ge=1, description="Readings per forwarded batch (at most)."
    )
    federation_max_body_bytes: int = Field(
        default=32 * 1_048_576, ge=1024, description="Body limit of a member's batch."
    )
    uplink_prepare_workers: int = Field(
        default=1,
        ge=0,
        le=16,
        description="Worker processes that parse and plan uplink messages on other cores"
        " (0: in the server process).",
    )
    # --- MQTT transport and file import ---------------------------------------------------
    mqtt_enabled: bool = Field(default=False, description="Run the MQTT subscriber in the API.")
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = Field(default=1883, ge=1, le=65535)
    mqtt_client_id: str = Field(
        default="nenghao-platform", description="Fixed, so the broker keeps the session."
    )
    mqtt_username: str | None = None
    mqtt_password: SecretStr | None = None
    mqtt_subscription: str = Field(
        default="nenghao/v1/+/up",
        description="Topic filter(s) of uplink envelopes, comma-separated.",
    )
    mqtt_shared_group: str = Field(
        default="nenghao",
        pattern=r"^[A-Za-z0-9_.-]{0,64}$",
        description="MQTT 5 shared-subscription group: every node subscribes to"
        " $share/<group>/<filter> and the broker splits the envelopes among them (empty: a"
        " plain subscription). Each node needs its own mqtt_client_id.",
    )
    mqtt_tls: bool = Field(default=False, description="Reach the broker over TLS (port 8883).")
    mqtt_tls_ca_file: Path | None = Field(
        default=None, description="CA bundle that signed the broker's certificate (else system)."
    )
    mqtt_admin_username: str | None = Field(
        default=None,
        description="Dynamic-security admin of the broker; when set, the platform keeps the"
        " broker's clients and ACLs in step with the device keys.",
    )
    mqtt_admin_password: SecretStr | None = None
    import_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="Upload limit.")
    # --- notices (通知公告) ------------------------------------------------------------------
    notice_attachment_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Size limit of one notice attachment."
    )
    notice_attachment_max_files: int = Field(
        default=5, ge=0, le=20, description="Attachments one notice may carry."
    )
    project_document_max_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=1024,
        description="Size limit of one project document (energy report, opinions ...).",
    )
    notice_attachment_max_unzipped_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        description="Largest unpacked size of an XLSX/DOCX attachment (zip bombs are refused).",
    )
    # --- data quality and alerts (nenghao.monitor) ---------------------------------------
    monitor_enabled: bool = Field(
        default=True,
        description="Run the monitor's schedule in the API process (daily after 01:00 CST,"
        " and the previous month after month end), so a served platform scores by itself.",
    )
    monitor_interval_s: float = Field(default=900.0, ge=5, description="Seconds between runs.")
    monitor_score_weights: dict[str, float] | None = Field(
        default=None,
        description="Weights of the monthly data-quality score's indices (JSON object);"
        " default: the monitor's own (nenghao.monitor.config.DEFAULT_WEIGHTS).",
    )
    monitor_workdays_file: Path | None = Field(
        default=None,
        description="Extra working-day years (TOML like standards/data/workdays.toml).",
    )
    monitor_heating_season: str = Field(
        default="11-01/03-31",
        description="The heating season, first and last day (MM-DD/MM-DD, CST, may wrap the"
        " year); Anshan: 1 November to 31 March. Its start and end are not data faults.",
    )
    monitor_seasonal_industries: list[str] = Field(
        default=["4430"],
        description="Industries (GB/T 4754) whose items follow the heating season; default"
        " 4430 热力生产和供应 (heat production and supply).",
    )
    monitor_notify_attempts: int = Field(default=4, ge=1, le=10)
    monitor_notify_backoff_s: float = Field(default=2.0, ge=0, description="First retry wait.")
    smtp_host: str | None = Field(default=None, description="SMTP server of alert e-mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = "nenghao@localhost"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False

    @field_validator("monitor_heating_season")
    @classmethod
    def _season_days(cls, value: str) -> str:
        """Two calendar days MM-DD/MM-DD (29 February allowed)."""
        try:
            first, last = value.split("/")
            for day in (first, last):
                month, number = day.split("-")
                date(2000, int(month), int(number))
        except ValueError as exc:
            raise ValueError(f"expected MM-DD/MM-DD, e.g. 11-01/03-31, got {value!r}") from exc
        return value

    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'nenghao.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
