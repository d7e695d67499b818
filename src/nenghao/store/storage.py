"""Whether the database's storage can take writes: free space and a write probe (SQLite)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

PROBE_BYTES = 4096


def database_directory(engine: Engine) -> Path | None:
    """The directory of an SQLite database file; None for a server or an in-memory database."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).resolve().parent


def storage_state(engine: Engine, min_free_bytes: int) -> dict[str, Any]:
    """The storage of `engine`'s database: ``ok`` or ``degraded`` with the reasons.

    For SQLite the directory of the database file must have `min_free_bytes` free and take a
    small synced write (a full or read-only disk fails it). A database server keeps its own
    storage: only its reachability is known here.
    """
    directory = database_directory(engine)
    if directory is None:
        return {"status": "ok", "kind": "server" if engine.dialect.name != "sqlite" else "memory"}
    problems: list[str] = []
    free = None
    try:
        free = shutil.disk_usage(directory).free
    except OSError as exc:
        problems.append(f"cannot read the free space: {exc.strerror}")
    if free is not None and free < min_free_bytes:
        problems.append(f"{free // 2**20} MiB free, below the {min_free_bytes // 2**20} MiB floor")
    probe = directory / f".health-probe-{os.getpid()}"
    try:
        with probe.open("wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        problems.append(f"a write to the database directory failed: {exc.strerror}")
    finally:
        probe.unlink(missing_ok=True)
    return {
        "status": "degraded" if problems else "ok",
        "kind": "file",
        "free_bytes": free,
        "min_free_bytes": min_free_bytes,
        "problems": problems,
    }
