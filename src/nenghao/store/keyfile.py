"""The platform master key, from which every device secret is derived.

Taken from the ``NENGHAO_SECRET_KEY`` setting when set (at least 32 characters, used as its
UTF-8 bytes), otherwise from the 32-byte file ``<data_dir>/secret.key``, created with mode
0600 (in a 0700 data directory when it creates that) on first use. Losing the key
invalidates every device secret (rotate them all); leaking it exposes them, so keep the file
out of backups of the database.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from nenghao.store.private_files import make_private, private_dir

KEY_BYTES = 32
MIN_CONFIGURED_CHARS = 32


class MasterKeyError(RuntimeError):
    """The configured master key or key file is unusable."""


def load_master_key(configured: str | None, data_dir: Path) -> bytes:
    """The master key: `configured` if given, else the key file in `data_dir` (created)."""
    if configured:
        if len(configured) < MIN_CONFIGURED_CHARS:
            raise MasterKeyError(
                f"NENGHAO_SECRET_KEY must have at least {MIN_CONFIGURED_CHARS} characters"
            )
        return configured.encode("utf-8")
    path = data_dir / "secret.key"
    make_private(path)  # a key file left readable by an earlier version
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    private_dir(data_dir)
    temporary = data_dir / f".secret.key.{secrets.token_hex(6)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # a concurrent creator's key wins
            os.link(temporary, path)  # atomic
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) != KEY_BYTES:
        raise MasterKeyError(f"{path} must hold exactly {KEY_BYTES} bytes, found {len(data)}")
    return data
