"""A private Mosquitto for the MQTT tests: free ports, dynamic security, a TLS listener.

The broker is configured here the way docs/uplink-protocol.md (appendix F) tells operators to
configure theirs: anonymous clients refused, the dynamic-security plugin holding clients and
ACLs, its admin created with ``mosquitto_ctrl dynsec init``. It is never the system broker.
"""

from __future__ import annotations

import getpass
import glob
import os
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from nenghao.config import Settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PLUGIN_GLOBS = (
    "/usr/lib/*/mosquitto_dynamic_security.so",
    "/usr/lib/mosquitto_dynamic_security.so",
    "/usr/local/lib/mosquitto_dynamic_security.so",
    "/usr/local/lib/*/mosquitto_dynamic_security.so",
)
ADMIN = "nenghao-admin"
PLATFORM = "nenghao-platform"
START_TIMEOUT_S = 10.0


def missing_tools() -> str | None:
    """Why a private broker cannot be started here, or None."""
    if not (shutil.which("mosquitto") or Path("/usr/sbin/mosquitto").exists()):
        return "mosquitto is not installed (apt-get install mosquitto)"
    if not shutil.which("mosquitto_ctrl"):
        return "mosquitto_ctrl is not installed (Mosquitto 2.x)"
    if plugin_path() is None:
        return "the Mosquitto dynamic-security plugin is not installed (Mosquitto 2.x)"
    return None


def start_or_skip(directory: Path, tls: TlsFiles | None = None) -> PrivateBroker:
    """A started private broker; outside CI, missing Mosquitto skips the test with the reason
    printed, in CI it fails."""
    import pytest

    reason = missing_tools()
    if reason is not None:
        if IN_CI:
            raise RuntimeError(f"the MQTT tests need Mosquitto in CI: {reason}")
        print(reason)
        pytest.skip(f"{reason}; outside CI: skipped")
    return PrivateBroker(directory, tls=tls).start()


def plugin_path() -> str | None:
    for pattern in PLUGIN_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class TlsFiles:
    """The broker's certificate chain and key, and the CA that clients trust (PEM files)."""

    certfile: Path
    keyfile: Path
    cafile: Path


class PrivateBroker:
    """A Mosquitto process on free loopback ports (plain, and TLS when `tls` is given)."""

    def __init__(self, directory: Path, tls: TlsFiles | None = None) -> None:
        self.directory = directory
        self.tls = tls
        self.host = "127.0.0.1"
        self.port = free_port()
        self.tls_port = free_port() if tls else None
        self.admin_password = secrets.token_urlsafe(16)
        self.platform_password = secrets.token_urlsafe(16)
        self.process: subprocess.Popen[bytes] | None = None

    def config(self) -> str:
        """The mosquitto.conf of this broker."""
        dynsec = self.directory / "dynamic-security.json"
        lines = [
            "per_listener_settings false",
            "allow_anonymous false",
            "persistence false",
            f"user {getpass.getuser()}",  # as root, do not drop to a user who cannot write here
            f"log_dest file {self.directory / 'mosquitto.log'}",
            f"plugin {plugin_path()}",
            f"plugin_opt_config_file {dynsec}",
            f"listener {self.port} {self.host}",
        ]
        if self.tls is not None:
            lines += [
                f"listener {self.tls_port} {self.host}",
                f"certfile {self.tls.certfile}",
                f"keyfile {self.tls.keyfile}",
            ]
        return "\n".join(lines) + "\n"

    def start(self) -> PrivateBroker:
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "mosquitto_ctrl",
                "dynsec",
                "init",
                str(self.directory / "dynamic-security.json"),
                ADMIN,
                self.admin_password,
            ],
            check=True,
            capture_output=True,
        )
        conf = self.directory / "mosquitto.conf"
        conf.write_text(self.config())
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.process = subprocess.Popen(
            [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._wait_listening()
        return self

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        ports = [self.port] + ([self.tls_port] if self.tls_port else [])
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"mosquitto exited ({self.process.returncode}): {error}")
            try:
                for port in ports:
                    socket.create_connection((self.host, port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"mosquitto did not listen on {ports}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def log(self) -> str:
        path = self.directory / "mosquitto.log"
        return path.read_text() if path.exists() else ""

    def settings(self, **update: Any) -> Settings:
        """Platform settings on this broker: admin, platform client, a unique client id and
        shared-subscription group."""
        values: dict[str, Any] = {
            "mqtt_host": self.host,
            "mqtt_port": self.port,
            "mqtt_admin_username": ADMIN,
            "mqtt_admin_password": SecretStr(self.admin_password),
            "mqtt_username": PLATFORM,
            "mqtt_password": SecretStr(self.platform_password),
            "mqtt_client_id": f"nenghao-test-{uuid.uuid4().hex[:12]}",
            # a group of its own: the sessions that earlier tests left with the broker keep
            # their share of a group (and would be sent envelopes nobody handles)
            "mqtt_shared_group": f"g{uuid.uuid4().hex[:12]}",
        }
        values.update(update)
        return Settings(**values)
