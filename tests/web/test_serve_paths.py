"""Serving the dashboard's files: odd and over-long paths answer 404, never a file outside
``dist`` and never an error with a traceback (in process, on a tiny ``dist``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nenghao.api import errors
from nenghao.web.serve import install

INDEX = "<!doctype html><title>nenghao</title>"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "favicon.svg").write_text("<svg/>")
    (dist / "assets" / "app-abc123.js").write_text("export {}")
    (tmp_path / "secret.txt").write_text("top secret")
    app = FastAPI()
    errors.install(app)
    install(app, errors.error_response, dist)
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    "path",
    [
        "/enterprises/7",
        "/favicon.svg",
        "/assets/app-abc123.js",
        "/" + "a" * 255,
        "/" + "/".join(["b" * 200] * 20),
    ],
)
def test_files_and_client_routes_are_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.text in (INDEX, "<svg/>", "export {}")


ODD_PATHS = [
    "/" + "a" * 256,
    "/assets/" + "a" * 300,
    "/x/" + "能" * 86 + "/y",  # 258 bytes in UTF-8
    "/" + "/".join(["b" * 250] * 20),  # 5 KB
    "/a%00b",
    "/assets/a%00b.js",
    "/%2e%2e/secret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/x/%2E/y",
    "/..%2fsecret.txt",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_paths_answer_404_without_a_traceback(
    client: TestClient, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        for method in ("GET", "HEAD"):
            response = client.request(method, path)
            assert response.status_code == 404, (method, path, response.text)
    assert "top secret" not in response.text
    assert client.get(path).json()["error"]["code"] == "not_found"
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
