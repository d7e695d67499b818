"""Build the demo city into a migrated database."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, insert, select

from nenghao.demo.catalogue import DISTRICT_DIVISION, ENTERPRISES, SHOWCASE_KEY, demo_credit_codes
from nenghao.demo.faults import FaultRecord, inject
from nenghao.demo.generate import EnterpriseData, generate_enterprise, heating_demand
from nenghao.demo.manifest import (
    Manifest,
    ManifestEnterprise,
    ManifestEvent,
    ManifestFault,
    iso_cst,
    write_manifest,
)
from nenghao.demo.pathway import drop_scenarios, include_retrofits, seed_pathway
from nenghao.demo.projects import drop_actors, seed_projects
from nenghao.demo.retrofits import apply_retrofits, seed_retrofits
from nenghao.demo.timegrid import TimeGrid, default_end, make_grid, to_utc
from nenghao.demo.writer import HourlyBlock, Row, write_readings
from nenghao.standards.calendar import cst_date, cst_midnight
from nenghao.store import partitions
from nenghao.store.purge import purge_enterprises
from nenghao.store.rollups import rebuild as rebuild_rollups
from nenghao.store.schema import data_items, enterprises

DEFAULT_DAYS = 730
MIN_DAYS = 3

Progress = Callable[[str, int, int], None]


class DemoAlreadyPresentError(RuntimeError):
    """The database already holds the demo enterprises."""


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` wrote."""

    enterprises: int
    items: int
    readings: int
    manifest_path: Path | None
    district_division: str
    showcase_enterprise_id: int
    start: datetime
    end: datetime
    faults: int = 0
    seconds: float = 0.0


def demo_present(engine: Engine) -> bool:
    """Whether the database already holds the demo (any demo enterprise exists)."""
    codes = sorted(demo_credit_codes())
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count())
            .select_from(enterprises)
            .where(enterprises.c.credit_code.in_(codes))
        ).scalar_one()
    return bool(count)


def remove_demo(engine: Engine) -> int:
    """Delete the demo enterprises with everything that refers to them; return how many."""
    codes = sorted(demo_credit_codes())
    with engine.begin() as connection:
        ids = [
            row[0]
            for row in connection.execute(
                select(enterprises.c.id).where(enterprises.c.credit_code.in_(codes))
            )
        ]
        purged = purge_enterprises(connection, ids)
        drop_scenarios(connection)
        drop_actors(connection)
        return purged


