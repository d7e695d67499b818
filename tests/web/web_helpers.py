"""Helpers of the browser tests: the server handle, log-in, screenshots, waiting."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

CHROMIUM = Path(os.environ.get("NENGHAO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
ROLES = ("admin", "regulator", "district", "enterprise", "auditor")
TIMEOUT_MS = 10_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """The running platform: its URL, the demo accounts and API helpers."""

    url: str
    passwords: dict[str, str]
    data_dir: Path
    _tokens: dict[str, str] = field(default_factory=dict)

    def username(self, role: str) -> str:
        return f"demo-{role}"

    def token(self, role: str) -> str:
        if role not in self._tokens:
            answer = httpx.post(
                f"{self.url}/api/v1/auth/login",
                json={"username": self.username(role), "password": self.passwords[role]},
            )
            answer.raise_for_status()
            self._tokens[role] = answer.json()["token"]
        return self._tokens[role]

    def api(self, role: str, path: str, **params: Any) -> Any:
        """GET an API path as `role`; the JSON answer (raises on an error status)."""
        answer = httpx.get(
            f"{self.url}/api/v1{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.token(role)}"},
        )
        answer.raise_for_status()
        return answer.json()

    def send(self, role: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Any request to an API path as `role` (json=, files=, params=); the response."""
        headers = {"Authorization": f"Bearer {self.token(role)}"}
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, **kwargs)

    def status(self, role: str, path: str) -> int:
        headers = {"Authorization": f"Bearer {self.token(role)}"}
        return httpx.get(f"{self.url}/api/v1{path}", headers=headers).status_code


def read_accounts(path: Path) -> dict[str, str]:
    passwords = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        username, password = line.split("\t")[:2]
        passwords[username.removeprefix("demo-")] = password
    return passwords


def login(page: Any, server: Server, role: str) -> None:
    """Log in through the form as the demo user of `role`."""
    login_as(page, server.username(role), server.passwords[role])


def login_as(page: Any, username: str, password: str) -> None:
    """Log in through the form as `username`."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_test_id("role").wait_for()


def shoot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/web/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def ready(page: Any, testid: str) -> None:
    """Wait until the page's element `testid` says data-ready="true" (all its answers in)."""
    page.locator(f"[data-testid={testid}][data-ready=true]").wait_for(timeout=TIMEOUT_MS)


IDLE = """() => window.__nhRendered === true && typeof window.__nhIdle === 'function'
  && window.__nhIdle(150) && !document.querySelector('.el-loading-mask')"""


def settle(page: Any) -> None:
    """Wait until the current route's page has mounted, then until no API request has been
    in flight for 150 ms and no loading mask is shown (the dashboard's own state, not a
    fixed delay: a slow machine only makes the wait longer)."""
    page.wait_for_load_state("domcontentloaded")
    page.wait_for_function(IDLE, polling=50, timeout=TIMEOUT_MS)


def yesterday_month() -> str:
    """The month (YYYY-MM) of yesterday in China Standard Time: the demo data's last month."""
    return (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).strftime("%Y-%m")


def last_complete_month() -> str:
    """The last complete month (YYYY-MM) in China Standard Time: the month the dashboard's
    pages open on."""
    first = datetime.now(ZoneInfo("Asia/Shanghai")).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")
