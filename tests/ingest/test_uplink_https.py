"""HTTPS uplinks as deployed: uvicorn serving TLS (configured as by ``nenghao serve
--ssl-certfile/--ssl-keyfile``), and the signed PATH behind a reverse proxy that strips a public
prefix (setting ``root_path``, ``nenghao serve --root-path``).

The device signs the request target it sends; the platform rebuilds it as its public prefix
(``root_path``) followed by the path it received.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from mqtt_broker import free_port
from mqtt_site import MASTER_KEY, add_enterprise, issue_key, message, new_code
from pydantic import SecretStr

from nenghao.cli.serve import TLSPairError, server_config
from nenghao.config import Settings
from nenghao.ingest.protocol import HTTP_PATH
from nenghao.ingest.signing import signed_headers

PREFIX = "/nenghao"
START_TIMEOUT_S = 20


@pytest.fixture
def device(engine) -> tuple[str, str, str]:
    """(credit code, key id, secret) of a device whose enterprise has item E-01."""
    code = new_code()
    return code, *issue_key(engine, add_enterprise(engine, code))


def platform_settings(db_url: str, tmp_path, **update: Any) -> Settings:
    return Settings(
        database_url=db_url,
        data_dir=tmp_path,
        secret_key=SecretStr(MASTER_KEY.decode()),
        host="127.0.0.1",
        port=free_port(),
        **update,
    )


@contextmanager
def serving(config: uvicorn.Config) -> Iterator[None]:
    """Run a uvicorn server in a thread until the block ends."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)


def signed(code: str, key_id: str, secret: str, path: str, hour: int) -> tuple[bytes, dict]:
    payload = json.dumps(message(code, key_id, hour)).encode()
    return payload, signed_headers(key_id, secret.encode(), "POST", path, payload)


def test_a_signed_uplink_over_https(db_url, device, tls_files, tmp_path) -> None:
    code, key_id, secret = device
    settings = platform_settings(
        db_url, tmp_path, ssl_certfile=tls_files.certfile, ssl_keyfile=tls_files.keyfile
    )
    url = f"https://127.0.0.1:{settings.port}{HTTP_PATH}"
    trusted = ssl.create_default_context(cafile=str(tls_files.cafile))
    with serving(server_config(settings)):
        payload, headers = signed(code, key_id, secret, HTTP_PATH, 8)
        answer = httpx.post(url, content=payload, headers=headers, verify=trusted)
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.post(url, content=payload, headers=headers, verify=True)
        with pytest.raises(httpx.HTTPError):  # plain HTTP on the TLS port
            httpx.post(url.replace("https:", "http:"), content=payload, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "accepted"


def test_tls_needs_both_files(db_url, tls_files, tmp_path) -> None:
    settings = platform_settings(db_url, tmp_path, ssl_certfile=tls_files.certfile)
    with pytest.raises(TLSPairError):
        server_config(settings)


def stripping_proxy(upstream: str, prefix: str) -> Any:
    """A reverse proxy (ASGI) that forwards ``prefix/...`` to ``upstream/...``."""

    async def proxy(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        path = scope["raw_path"].decode("latin-1")
        if not path.startswith(prefix + "/"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        body, more = b"", True
        while more:
            event = await receive()
            body += event.get("body", b"")
            more = event.get("more_body", False)
        skip = {b"host", b"content-length"}
        headers = [(k, v) for k, v in scope["headers"] if k not in skip]
        target = upstream + path[len(prefix) :]
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        async with httpx.AsyncClient() as client:
            answer = await client.request(scope["method"], target, content=body, headers=headers)
        keep = [
            (k.encode(), v.encode())
            for k, v in answer.headers.items()
            if k not in {"content-length", "transfer-encoding", "content-encoding"}
        ]
        await send({"type": "http.response.start", "status": answer.status_code, "headers": keep})
        await send({"type": "http.response.body", "body": answer.content})

    return proxy


def test_behind_a_proxy_the_device_signs_the_path_it_sends(db_url, device, tmp_path) -> None:
    code, key_id, secret = device
    settings = platform_settings(db_url, tmp_path, root_path=PREFIX)
    upstream = f"http://127.0.0.1:{settings.port}"
    proxy_port = free_port()
    proxy = uvicorn.Config(
        stripping_proxy(upstream, PREFIX),
        host="127.0.0.1",
        port=proxy_port,
        lifespan="off",
        log_level="warning",
    )
    public = f"http://127.0.0.1:{proxy_port}{PREFIX}{HTTP_PATH}"
    with serving(server_config(settings)), serving(proxy):
        payload, headers = signed(code, key_id, secret, PREFIX + HTTP_PATH, 8)
        as_sent = httpx.post(public, content=payload, headers=headers)
        payload, headers = signed(code, key_id, secret, HTTP_PATH, 9)
        platform_path = httpx.post(public, content=payload, headers=headers)
    assert as_sent.status_code == 200, as_sent.text
    assert as_sent.json()["results"][0]["status"] == "accepted"
    assert platform_path.status_code == 401
    assert platform_path.json()["error"]["code"] == "bad_signature"


def test_a_server_that_leaves_the_prefix_out_of_raw_path(engine, db_url, device, tmp_path):
    """ASGI servers other than uvicorn may not put ``root_path`` in front of ``raw_path``
    (Starlette's test client does not): the signed path is the same."""
    from fastapi.testclient import TestClient

    from nenghao.app import create_app

    code, key_id, secret = device
    settings = platform_settings(db_url, tmp_path, root_path=PREFIX)
    with TestClient(create_app(settings, engine), root_path=PREFIX) as client:
        payload, headers = signed(code, key_id, secret, PREFIX + HTTP_PATH, 8)
        answer = client.post(HTTP_PATH, content=payload, headers=headers)
    assert answer.status_code == 200, answer.text
