"""Stalled uploads: a body that stops mid-way times out, and one client address cannot hold
the server: its requests beyond the cap are refused at once while other tenants and
``/health`` are served. Driven over real sockets against uvicorn.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing

import httpx
import pytest
import uvicorn

from nenghao.app import create_app
from nenghao.config import Settings

STALLERS = 300


@pytest.fixture
def server(db_url: str, tmp_path) -> Iterator[str]:
    """uvicorn serving the app on a free port, with a short body timeout and a cap of 8."""
    settings = Settings(
        database_url=db_url,
        data_dir=tmp_path,
        request_body_timeout_s=2,
        max_requests_per_client=8,
    )
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", backlog=1024
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(30)


def _stall(base: str, source: str) -> socket.socket:
    """A POST from `source` that announces 1,000 body bytes and sends 10."""
    port = int(base.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), source_address=(source, 0))
    sock.sendall(
        b"POST /api/v1/uplink HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n" + b'{"records"'
    )
    return sock


def _status_line(sock: socket.socket, timeout_s: float) -> bytes:
    """The answer's head (and what came with it)."""
    sock.settimeout(timeout_s)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _whole_answer(sock: socket.socket, timeout_s: float) -> bytes:
    """Everything the server sends until it closes the connection."""
    sock.settimeout(timeout_s)
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_stalled_body_times_out(server) -> None:
    with closing(_stall(server, "127.0.0.1")) as sock:
        started = time.monotonic()
        answer = _whole_answer(sock, timeout_s=15)
        took = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b'"code":"body_timeout"' in answer, answer
    assert took < 10, took


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_stalled_uploads_from_one_address_do_not_lock_out_others(server) -> None:
    with ExitStack() as stack:
        stalled = [stack.enter_context(closing(_stall(server, "127.0.0.2"))) for _ in range(8)]
        # Wait until the server holds the 8 (a 9th from that address is then refused).
        deadline = time.monotonic() + 10
        while True:
            with closing(_stall(server, "127.0.0.2")) as extra:
                answer = _status_line(extra, timeout_s=1)
            if answer.startswith(b"HTTP/1.1 429"):
                break
            assert time.monotonic() < deadline, answer
        refused = 0
        for _ in range(STALLERS - len(stalled)):
            sock = stack.enter_context(closing(_stall(server, "127.0.0.2")))
            sock.settimeout(5)
            if sock.recv(12).startswith(b"HTTP/1.1 429"):
                refused += 1
        assert refused == STALLERS - len(stalled)
        # Another tenant and the health check are served meanwhile, promptly.
        with httpx.Client(base_url=server, timeout=5) as other:
            for _ in range(5):
                started = time.monotonic()
                assert other.get("/api/v1/health").status_code == 200
                assert time.monotonic() - started < 2
        del stalled
