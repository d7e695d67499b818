"""Owner-only storage: directories the platform creates are 0700, its database files 0600.

The SQLite database, its ``-wal`` and ``-shm`` companions, the master key and the demo
accounts hold secrets (password hashes, device secret fingerprints, raw uplinks). SQLite
creates the companions with the mode of the database file, so creating that file 0600 first
keeps them private too; files left readable by an earlier version are tightened.
An existing directory keeps its mode (it may be shared on purpose); its files do not.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Create the directory `path` (and its parents) if missing, the leaf owner-only."""
    if not path.is_dir():
        with contextlib.suppress(FileExistsError):  # a concurrent creator got there first
            path.mkdir(mode=DIRECTORY_MODE, parents=True)
            path.chmod(DIRECTORY_MODE)  # exact, whatever the umask
    return path


def make_private(path: Path) -> None:
    """Tighten an existing file of ours to owner-only (a file of another user is left)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if path.stat().st_mode & 0o077:
            path.chmod(FILE_MODE)


def private_sqlite_file(database: Path) -> None:
    """Prepare the SQLite file `database`: directory, and file and companions owner-only."""
    private_dir(database.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for path in (database, *(Path(f"{database}{suffix}") for suffix in SQLITE_COMPANIONS)):
        make_private(path)
