"""Fixtures of the ingest tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from message_builders import BodyFactory, message, record
from mqtt_broker import PrivateBroker, TlsFiles, start_or_skip


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    return record


@pytest.fixture
def make_message() -> BodyFactory:
    return message


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A test CA and a certificate it signed for 127.0.0.1 and localhost (PEM files)."""
    import trustme

    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    directory: Path = tmp_path_factory.mktemp("tls")
    files = TlsFiles(directory / "cert.pem", directory / "key.pem", directory / "ca.pem")
    for blob in issued.cert_chain_pems:
        blob.write_to_path(str(files.certfile), append=True)
    issued.private_key_pem.write_to_path(str(files.keyfile))
    ca.cert_pem.write_to_path(str(files.cafile))
    return files


@pytest.fixture(scope="session")
def mqtt_broker(
    tmp_path_factory: pytest.TempPathFactory, tls_files: TlsFiles
) -> Iterator[PrivateBroker]:
    """A private Mosquitto (dynamic security, anonymous refused, a TLS listener) for this
    test process. Outside CI, missing Mosquitto skips with the reason printed; in CI it fails."""
    broker = start_or_skip(tmp_path_factory.mktemp("mosquitto"), tls=tls_files)
    yield broker
    broker.stop()
