"""Browser tests of the web dashboard: the real server on a small demo city, driven in Chromium.

A session fixture builds a 5-day demo city in a temporary directory with the ``nenghao demo``
command, serves it with ``nenghao serve`` (uvicorn) on a free 127.0.0.1 port together with the
built dashboard, and launches Debian's Chromium through Playwright. Outside CI the tests are
skipped, with the reason printed, when Chromium, Playwright or the built dashboard is missing;
in CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from nenghao.web import DIST, is_built

from .web_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    Server,
    free_port,
    read_accounts,
)


def _unavailable(reason: str) -> None:
    """Skip with the reason outside CI; fail in CI."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"web tests cannot run in CI: {reason}", pytrace=False)
    print(f"\n[tests/web] skipped: {reason}", file=sys.stderr)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A 5-day demo city served with the built dashboard."""
    if not is_built(DIST):
        _unavailable(f"the dashboard is not built ({DIST}); run `make web`")
    nenghao = shutil.which("nenghao", path=str(Path(sys.executable).parent)) or "nenghao"
    data_dir = tmp_path_factory.mktemp("web-demo")
    env = {**os.environ, "NENGHAO_DATA_DIR": str(data_dir)}
    env.pop("NENGHAO_DATABASE_URL", None)
    subprocess.run(
        [nenghao, "demo", "--data-dir", str(data_dir), "--days", "5", "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    passwords = read_accounts(data_dir / "demo-accounts.txt")
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [nenghao, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a bound for a loaded machine, not a wait
        while True:
            try:
                if httpx.get(f"{url}/api/v1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "server.log").read_text(errors="replace"))
            time.sleep(0.1)
        yield Server(url, passwords, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def opened(browser: Any, server: Server, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (no stored session or language); on leaving, fails
    on any uncaught error or Content-Security-Policy violation it met."""
    context = browser.new_context(base_url=server.url, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: _csp_violation(message, errors))
    yield page
    context.close()
    assert not errors, f"uncaught errors or Content-Security-Policy violations: {errors}"


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A page at 1440×900."""
    with opened(browser, server, viewport={"width": 1440, "height": 900}) as page:
        yield page


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Any]:
    """A page on a phone's screen: 390×844, touch."""
    with opened(
        browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ) as page:
        yield page


def _csp_violation(message: Any, errors: list[str]) -> None:
    """Chromium reports what the Content-Security-Policy blocked as a console error."""
    if message.type == "error" and "Content Security Policy" in message.text:
        errors.append(message.text)
