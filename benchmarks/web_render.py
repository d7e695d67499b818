"""Benchmark: time until the enterprise register is fully rendered, and the bundle size.

Builds a demo city (``--days``, default 5; the page reads enterprises, not readings) in a
temporary directory, serves it with the built dashboard (``nenghao serve``), and opens
``/enterprises`` in headless Chromium (Debian's ``/usr/bin/chromium``, through Playwright)
with a logged-in session. "Fully rendered" = the first page of rows, the four key figures and
both charts are drawn and no request is in flight; the time is ``performance.now()`` then,
i.e. from the start of navigation. The first run has an empty cache (cold), later runs reuse
the browser's cache (warm). Sizes come from ``src/nenghao/web/dist/build-report.json``.

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
        env = {**os.environ, "NENGHAO_DATA_DIR": tmp}
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
            token = httpx.post(
                f"{url}/api/v1/auth/login",
                json={"username": "demo-admin", "password": password},
            ).json()["token"]
            times, transferred = [], 0
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                context.add_init_script(f"localStorage.setItem('nenghao.token', '{token}')")
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
                    page.goto(f"{url}/enterprises", wait_until="commit")
                    page.wait_for_function(RENDERED, polling="raf", timeout=15_000)
                    times.append(page.evaluate("performance.now()"))
                    if run == 0:
                        page.wait_for_load_state("networkidle")
                        transferred = sum(sizes)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    sizes_ = bundle_sizes()
    print(f"enterprise register fully rendered, cold cache: {times[0]:.0f} ms")
    if len(times) > 1:
        warm = times[1:]
        print(
            f"enterprise register fully rendered, warm cache: median {statistics.median(warm):.0f}"
            f" ms, max {max(warm):.0f} ms ({len(warm)} runs)"
        )
    print(f"assets transferred for the first visit (gzip): {kib(transferred)}")
    print(f"bundle, all JS+CSS: {kib(sizes_['total_raw'])} raw, {kib(sizes_['total_gzip'])} gzip")
    print(
        f"bundle, first page load (entry, preloads, CSS): {kib(sizes_['initial_raw'])} raw, "
        f"{kib(sizes_['initial_gzip'])} gzip"
    )


if __name__ == "__main__":
    main()
