"""Device credentials: the secrets of device keys, derived from the master key."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine

from nenghao.ingest.sender import Sender
from nenghao.standards.vocabulary import DEVICE_CHANNELS
from nenghao.store import devices


class DeviceCredentials:
    """Looks up device keys on `engine`; the master key is loaded once, when first needed.

    Every look-up reads the credential afresh, so a revoked or rotated key stops working
    with the next message.
    """

    def __init__(self, engine: Engine, master_key: bytes | Callable[[], bytes]) -> None:
        self.engine = engine
        self._source = master_key
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def master_key(self) -> bytes:
        """The master key (loaded on first use)."""
        with self._lock:
            if self._key is None:
                source = self._source
                self._key = source() if callable(source) else source
            return self._key

    def secret(self, key_id: str) -> bytes | None:
        """The derived secret of an active credential (``signing.verify``'s ``secret_of``)."""
        with self.engine.connect() as conn:
            secret = devices.secret_of(conn, key_id, self.master_key())
        return None if secret is None else secret.encode("utf-8")

    def access(self, key_id: str, channel: str) -> tuple[bytes, Sender] | None:
        """The secret and `Sender` of an active credential (one query), or None."""
        _check_channel(channel)
        with self.engine.connect() as conn:
            row = devices.active_credential(conn, key_id)
        if row is None:
            return None
        secret = devices.checked_secret(row, self.master_key())
        if secret is None:
            return None
        return secret.encode("utf-8"), _sender(row, channel, key_id)

    def sender(self, key_id: str, channel: str) -> Sender | None:
        """The `Sender` of an active credential, or None."""
        _check_channel(channel)
        with self.engine.connect() as conn:
            row = devices.active_credential(conn, key_id)
        return None if row is None else _sender(row, channel, key_id)


def _check_channel(channel: str) -> None:
    if channel not in DEVICE_CHANNELS:
        raise ValueError(f"devices send over http or mqtt, not {channel!r}")


def _sender(row: dict[str, object], channel: str, key_id: str) -> Sender:
    return Sender(row["enterprise_id"], row["credit_code"], channel, key_id)  # type: ignore[arg-type]