def default_manifest_dir(engine: Engine) -> Path | None:
    """The SQLite database file's directory; None for PostgreSQL or in-memory SQLite."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).resolve().parent


def generate_city(
    *, days: int, seed: int, end: date, progress: Progress | None = None
) -> tuple[TimeGrid, dict[str, EnterpriseData], list[FaultRecord]]:
    """Generate every series of the city and inject the faults (no database access)."""
    grid = make_grid(end, days)
    demand = heating_demand(grid)
    data: dict[str, EnterpriseData] = {}
    for index, spec in enumerate(ENTERPRISES):
        data[spec.key] = generate_enterprise(spec, index + 1, grid, seed, demand)
        if progress:
            progress("generate", index + 1, len(ENTERPRISES))
    faults = inject(data, grid, seed)
    return grid, data, faults


def build_demo(
    engine: Engine,
    *,
    days: int | None = None,
    seed: int = 2026,
    end: date | None = None,
    progress: Progress | None = None,
    manifest_dir: Path | str | None = None,
) -> DemoSummary:
    """Build the synthetic Anshan into `engine` (a migrated database without the demo).

    Parameters
    ----------
    engine : Engine
        SQLite or PostgreSQL, migrated to head.
    days : int, optional
        Days of hourly data; None means two full years (730 days). At least 3.
    seed : int
        Random seed; the same seed and `end` give identical rows.
    end : date, optional
        The last CST day with data (data run up to the next day 00:00 CST); default yesterday.
    progress : callable, optional
        ``progress(stage, done, total)`` for stages "generate", "catalogue", "readings".
    manifest_dir : path, optional
        Where to write ``demo-manifest.json``; default the SQLite file's directory (None, and
        no manifest, for PostgreSQL unless given).

    Raises
    ------
    DemoAlreadyPresentError
        When the database already holds the demo (see `remove_demo`).
    """
    started = time.perf_counter()
    days = DEFAULT_DAYS if days is None else int(days)
    if days < MIN_DAYS:
        raise ValueError(f"days must be at least {MIN_DAYS}, got {days}")
    end_day = end or default_end()
    if demo_present(engine):
        raise DemoAlreadyPresentError("the database already holds the demo; remove it first")
    grid, data, faults = generate_city(days=days, seed=seed, end=end_day, progress=progress)
    claims = apply_retrofits(grid, data)

    try:
        summary = _store(engine, grid, data, faults, seed, days, end_day, progress, manifest_dir)
        seed_retrofits(engine, _enterprise_ids(engine), grid, claims)
        include_retrofits(engine)
    except BaseException:
        remove_demo(engine)
        raise
    return DemoSummary(**{**summary.__dict__, "seconds": round(time.perf_counter() - started, 2)})


def _store(
    engine: Engine,
    grid: TimeGrid,
    data: dict[str, EnterpriseData],
    faults: list[FaultRecord],
    seed: int,
    days: int,
    end_day: date,
    progress: Progress | None,
    manifest_dir: Path | str | None,
) -> DemoSummary:
    enterprise_ids: dict[str, int] = {}
    item_ids: dict[tuple[str, str], int] = {}
    n_items = sum(len(ent.spec.items) for ent in data.values())
    with engine.begin() as connection:
        # PostgreSQL: the data's months get their partitions first (not the default one)
        partitions.cover(connection, grid.grid_start, cst_midnight(end_day))
        for position, ent in enumerate(data.values(), start=1):
            spec = ent.spec
            result = connection.execute(
                insert(enterprises).values(
                    credit_code=spec.credit_code,
                    name=spec.name,
                    name_en=spec.name_en,
                    division_code=spec.division,
                    industry_code=spec.industry,
                    key_unit_level=ent.level,
                    address=spec.address,
                    contact=None,
                    active=True,
                    created_at=grid.start,
                    updated_at=grid.start,
                )
            )
            enterprise_id = _new_id(result)
            enterprise_ids[spec.key] = enterprise_id
            for item in spec.items:
                result = connection.execute(
                    insert(data_items).values(
                        enterprise_id=enterprise_id,
                        code=item.code,
                        name=item.name,
                        measures=item.measures,
                        energy_kind=item.energy_kind,
                        product_code=item.product_code,
                        usage=item.usage,
                        renewable=item.renewable,
                        boundary=item.boundary,
                        # the stage and process the boundary means (docs/items.md)
                        stage="fence" if item.boundary == "enterprise" else "end_use",
                        process=None if item.boundary == "enterprise" else item.boundary,
                        unit=item.unit,
                        period=item.period,
                        value_kind=item.value_kind,
                        heating_value=item.heating_value,
                        heating_value_unit=item.heating_value_unit,
                        manual=item.period == "month",
                        active=True,
                        created_at=grid.start,
                    )
                )
                item_ids[(spec.key, item.code)] = _new_id(result)
            if progress:
                progress("catalogue", position, len(data))

    block, other = _rows(grid, data, item_ids)
    count = write_readings(engine, block, other, progress)
    with engine.begin() as connection:  # the bulk load bypasses apply_changes
        rebuild_rollups(connection, item_ids.values())
    seed_projects(engine, enterprise_ids, cst_date(grid.start), end_day)
    seed_pathway(engine, cst_date(grid.start), end_day)

    manifest = _manifest(grid, data, faults, seed, days, end_day, count)
    directory = Path(manifest_dir) if manifest_dir is not None else default_manifest_dir(engine)
    path = write_manifest(manifest, directory) if directory is not None else None
    return DemoSummary(
        enterprises=len(data),
        items=n_items,
        readings=count,
        manifest_path=path,
        district_division=DISTRICT_DIVISION,
        showcase_enterprise_id=enterprise_ids[SHOWCASE_KEY],
        start=to_utc(grid.start),
        end=to_utc(grid.end),
        faults=len(faults),
    )


def _enterprise_ids(engine: Engine) -> dict[str, int]:
    """The demo enterprises' ids by their roster key."""
    keys = {spec.credit_code: spec.key for spec in ENTERPRISES}
    with engine.connect() as connection:
        rows = connection.execute(select(enterprises.c.credit_code, enterprises.c.id)).all()
    return {keys[code]: int(key) for code, key in rows if code in keys}


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _rows(
    grid: TimeGrid, data: dict[str, EnterpriseData], item_ids: dict[tuple[str, str], int]
) -> tuple[HourlyBlock, list[Row]]:
    off, n = grid.offset, grid.n_written
    ids: list[int] = []
    values: list[np.ndarray] = []
    present: list[np.ndarray] = []
    other: list[Row] = []
    hours = grid.hours[off : off + n]
    for ent in data.values():
        for code, series in ent.series.items():
            item_id = item_ids[(ent.spec.key, code)]
            if series.item.period == "month":
                assert series.received_at is not None
                for position, month in enumerate(grid.months):
                    if series.present[position]:
                        other.append(
                            (
                                item_id,
                                "month",
                                month,
                                float(series.values[position]),
                                None,
                                int(series.received_at[position]),
                            )
                        )
            elif series.register is not None:
                window = slice(off, off + n)
                for start, value, register, ok in zip(
                    hours.tolist(),
                    series.values[window].tolist(),
                    series.register[window].tolist(),
                    series.present[window].tolist(),
                    strict=True,
                ):
                    if ok:
                        other.append((item_id, "hour", start, value, register, start + 3600))
            else:
                ids.append(item_id)
                values.append(series.values[off : off + n])
                present.append(series.present[off : off + n])
    block = HourlyBlock(ids, np.vstack(values), np.vstack(present), hours)
    return block, other


