"""The data directory is created 0700; the SQLite files, the master key 0600."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from nenghao.store.engine import make_engine
from nenghao.store.keyfile import load_master_key
from nenghao.store.migrate import upgrade


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_directory_database_wal_and_shm_are_owner_only(tmp_path) -> None:
    database = tmp_path / "fresh" / "nenghao.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
        with engine.connect() as conn:  # the WAL and SHM files exist while connected
            conn.execute(text("SELECT count(*) FROM scratch"))
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(path.exists() for path in files)
            assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
    finally:
        engine.dispose()
    assert mode(database.parent) == 0o700


def test_files_left_readable_are_tightened_and_a_shared_directory_kept(tmp_path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    database = shared / "old.db"
    for path in (database, Path(f"{database}-wal")):
        path.touch()
        path.chmod(0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert mode(database) == 0o600
    assert mode(Path(f"{database}-wal")) == 0o600
    assert mode(shared) == 0o755


def test_master_key_file_and_its_new_data_directory_are_owner_only(tmp_path) -> None:
    data_dir = tmp_path / "var"
    key = load_master_key(None, data_dir)
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret.key") == 0o600
    (data_dir / "secret.key").chmod(0o644)
    assert load_master_key(None, data_dir) == key
    assert mode(data_dir / "secret.key") == 0o600
