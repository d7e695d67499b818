"""A real platform for the gateway tests: ``nenghao.app`` under uvicorn in a subprocess on a
SQLite file (or a PostgreSQL database), with an enterprise, register items and a device key
(as tests/ingest does)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from mqtt_broker import PrivateBroker
from sqlalchemy import Engine, func, insert, select

from nenghao.gateway.example import EXAMPLES, item_code
from nenghao.store import devices
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import (
    data_items,
    device_heartbeats,
    enterprises,
    readings,
    register_readings,
)
from nenghao.store.scope import Scope

MASTER = "gateway-tests-master-key-32-bytes!"
CREDIT_CODE = make_credit_code("210302", "MA0GATEW1")
START_BOUND_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    """The enterprise's ids on the platform and the device key."""

    enterprise_id: int
    item_ids: dict[str, int]
    key_id: str
    secret: str


def mqtt_env(broker: PrivateBroker) -> dict[str, str]:
    """The platform's settings to subscribe on `broker` and keep its device logins."""
    settings = broker.settings()
    return {
        "NENGHAO_MQTT_ENABLED": "true",
        "NENGHAO_MQTT_HOST": broker.host,
        "NENGHAO_MQTT_PORT": str(broker.port),
        "NENGHAO_MQTT_CLIENT_ID": settings.mqtt_client_id,
        "NENGHAO_MQTT_USERNAME": str(settings.mqtt_username),
        "NENGHAO_MQTT_PASSWORD": broker.platform_password,
        "NENGHAO_MQTT_ADMIN_USERNAME": str(settings.mqtt_admin_username),
        "NENGHAO_MQTT_ADMIN_PASSWORD": broker.admin_password,
    }


def make_site(engine: Engine, points: int, register_max: float) -> Site:
    """An enterprise with `points` 15-minute register items (M0001...) and a device key."""
    with engine.begin() as conn:
        enterprise = conn.execute(
            insert(enterprises).values(
                credit_code=CREDIT_CODE,
                name="网关测试企业",
                division_code="210302",
                industry_code="3110",
                created_at=0,
                updated_at=0,
            )
        ).inserted_primary_key[0]
        item_ids = {}
        for i in range(points):
            item_ids[item_code(i)] = conn.execute(
                insert(data_items).values(
                    enterprise_id=enterprise,
                    code=item_code(i),
                    name=f"电表 {i + 1}",
                    unit="kWh",
                    period="15min",
                    value_kind="register",
                    register_max=register_max,
                    register_resolution=0.01,
                    measures="energy",
                    usage="consumption",
                    boundary="enterprise",
                    created_at=0,
                )
            ).inserted_primary_key[0]
        row, secret = devices.issue(
            conn, Scope.all(), enterprise, master_key=MASTER.encode(), actor="test"
        )
    return Site(enterprise, item_ids, row["key_id"], secret)


class Platform:
    """A migrated platform (SQLite, or `database_url`) served by a uvicorn subprocess that can
    be stopped."""

    def __init__(
        self,
        directory: Path,
        points: int,
        register_max: float = 999999.99,
        extra_env: dict[str, str] | None = None,
        database_url: str | None = None,
    ) -> None:
        self.directory = directory
        self.database_url = database_url or f"sqlite:///{directory / 'platform.db'}"
        self.engine = make_engine(self.database_url)
        upgrade(self.engine)
        self.site = make_site(self.engine, points, register_max)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.extra_env = extra_env or {}

    def start(self) -> Platform:
        env = {
            **os.environ,
            "NENGHAO_DATABASE_URL": self.database_url,
            "NENGHAO_DATA_DIR": str(self.directory),
            "NENGHAO_SECRET_KEY": MASTER,
            "NENGHAO_UPLINK_RATE_PER_S": "100000",
            "NENGHAO_UPLINK_BURST": "100000",
            "NENGHAO_MONITOR_ENABLED": "false",
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "nenghao.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "error",
        ]
        self.process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_BOUND_S  # a bound for a loaded machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the platform exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v1", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the platform did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def gateway_config(
        self,
        path: Path,
        sim_port: int,
        points: int,
        cadence_min: int = 15,
        raw_max: int = 99_999_999,
        protocol: str = "modbus",
        broker: tuple[str, int] | None = None,
    ) -> Path:
        """Write the secret file and a gateway configuration for this platform (uploading
        over MQTT through `broker` (host, port) when given)."""
        (path.parent / "gateway.secret").write_text(self.site.secret + "\n")
        text = EXAMPLES[protocol](
            url=self.url,
            key_id=self.site.key_id,
            credit_code=CREDIT_CODE,
            secret_file="gateway.secret",
            port=sim_port,
            points=points,
            cadence_min=cadence_min,
            raw_max=raw_max,
        )
        if broker is not None:
            text = text.replace(
                'secret_file = "gateway.secret"\n',
                'secret_file = "gateway.secret"\ntransport = "mqtt"\nheartbeat_min = 1\n',
            )
            text += f'\n[mqtt]\nhost = "{broker[0]}"\nport = {broker[1]}\nack_timeout_s = 5\n'
        path.write_text(text)
        return path

    def heartbeats(self) -> list[dict[str, object]]:
        """The stored heartbeats (one per key)."""
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(device_heartbeats)).mappings()]

    def registers(self, code: str) -> list[tuple[int, float, str | None]]:
        """(start, register, event kind) of the item's stored register readings, in order."""
        item = self.site.item_ids[code]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    register_readings.c.period_start,
                    register_readings.c.register_value,
                    register_readings.c.event,
                )
                .where(register_readings.c.item_id == item)
                .order_by(register_readings.c.period_start)
            ).all()
        return [(r[0], r[1], (r[2] or {}).get("kind") if r[2] else None) for r in rows]

    def interval_total(self, code: str) -> tuple[float, int, int]:
        """(sum of the derived intervals [kWh], their count, distinct starts) of the item."""
        item = self.site.item_ids[code]
        with self.engine.connect() as conn:
            total, count, starts = conn.execute(
                select(
                    func.coalesce(func.sum(readings.c.value), 0.0),
                    func.count(),
                    func.count(readings.c.period_start.distinct()),
                ).where(readings.c.item_id == item, readings.c.period == "15min")
            ).one()
        return float(total), int(count), int(starts)

    def flags(self, code: str) -> set[str]:
        """The register-decoding flags on the item's derived intervals."""
        item = self.site.item_ids[code]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(readings.c.flags).where(readings.c.item_id == item).distinct()
            ).scalars()
            return {flag for text in rows if text for flag in text.split(",")}
