"""The demo manifest: what was built, every injected fault and every planned stop (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nenghao.standards.calendar import to_cst
from nenghao.store.private_files import private_dir

MANIFEST_NAME = "demo-manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ManifestFault:
    """An injected data fault. Instants are Unix seconds UTC; ``end`` is exclusive."""

    credit_code: str
    enterprise: str
    item_code: str
    kind: str
    start_ts: int
    end_ts: int
    start: str
    end: str
    description: str


@dataclass(frozen=True)
class ManifestEvent:
    """A real (not faulty) event such as a planned shutdown. ``boundaries`` empty = whole site."""

    credit_code: str
    enterprise: str
    kind: str
    boundaries: tuple[str, ...]
    factor: float
    start_ts: int
    end_ts: int
    start: str
    end: str
    description: str


@dataclass(frozen=True)
class ManifestEnterprise:
    """One demo enterprise as built."""

    credit_code: str
    key: str
    name: str
    division_code: str
    industry_code: str
    cluster: str
    key_unit_level: str
    nominal_tce_per_year: float
    items: int


@dataclass(frozen=True)
class Manifest:
    """The whole manifest (`load_manifest` returns this)."""

    version: int
    seed: int
    days: int
    end_date: str
    start_ts: int
    end_ts: int
    district_division: str
    showcase_credit_code: str
    readings: int
    enterprises: tuple[ManifestEnterprise, ...]
    faults: tuple[ManifestFault, ...]
    events: tuple[ManifestEvent, ...]

    def to_json(self) -> str:
        """Deterministic JSON text (sorted keys, UTF-8 names kept readable)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def faults_of(self, kind: str) -> list[ManifestFault]:
        """The faults of one kind."""
        return [fault for fault in self.faults if fault.kind == kind]


def iso_cst(ts: int) -> str:
    """ISO 8601 in China Standard Time."""
    return to_cst(ts).isoformat()


def write_manifest(manifest: Manifest, directory: Path) -> Path:
    """Write `manifest` as ``demo-manifest.json`` into `directory`; return the path."""
    private_dir(directory)
    path = directory / MANIFEST_NAME
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest written by `build_demo` (a directory means its demo-manifest.json)."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("version") != MANIFEST_VERSION:
        raise ValueError(f"{path}: unsupported demo manifest version {raw.get('version')!r}")
    return Manifest(
        version=raw["version"],
        seed=raw["seed"],
        days=raw["days"],
        end_date=raw["end_date"],
        start_ts=raw["start_ts"],
        end_ts=raw["end_ts"],
        district_division=raw["district_division"],
        showcase_credit_code=raw["showcase_credit_code"],
        readings=raw["readings"],
        enterprises=tuple(ManifestEnterprise(**e) for e in raw["enterprises"]),
        faults=tuple(ManifestFault(**f) for f in raw["faults"]),
        events=tuple(
            ManifestEvent(**{**e, "boundaries": tuple(e["boundaries"])}) for e in raw["events"]
        ),
    )
