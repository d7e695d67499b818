"""Benchmark: time until the city overview (and the enterprise register) is fully rendered,
and the bundle size.

Builds a demo city (``--days``, default 5) in a temporary directory, serves it with the built
dashboard (``nenghao serve``), and opens ``/overview`` then ``/enterprises`` in headless
Chromium (Debian's ``/usr/bin/chromium``, through Playwright) with the admin's session.
"Fully rendered" for the overview = all its statistics answers are in (``data-ready``), the
four key figures show numbers, the four charts are drawn, the ranking has rows and nothing is
loading; for the register = the first page of rows, the four key figures and both charts. The
time is ``performance.now()`` then, i.e. from the start of navigation. The first run has an
empty cache (cold), later runs reuse the browser's cache (warm). Sizes come from
``src/nenghao/web/dist/build-report.json``.

    .venv/bin/python benchmarks/web_render.py [--runs 5] [--days 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from nenghao.web import DIST, is_built

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OVERVIEW = """() => {
  const ready = document.querySelector('[data-testid=overview][data-ready=true]')
  const figures = [...document.querySelectorAll('[data-testid=kpis] .value')]
  const numbers = figures.length === 4 && figures.every((el) => /\\d/.test(el.textContent))
  const charts = document.querySelectorAll('[data-testid^=chart-] canvas').length >= 4
  const rows = document.querySelectorAll('[data-testid=ranking] .el-table__body tr').length
  const busy = document.querySelector('.el-loading-mask')
  return !!ready && numbers && charts && rows > 0 && !busy
}"""
RENDERED = """() => {
  const rows = document.querySelectorAll('[data-testid=enterprise-table] .el-table__body tr').length
  const figures = [...document.querySelectorAll('[data-testid=stats] .stat-value')]
    .every((el) => /\\d/.test(el.textContent))
  const charts = document.querySelectorAll('[data-testid^=chart-] canvas').length >= 2
  const busy = document.querySelector('.el-loading-mask')
  return rows > 0 && figures && charts && !busy
}"""


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def bundle_sizes() -> dict[str, int]:
    """Raw and gzip bytes: everything built, and what the first page load needs."""
    report = json.loads((DIST / "build-report.json").read_text())["files"]
    index = (DIST / "index.html").read_text()
    initial = set(re.findall(r'(?:src|href)="/(assets/[^"]+)"', index))
    js_css = [f for f in report if f["file"].endswith((".js", ".css"))]
    first = [f for f in js_css if f["file"] in initial]
    return {
        "total_raw": sum(f["bytes"] for f in js_css),
        "total_gzip": sum(f["gzip"] for f in js_css),
        "initial_raw": sum(f["bytes"] for f in first),
        "initial_gzip": sum(f["gzip"] for f in first),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=5)
    args = parser.parse_args()
    if not is_built():
        sys.exit("the dashboard is not built: run `make web` first")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    nenghao = shutil.which("nenghao", path=str(Path(sys.executable).parent)) or "nenghao"
    with tempfile.TemporaryDirectory() as tmp:
        # The demo build has scored its months; the served schedule stays off so that its
        # first run does not share the cores with the pages being measured.
        env = {**os.environ, "NENGHAO_DATA_DIR": tmp, "NENGHAO_MONITOR_ENABLED": "false"}
        env.pop("NENGHAO_DATABASE_URL", None)
        cmd = [nenghao, "demo", "--data-dir", tmp, "--days", str(args.days), "--no-serve"]
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        accounts = Path(tmp, "demo-accounts.txt").read_text().splitlines()
        password = next(line.split("\t")[1] for line in accounts if line.startswith("demo-admin"))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [nenghao, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/api/v1", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            session = httpx.post(  # the dashboard's cookie session
                f"{url}/api/v1/auth/login",
                json={"username": "demo-admin", "password": password, "cookie": True},
            ).cookies
            times: dict[str, list[float]] = {"overview": [], "enterprises": []}
            transferred = 0
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                context.add_cookies(
                    [{"name": name, "value": value, "url": url} for name, value in session.items()]
                )
                page = context.new_page()
                sizes: list[int] = []
                page.on(
                    "response",
                    lambda r: (
                        sizes.append(int(r.headers.get("content-length", 0)))
                        if "/assets/" in r.url
                        else None
                    ),
                )
                for run in range(args.runs):
                    for name, check in (("overview", OVERVIEW), ("enterprises", RENDERED)):
                        page.goto(f"{url}/{name}", wait_until="commit")
                        page.wait_for_function(check, polling="raf", timeout=15_000)
                        times[name].append(page.evaluate("performance.now()"))
                        if run == 0 and name == "overview":
                            page.wait_for_load_state("networkidle")
                            transferred = sum(sizes)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    sizes_ = bundle_sizes()
    for name, label in (("overview", "city overview"), ("enterprises", "enterprise register")):
        runs = times[name]
        cold = " (first page of the session)" if name == "overview" else " (after the overview)"
        print(f"{label} fully rendered, first run{cold}: {runs[0]:.0f} ms")
        if len(runs) > 1:
            warm = runs[1:]
            print(
                f"{label} fully rendered, warm cache: median {statistics.median(warm):.0f}"
                f" ms, max {max(warm):.0f} ms ({len(warm)} runs)"
            )
    print(f"assets transferred for the first visit of the overview (gzip): {kib(transferred)}")
    print(f"bundle, all JS+CSS: {kib(sizes_['total_raw'])} raw, {kib(sizes_['total_gzip'])} gzip")
    print(
        f"bundle, first page load (entry, preloads, CSS): {kib(sizes_['initial_raw'])} raw, "
        f"{kib(sizes_['initial_gzip'])} gzip"
    )


if __name__ == "__main__":
    main()