def _manifest(
    grid: TimeGrid,
    data: dict[str, EnterpriseData],
    faults: list[FaultRecord],
    seed: int,
    days: int,
    end_day: date,
    count: int,
) -> Manifest:
    codes = {key: ent.spec.credit_code for key, ent in data.items()}
    events = []
    for ent in data.values():
        for window in ent.windows:
            if window.end <= grid.start or window.start >= grid.end:
                continue
            events.append(
                ManifestEvent(
                    credit_code=codes[ent.spec.key],
                    enterprise=ent.spec.key,
                    kind=window.kind,
                    boundaries=window.boundaries,
                    factor=window.factor,
                    start_ts=window.start,
                    end_ts=window.end,
                    start=iso_cst(window.start),
                    end=iso_cst(window.end),
                    description=window.description,
                )
            )
    events.sort(key=lambda e: (e.start_ts, e.enterprise, e.kind))
    return Manifest(
        version=1,
        seed=seed,
        days=days,
        end_date=end_day.isoformat(),
        start_ts=grid.start,
        end_ts=grid.end,
        district_division=DISTRICT_DIVISION,
        showcase_credit_code=codes[SHOWCASE_KEY],
        readings=count,
        enterprises=tuple(
            ManifestEnterprise(
                credit_code=ent.spec.credit_code,
                key=ent.spec.key,
                name=ent.spec.name,
                division_code=ent.spec.division,
                industry_code=ent.spec.industry,
                cluster=ent.spec.cluster,
                key_unit_level=ent.level,
                nominal_tce_per_year=round(ent.annual_tce, 1),
                items=len(ent.spec.items),
            )
            for ent in data.values()
        ),
        faults=tuple(
            ManifestFault(
                credit_code=codes[fault.enterprise],
                enterprise=fault.enterprise,
                item_code=fault.item,
                kind=fault.kind,
                start_ts=fault.start,
                end_ts=fault.end,
                start=iso_cst(fault.start),
                end=iso_cst(fault.end),
                description=fault.description,
            )
            for fault in faults
        ),
        events=tuple(events),
    )
